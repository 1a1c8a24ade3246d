"""Messages for people that a UI can say in Chinese too: the mechanism, and the file and row problems.

A ``Note`` is its English text (a ``str``: the CLI, the API and the CSV use it as it is) that also
keeps its template key and values, so ``say(note, templates)`` renders another language's template
of the same key. An optional part ("— did you mean X?", a row's "FILE:ROW: " prefix) is a second
note joined to the first with ``+``. A higher layer adds its own templates in a ``Note`` subclass
(``search.notes`` has the organizers' warnings, and these too); keys are unique across layers.
"""

from __future__ import annotations

from typing import Any, ClassVar

# Problems of an uploaded file and of its rows (corpus add, reviewer assignment).
EN = {
    "at_row": "{name}:{no}: ",
    "at_file": "{name}: ",
    "bad_json": "not valid JSON ({error} at column {column})",
    "not_object": "each line must be a JSON object",
    "bad_csv": "not valid CSV ({error})",
    "extra_cells": "more cells than header columns",
    "unknown_fields": "unknown field(s) {fields}; allowed: {allowed}",
    "missing": "field {field}: missing (required)",
    "not_text": "field {field}: must be text, got {kind}",
    "too_long": "field {field}: longer than {limit} characters",
    "bom_mismatch": "starts with a {encoding} byte-order mark but is not {encoding} (byte {byte}); save it as UTF-8",
    "nul_bytes": "is not a text file (it contains NUL bytes); save it as UTF-8, UTF-16 with a byte-order mark, "
    "or GB18030",
    "not_utf8_gb": "neither UTF-8 nor GB18030 text; save the file as UTF-8",
    "unknown_format": "unknown format {suffix!r}; use .jsonl or .csv",
}


class Note(str):
    """English text that remembers how it was made: ``parts`` are (template key, values) pairs."""

    TEMPLATES: ClassVar[dict[str, str]] = EN
    parts: tuple[tuple[str, dict[str, Any]], ...]

    def __new__(cls, key: str, **values: Any) -> Note:
        note = super().__new__(cls, cls.TEMPLATES[key].format(**values))
        note.parts = ((key, values),)
        return note

    def __add__(self, other: str) -> Note | str:  # type: ignore[override]
        if not other:
            return self
        if not isinstance(other, Note):
            return str(self) + other
        return _made(type(self), str(self) + str(other), self.parts + other.parts)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (Ray) and deep-copied (dataclasses.asdict) whole
        return _made, (type(self), str(self), self.parts)


def _made(cls: type[Note], text: str, parts: tuple[tuple[str, dict[str, Any]], ...]) -> Note:
    note = str.__new__(cls, text)
    note.parts = parts
    return note


def say(message: str, templates: dict[str, str]) -> str:
    """The message in the language of ``templates`` (key -> template); anything else as it is."""
    parts = getattr(message, "parts", None)
    if not parts or any(key not in templates for key, _ in parts):
        return str(message)
    return "".join(templates[key].format(**values) for key, values in parts)
