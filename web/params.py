"""Request parameters -> search-library arguments, with the same limits as the CLI."""

from __future__ import annotations

from collections.abc import Mapping

from search.engine import Filters, QueryError, Settings

LIMITS = Settings().search
MAX_QUERY_CHARS = LIMITS.max_query_chars
MAX_VALUE_CHARS = 200  # one filter or exclusion value: a name, an institution, an event id
MAX_VALUES = 20  # values of one repeated parameter
MAX_OFFSET = 100_000


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()):  # int() would also take " 5", "+5", "٣" and "５"
        raise QueryError(f"{name} must be a whole number written with the digits 0-9, got {raw!r}")
    value = int(raw)
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}, got {value}")
    return value


def query(args: Mapping[str, str], name: str = "q", required: bool = True) -> str:
    q = (args.get(name) or "").strip()
    if required and not q:
        raise QueryError(f"parameter {name} is required: the words to search for")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"parameter {name} is {len(q)} characters; the limit is {MAX_QUERY_CHARS}")
    return q


def values(args, name: str) -> list[str]:
    """The values of a repeated parameter as given, capped before any work is done with them."""
    found = args.getlist(name)
    if len(found) > MAX_VALUES:
        raise QueryError(f"parameter {name} is given {len(found)} times; the limit is {MAX_VALUES}")
    for v in found:
        if len(v) > MAX_VALUE_CHARS:
            raise QueryError(f"a value of parameter {name} is {len(v)} characters; the limit is {MAX_VALUE_CHARS}")
    return found


FILTER_PARAMS = {"events": "event", "years": "year", "kinds": "kind", "langs": "lang", "sessions": "session",
                 "speakers": "speaker"}  # fmt: skip


def filters(args) -> Filters:
    return Filters(**{field: values(args, name) for field, name in FILTER_PARAMS.items()})


def offset(args: Mapping[str, str]) -> int:
    return integer(args, "offset", 0, 0, MAX_OFFSET)


def k(args: Mapping[str, str], default: int = 10) -> int:
    return integer(args, "k", default, 1, LIMITS.max_k)
