"""Users' own talks: JSONL and CSV, validated field by field, all rows or none."""

from __future__ import annotations

import json

import pytest

from corpus.userdata import UserDataError, read_user_file, write_jsonl

GOOD = {
    "event": "csml2026",
    "code": "A1-1",
    "title": "扩散模型与逆问题",
    "speaker": "张三",
    "abstract": "We study inverse problems.",
}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_round_trip(tmp_path):
    path = _write(tmp_path, "t.jsonl", json.dumps(GOOD, ensure_ascii=False) + "\n")
    (talk,) = read_user_file(path)
    assert talk.id == "csml2026-A1-1" and talk.kind == "session" and talk.speakers == ["张三"]
    again = read_user_file(_write(tmp_path, "again.jsonl", write_jsonl([talk])))
    assert again[0].to_dict() | {"source": ""} == talk.to_dict() | {"source": ""}


def test_csv_with_lists_and_booleans(tmp_path):
    text = "event,code,title,speaker,chairs,online,date\ncsml2026,B2-1,Title,Li Si,王五; 赵六,true,2026-08-09\n"
    (talk,) = read_user_file(_write(tmp_path, "t.csv", text))
    assert talk.chairs == ["王五", "赵六"] and talk.online is True and talk.date == "2026-08-09"


def test_bad_rows_are_all_reported_with_row_and_field(tmp_path):
    rows = [
        GOOD,
        {**GOOD, "code": "A1-2", "date": "9 Aug 2026"},
        {**GOOD, "code": "A1-3", "title": ""},
        {**GOOD, "code": "A1-4", "kind": "keynote", "colour": "red"},
    ]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n"
    with pytest.raises(UserDataError) as err:
        read_user_file(_write(tmp_path, "t.jsonl", text))
    problems = err.value.problems
    assert any(":2: field date:" in p for p in problems)
    assert any(":3: field title: missing" in p for p in problems)
    assert any(":4: field kind:" in p for p in problems) and any("colour" in p for p in problems)
    assert any(":5: not valid JSON" in p for p in problems)
    assert not any(":1:" in p for p in problems)


def test_duplicate_ids_against_the_corpus(tmp_path):
    path = _write(tmp_path, "t.jsonl", json.dumps({**GOOD, "event": "csml2022", "code": "A1-2"}) + "\n")
    with pytest.raises(UserDataError, match="already exists"):
        read_user_file(path, existing_ids=["csml2022-A1-2"])


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(UserDataError, match="unknown format"):
        read_user_file(_write(tmp_path, "t.xlsx", "x"))
    with pytest.raises(UserDataError, match="not found"):
        read_user_file(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("date", "2026-13-45", "is not a date of the calendar (YYYY-MM-DD)"),
     ("date", "2026-02-30", "is not a date of the calendar (YYYY-MM-DD)"),
     ("time", "99:99-25:61", "is not a time of day (HH:MM-HH:MM, 00:00 to 23:59)"),
     ("time", "10:00-09:30", "ends before it starts")],
)  # fmt: skip
def test_impossible_dates_and_times_are_rejected(tmp_path, field, value, expected):
    path = _write(tmp_path, "t.jsonl", json.dumps({**GOOD, field: value}, ensure_ascii=False) + "\n")
    with pytest.raises(UserDataError) as err:
        read_user_file(path)
    assert err.value.problems == [f"{path}:1: field {field}: {value!r} {expected}"]


def test_real_dates_and_times_pass(tmp_path):
    path = _write(tmp_path, "t.jsonl", json.dumps({**GOOD, "date": "2028-02-29", "time": "9:05-23:59"}) + "\n")
    assert read_user_file(path)[0].time == "9:05-23:59"


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "t.jsonl"
    good = json.dumps(GOOD, ensure_ascii=False).encode()
    path.write_bytes(good + b"\n" + good.replace(b"A1-1", b"A1-2") + b"\n" + '{"title": "扩散"}'.encode("gbk") + b"\n")
    with pytest.raises(UserDataError) as err:
        read_user_file(path)
    assert err.value.problems == [f"{path}:3: not UTF-8 text (byte 12 of the line is 0xc0); save it as UTF-8"]


def test_a_csv_row_over_several_lines_is_reported_where_it_starts(tmp_path):
    text = ("event,code,title,speaker,abstract\n"
            'csml2026,A1-1,Title,Li Si,"first line\nsecond line\nthird line"\n'
            "\n"
            'csml2026,A1-2,,Wang Wu,"one\ntwo"\n'
            "csml2026,A1-3,Title,,short\n")  # fmt: skip
    with pytest.raises(UserDataError) as err:
        read_user_file(_write(tmp_path, "t.csv", text))
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in err.value.problems] == ["6", "8"]


def test_jsonl_lines_end_at_newlines_only(tmp_path):
    """A JSON string may hold U+2028 (LINE SEPARATOR) unescaped, as ``ensure_ascii=False`` writes
    it: the row stays one row. Windows line ends and blank lines are fine."""
    rows = [{**GOOD, "abstract": "First part.\u2028Second part."}, {**GOOD, "code": "A1-2"}]
    text = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\r\n\r\n"
    first, second = read_user_file(_write(tmp_path, "t.jsonl", text))
    assert first.abstract == "First part.\u2028Second part." and second.id == "csml2026-A1-2"
    assert second.source == "t.jsonl:2"


def test_a_file_without_rows_is_refused(tmp_path):
    with pytest.raises(UserDataError, match="no talks in the file"):
        read_user_file(_write(tmp_path, "t.jsonl", "\n  \n"))
