"""Request parameters -> search-library arguments, with the same limits as the CLI."""

from __future__ import annotations

from collections.abc import Mapping

from search.engine import Filters, QueryError, Settings

LIMITS = Settings().search
MAX_QUERY_CHARS = LIMITS.max_query_chars


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, got {raw!r}") from None
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


def filters(args) -> Filters:
    return Filters(
        events=args.getlist("event"),
        years=args.getlist("year"),
        kinds=args.getlist("kind"),
        langs=args.getlist("lang"),
        sessions=args.getlist("session"),
        speakers=args.getlist("speaker"),
    )


def k(args: Mapping[str, str], default: int = 10) -> int:
    return integer(args, "k", default, 1, LIMITS.max_k)
