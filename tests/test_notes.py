"""search.notes: English text that a UI can say in Chinese, surviving pickling and copies."""

from __future__ import annotations

import copy
import json
import pickle

from search.notes import EN, Note, say
from web.i18n import NOTES_ZH


def test_every_note_has_a_chinese_template_with_the_same_values():
    assert NOTES_ZH.keys() == EN.keys()
    values = {"aff": "a", "name": "n", "author": "a", "institution": "i", "query": "q", "people": "p", "value": "v",
              "names": "n", "hint": "h", "alias": "a", "label": "l", "text": "t", "hit": "h", "source": "s",
              "unit": "u", "talk": "t", "title": "t", "submissions": "2 submissions", "per": "3 reviewers",
              "reviewers": "1 reviewer", "n": 2, "k": 3, "pool": 40, "max_load": 4, "seconds": 1.5, "mean": 0.5,
              "optimum": 0.6, "ratio": 0.8, "share": 0.7}  # fmt: skip
    for key in EN:
        assert say(Note(key, **values), NOTES_ZH) == NOTES_ZH[key].format(**values)


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
