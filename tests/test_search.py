"""Search on the real index: ranking, people, filters, related talks, experts, batch, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from search.batch import format_rows, read_queries
from search.cli import main
from search.query import Filters, QueryError


@pytest.fixture(scope="session")
def data_dir(built_dir):
    return built_dir


def ids(response) -> list[str]:
    return [h.id for h in response.hits]


# --- ranking -------------------------------------------------------------------------------------


def test_english_chinese_and_mixed_queries(engine):
    assert ids(engine.search("Non-line-of-sight imaging", k=3))[0] == "csml2022-A1-4"
    assert "csml2024-A5-4" in ids(engine.search("扩散模型", k=5))
    top = ids(engine.search("大模型 reasoning", k=10))
    assert {"csml2024-B1-3", "csml2024-C3-4", "csml2025-B1-4"} <= set(top)


def test_a_mixed_query_is_completed_in_each_talks_language(engine):
    # '扩散模型 inverse problem': the English talk with both diffusion and inverse problems first,
    # and the Chinese talk on inverse problems (逆问题) on the first page beside Chinese diffusion talks
    # (11th since English talks are also indexed under their Chinese terms: more of them compete).
    top = ids(engine.search("扩散模型 inverse problem", k=12))
    assert top[0] == "csml2025-B2-1"
    assert "csml2024-D2-1" in top


def test_cross_lingual_query_finds_other_language_talks(engine):
    # Chinese query, English talks; English query, Chinese talks.
    assert "csml2022-A1-4" in ids(engine.search("非视距成像", k=10))
    zh_hits = ids(engine.search("deep potential molecular dynamics", k=10))
    assert "seminar-2021-07-03-1" in zh_hits  # 基于深度学习的分子动力学模拟
    response = engine.search("large language model reasoning", k=10)
    assert any(engine.talk(i).abstract_lang == "zh" for i in ids(response))
    assert response.translations  # the translated terms are reported


def test_query_normalisation(engine):
    assert ids(engine.search("ＰＩＮＮ 隱式正則化", k=3)) == ids(engine.search("PINN 隐式正则化", k=3))
    assert ids(engine.search("pinn", k=5)) == ids(engine.search("PINN", k=5))


def test_pasted_abstract_is_a_valid_query(engine):
    abstract = engine.talk("csml2022-A2-1").abstract
    assert len(abstract) > 1000
    assert ids(engine.search(abstract, k=3))[0] == "csml2022-A2-1"


@pytest.mark.parametrize("query", ["许志钦", "Xu Zhiqin", "Zhi-Qin John Xu", "zhiqin xu", "xuzhiqin"])
def test_a_person_in_any_form_ranks_their_talks_first(engine, query):
    response = engine.search(query, k=4)
    assert [p["name"] for p in response.people] == ["许志钦"]
    assert set(ids(response)) == {"csml2022-INV-1", "csml2024-B1-3", "seminar-2021-07-17-1", "seminar-2021-04-17-1"}
    assert all(h.person_match for h in response.hits)


def test_homonyms_are_not_merged_in_search(engine):
    response = engine.search("张林峰", k=10)
    assert len(response.people) == 2  # both people named 张林峰, each with their own talks
    top = ids(engine.search("张林峰 模型压缩", k=1))
    assert top == ["csml2025-A4-2"]


def test_hits_carry_components_snippet_and_best_sentence(engine):
    response = engine.search("implicit regularization", k=5)
    hit = next(h for h in response.hits if h.lang == "en")
    assert hit.score > 0 and hit.dense > 0 and hit.lexical > 0
    assert hit.snippet and hit.highlights
    a, b = hit.highlights[0]
    assert "implicit" in hit.snippet[a:b].lower() or "regulari" in hit.snippet[a:b].lower()
    assert hit.best_sentence and hit.best_sentence in engine.talk(hit.id).abstract


def test_chinese_highlights_and_translated_terms(engine):
    hit = engine.search("脉冲神经网络", k=1).hits[0]
    assert any("脉冲" in hit.snippet[a:b] for a, b in hit.highlights)
    response = engine.search("weather forecasting", k=10)
    assert "天气预报" in response.translations
    zh = [h for h in response.hits if h.lang == "zh" and "天气预报" in h.snippet]
    assert zh and any(h.snippet[a:b] == "天气预报" for h in zh for a, b in h.highlights)


def test_strong_match_flag(engine):
    assert engine.search("spiking neural networks", k=3).strong_match
    assert not engine.search("medieval poetry", k=3).strong_match
    assert not engine.search("如何烹饪意大利面", k=3).strong_match


def test_deterministic_order(engine):
    assert ids(engine.search("optimal transport", k=20)) == ids(engine.search("optimal transport", k=20))


# --- filters, sort, pagination --------------------------------------------------------------------


def test_filters(engine):
    r = engine.search("neural networks", k=20, filters=Filters(events=["csml2024"], langs=["zh"]))
    assert r.hits and all(h.event == "csml2024" and h.lang == "zh" for h in r.hits)
    r = engine.search("learning", k=20, filters=Filters(kinds=["invited"]))
    assert r.hits and all(h.kind == "invited" for h in r.hits)
    r = engine.search("learning", k=20, filters=Filters(speakers=["Lei Wu"]))
    assert r.hits and all(h.speaker in ("吴磊", "Lei Wu") for h in r.hits)
    r = engine.search("learning", k=20, filters=Filters(years=["2021"]))
    assert r.hits and all(h.date.startswith("2021") for h in r.hits)
    r = engine.search("optimization", k=20, filters=Filters(events=["csml2022"], sessions=["B3"]))
    assert r.hits and all(h.session == "B3" for h in r.hits)


def test_facets_and_pagination(engine):
    first = engine.search("deep learning", k=5)
    second = engine.search("deep learning", k=5, offset=5)
    assert not set(ids(first)) & set(ids(second))
    assert sum(first.facets["event"].values()) == first.total


def test_sort_by_date(engine):
    r = engine.search("reinforcement learning", k=10, sort="date")
    dates = [h.date for h in r.hits]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "   "}, "empty query"),
        ({"query": "x" * 20_001}, "limit"),
        ({"query": "pinn", "k": 0}, "between 1 and 100"),
        ({"query": "pinn", "k": 101}, "between 1 and 100"),
        ({"query": "pinn", "filters": Filters(events=["icml2030"])}, "unknown event"),
        ({"query": "pinn", "filters": Filters(langs=["fr"])}, "unknown lang"),
        ({"query": "pinn", "sort": "stars"}, "sort must be"),
    ],
)
def test_bad_input_is_a_clear_error(engine, kwargs, message):
    with pytest.raises(QueryError, match=message):
        engine.search(**kwargs)


# --- related talks ------------------------------------------------------------------------------


def test_related_talks(engine):
    hits = engine.related("csml2022-A1-4", k=5)
    assert len(hits) == 5 and "csml2022-A1-4" not in ids_of(hits)
    assert "csml2025-C6-3" in ids_of(hits)  # the other non-line-of-sight imaging talk


def test_related_never_shows_the_duplicate(engine):
    hits = engine.related("csml2025-A3-1", k=10)
    assert "csml2025-D3-3" not in ids_of(hits)
    hits = engine.related("csml2025-D3-3", k=10)
    assert "csml2025-A3-1" not in ids_of(hits)


def test_related_two_per_speaker_where_the_cap_binds(engine):
    # 朱通 has three talks among csml2024-B9-2's ten nearest: the cap must cut the third.
    uncapped = engine.with_settings(["related.per_speaker=100"]).related("csml2024-B9-2", k=10)
    assert [h.speaker for h in uncapped].count("朱通") == 3
    capped = [h.speaker for h in engine.related("csml2024-B9-2", k=10)]
    assert capped.count("朱通") == 2 and all(capped.count(s) <= 2 for s in capped) and len(capped) == 10


def test_related_other_events(engine):
    other = engine.related("csml2024-A1-3", k=10, other_events=True)
    assert all(h.event != "csml2024" for h in other)


def test_related_unknown_id_suggests(engine):
    with pytest.raises(QueryError, match="did you mean csml2022-A1-4"):
        engine.related("csml2022-A1-44")


def ids_of(hits) -> list[str]:
    return [h.id for h in hits]


# --- experts: tests/test_experts.py -------------------------------------------------------------


# --- command line and batch ------------------------------------------------------------------------


@pytest.fixture
def cli(data_dir):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)

    return invoke


def test_cli_search_json_is_stable(cli):
    result = cli("search", "扩散模型 逆问题", "-k", "3", "--json")
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "hits", "strong_match", "translations", "facets", "people"}
    assert len(data["hits"]) == 3 and {"id", "score", "dense", "lexical", "snippet", "highlights"} <= set(
        data["hits"][0]
    )


def test_cli_bad_input_has_no_traceback(cli):
    for args in (
        ["search", " "],
        ["search", "x", "-k", "0"],
        ["search", "x", "--event", "nope"],
        ["related", "bad-id"],
    ):
        result = cli(*args)
        assert result.exit_code != 0 and "Traceback" not in result.output and "Error:" in result.output


def test_batch_formats_and_bad_lines(cli, tmp_path):
    path = tmp_path / "queries.tsv"
    path.write_text(
        "id\tquery\nq1\tPINN 隐式正则化\nq2\tspiking neural networks\nbroken line\nq3\t \n", encoding="utf-8"
    )
    result = cli("batch", str(path), "--format", "trec", "-k", "5")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 10 and all(len(line.split()) == 6 and line.endswith("talksearch") for line in lines)
    assert lines[0].split()[:4] == ["q1", "Q0", "csml2022-A2-4", "1"]
    assert "queries.tsv:4" in result.output and "queries.tsv:5" in result.output
    again = cli("batch", str(path), "--format", "trec", "-k", "5")
    assert again.stdout == result.stdout


def test_batch_jsonl_experts_csv(cli, tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "t1", "query": "reinforcement learning"}\n', encoding="utf-8")
    out = tmp_path / "run.csv"
    result = cli("batch", str(path), "--task", "experts", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,rank,doc,score") and len(rows) == 11


def test_batch_reader_and_writer():
    queries, errors = read_queries('{"id": 1, "query": "a"}\n{"id": 2}\nnot json\n', "f.jsonl")
    assert [q.qid for q in queries] == ["1"] and len(errors) == 2
    assert format_rows([], "trec") == ""


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig", "utf-32"])
def test_batch_reads_the_encodings_excel_writes(cli, tmp_path, encoding):
    path = tmp_path / "q.tsv"
    path.write_bytes("q1\t物理信息神经网络 隐式正则化\n".encode(encoding))
    result = cli("batch", str(path), "--format", "trec", "-k", "3")
    assert result.exit_code == 0 and result.stdout.splitlines()[0].startswith("q1 Q0 ")
    utf8 = tmp_path / "u.tsv"
    utf8.write_text("q1\t物理信息神经网络 隐式正则化\n", encoding="utf-8")
    assert cli("batch", str(utf8), "--format", "trec", "-k", "3").stdout == result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no queries in"),
        (b"\n\n  \n", "no queries in"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ],
)
def test_batch_empty_or_binary_file_is_one_clear_error(cli, tmp_path, content, message):
    path = tmp_path / "q.tsv"
    path.write_bytes(content)
    result = cli("batch", str(path))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_batch_csv_evidence_is_a_semicolon_list(cli, tmp_path):
    path = tmp_path / "q.tsv"
    path.write_text("e1\tdeep learning theory\n", encoding="utf-8")
    result = cli("batch", str(path), "--task", "experts", "--format", "csv", "-k", "5")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 and all("[" not in r["evidence"] and r["evidence"] for r in rows)
    assert any(";" in r["evidence"] for r in rows)
