"""search.notes: English text that a UI can say in Chinese, surviving pickling and copies."""

from __future__ import annotations

import copy
import json
import pickle

from corpus import notes
from search.notes import EN, Note, say
from web.i18n import NOTES_ZH


def test_every_note_has_a_chinese_template_with_the_same_values():
    assert not EN.keys() & notes.EN.keys()  # one key, one message, across the layers
    assert NOTES_ZH.keys() == EN.keys() | notes.EN.keys()
    values = {"aff": "a", "name": "n", "author": "a", "institution": "i", "query": "q", "people": "p", "value": "v",
              "names": "n", "hint": "h", "alias": "a", "label": "l", "text": "t", "hit": "h", "source": "s",
              "unit": "u", "talk": "t", "title": "t", "submissions": "2 submissions", "per": "3 reviewers",
              "reviewers": "1 reviewer", "n": 2, "k": 3, "pool": 40, "max_load": 4, "seconds": 1.5, "mean": 0.5,
              "optimum": 0.6, "ratio": 0.8, "share": 0.7, "suffix": ".txt", "limit": 5, "id": "p1", "field": "f",
              "positions": "2", "no": 3, "error": "e", "column": 4, "fields": "x", "allowed": "a", "kind": "int",
              "encoding": "utf-16", "byte": 7}  # fmt: skip
    for cls in (Note, notes.Note):
        for key in cls.TEMPLATES:
            assert say(cls(key, **values), NOTES_ZH) == NOTES_ZH[key].format(**values)


def test_joined_notes_say_each_part_and_plain_text_stays_english():
    note = Note("no_name", value="Xu") + Note("did_you_mean", hint="许志钦")
    assert note == "nobody in the corpus is named 'Xu'; nobody was excluded — did you mean 许志钦?"
    assert say(note, NOTES_ZH) == "语料中没有名为「Xu」的人；未排除任何人——您是否要找 许志钦？"
    assert (Note("no_name", value="Xu") + "").parts == (("no_name", {"value": "Xu"}),)
    assert say("a plain message", NOTES_ZH) == "a plain message"


def test_notes_survive_pickling_deep_copies_and_json():
    note = Note("author", name="许志钦", author="Zhi-Qin John Xu") + Note("part_of", unit="上海交通大学")
    for again in (pickle.loads(pickle.dumps(note)), copy.deepcopy(note)):
        assert again == note and again.parts == note.parts
    assert json.loads(json.dumps({"w": note}))["w"] == str(note)


def test_a_file_problem_joins_the_layers_notes_and_says_them_in_chinese():
    problem = notes.Note("at_row", name="subs.csv", no=3) + Note("duplicate_id", id="p1")
    assert problem == "subs.csv:3: field id: 'p1' appears twice; ids must be unique"
    assert say(problem, NOTES_ZH) == "subs.csv 第 3 行：字段 id：「p1」出现了两次；id 必须唯一"
    again = pickle.loads(pickle.dumps(problem))
    assert again.parts == problem.parts and type(again) is type(problem)
