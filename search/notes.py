"""Messages for people (warnings, conflict reasons) that the web app can say in Chinese too.

A ``Note`` is its English text (a ``str``: the CLI, the API and the CSV use it as it is) that also
keeps its template key and values, so ``say(note, "zh")`` renders the Chinese template of the same
key. An optional part ("— did you mean X?") is a second note joined to the first with ``+``.
"""

from __future__ import annotations

from typing import Any

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
}


class Note(str):
    """English text that remembers how it was made: ``parts`` are (template key, values) pairs."""

    parts: tuple[tuple[str, dict[str, Any]], ...]

    def __new__(cls, key: str, **values: Any) -> Note:
        note = super().__new__(cls, EN[key].format(**values))
        note.parts = ((key, values),)
        return note

    def __add__(self, other: str) -> Note | str:  # type: ignore[override]
        if not other:
            return self
        if not isinstance(other, Note):
            return str(self) + other
        return _made(str(self) + str(other), self.parts + other.parts)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (Ray) and deep-copied (dataclasses.asdict) whole
        return _made, (str(self), self.parts)


def _made(text: str, parts: tuple[tuple[str, dict[str, Any]], ...]) -> Note:
    note = str.__new__(Note, text)
    note.parts = parts
    return note


def say(message: str, templates: dict[str, str]) -> str:
    """The message in the language of ``templates`` (key -> template); anything else as it is."""
    parts = getattr(message, "parts", None)
    if not parts or any(key not in templates for key, _ in parts):
        return str(message)
    return "".join(templates[key].format(**values) for key, values in parts)
