"""The organizers' warnings, conflict and exclusion reasons and assignment summaries, as
``corpus.notes.Note``s: English text that the web app can also say in Chinese (``web.i18n.NOTES_ZH``).
"""

from __future__ import annotations

from typing import ClassVar

from corpus import notes
from corpus.notes import say

__all__ = ["EN", "Note", "say"]

EN = {
    "no_abstract": "no abstract: matched on the title alone",
    "no_authors": "no authors: nobody was excluded as an author",
    "no_affiliations": "no affiliations: nobody was excluded for sharing an institution",
    "affiliation_school": "affiliation {aff!r} names a school or department only; its conflicts were not checked",
    "affiliation_unknown": "affiliation {aff!r} names no institution in the table; its conflicts were not checked",
    "author": "{name} is an author ({author!r})",
    "same_institution": "{name} is at {institution}, as is the submission ({aff!r})",
    "no_expert": "no talk is a strong match for {query!r}, so nobody is shown as an expert on it",
    "closest_people": "no talk is a strong match for {query!r}: these are the closest people, not experts",
    "unchecked": "the affiliation exclusions could not be checked for {people}: their printed affiliation "
    "names no institution",
    "is_name_of": "{value!r} is a name of {name}",
    "no_name": "nobody in the corpus is named {value!r}; nobody was excluded",
    "nobody_there": "{value!r} is {names}, but nobody in the corpus is affiliated there; nobody was excluded",
    "no_institution": "no institution matches {value!r}; nobody was excluded",
    "did_you_mean": " — did you mean {hint}?",
    "institution": "{alias!r} names {label}: printed affiliation {text!r} is {hit}",
    "inferred": "{alias!r} names {label}: printed affiliation {text!r} (a school only; resolved from the same "
    "person's {source!r}) is {hit}",
    "part_of": " (part of {unit})",
    "speaker": "a speaker of {talk} ({title})",
    "summary_size": "{submissions} × {per} from a pool of {pool} (max load {max_load}), affinity and solve in "
    "{seconds} s",
    "summary_affinity": "mean affinity {mean:.4f}; unconstrained optimum (each submission its best {k}, no load "
    "limit) {optimum:.4f}: {ratio:.1%} of it",
    "summary_best": "submissions that got their best-matching reviewer: {share:.1%}",
    "loads": "loads (assigned submissions per reviewer): ",
    "load": "{reviewers} × {k}",
    "list_comma": ", ",
    "summary_conflicts": "conflicting pairs excluded: {n}",
    "printed": "{value!r} names no institution in the table; printed affiliation {aff!r} contains it",
    # problems of a submissions file (search.submissions), after corpus.notes' row prefix
    "no_submissions": "no submissions in the file",
    "too_many": "{n} submissions; at most {limit} at a time",
    "not_submission": "each submission must be a JSON object",
    "duplicate_id": "field id: {id!r} appears twice; ids must be unique",
    "not_names": "field {field}: must be a list of names (CSV: separated by ';')",
    "blank_name": "field {field}: name {positions} of the list is empty; leave it out",
    "bad_id": "field id: {value!r} is not letters, digits and _ . : -",
}


class Note(notes.Note):
    """A ``corpus.notes.Note`` made from these templates or the corpus layer's (file and row problems)."""

    TEMPLATES: ClassVar[dict[str, str]] = {**notes.EN, **EN}
