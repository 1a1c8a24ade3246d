"""The parameters of every API operation as pydantic models: the one definition the routes validate
with (GET query strings and POST JSON bodies alike) and the OpenAPI spec is generated from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model

from corpus.models import KINDS, LANGS
from search.engine import Engine, Filters, QueryError, Settings

LIMITS = Settings().search
MAX_QUERY_CHARS = LIMITS.max_query_chars  # q, in a GET query string or a POST body
MAX_VALUE_CHARS = 200  # one filter or exclusion value: a name, an institution, an event id
MAX_VALUES = 20  # values of one repeated parameter
MAX_OFFSET = 100_000
MAX_BODY_BYTES = 1 << 20  # a POST body: 20,000 characters escaped as \uXXXX fit several times over
MAX_URL_BYTES = 8190  # the request line (gunicorn's largest setting; waitress is checked by the app)
SHARE_URL_BYTES = 2000  # a posted search form whose GET address fits is redirected to it
MAX_HEADER_BYTES = 16_384  # one header field (gunicorn's limit_request_field_size)

Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUERY_CHARS, pattern=r"\S")]
Value = Annotated[str, StringConstraints(min_length=1, max_length=MAX_VALUE_CHARS, pattern=r"\S")]
Values = Annotated[list[Value], Field(max_length=MAX_VALUES)]
Year = Annotated[str, StringConstraints(pattern=r"^(19|20)\d\d$")]
K = Annotated[int, Field(ge=1, le=LIMITS.max_k)]


class _Params(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class TalkParams(_Params):
    """GET /api/talks/{id}, /api/people/{id}: no parameters besides the id."""


class RelatedParams(_Params):
    k: K = 5
    other_events: bool = Field(False, description="only talks of other events than this talk's")


class ExpertParams(_Params):
    q: Text = Field(description="a topic, a pasted abstract or a talk id")
    k: K = 20
    exclude_affiliation: Values = Field([], description="leave out people of this institution (any script)")
    exclude_name: Values = Field([], description="leave out this person (any written form)")


@lru_cache(maxsize=8)
def search_params(events: frozenset[str], sessions: frozenset[str]) -> type[_Params]:
    """The search parameters of one index: event and session values are the ones it knows."""
    event = Literal[tuple(sorted(events))]  # type: ignore[valid-type]
    session = Literal[tuple(sorted(sessions))]  # type: ignore[valid-type]
    many = Field([], max_length=MAX_VALUES)
    return create_model(
        "SearchParams",
        __base__=_Params,
        q=(Text, Field(description="the words to search for, or a pasted abstract")),
        k=(K, 10),
        offset=(Annotated[int, Field(ge=0, le=MAX_OFFSET)], 0),
        sort=(Literal["relevance", "date"], "relevance"),
        event=(Annotated[list[event], many], []),
        year=(Annotated[list[Year], many], []),
        kind=(Annotated[list[Literal[KINDS]], many], []),  # type: ignore[valid-type]
        lang=(Annotated[list[Literal[LANGS]], many], []),  # type: ignore[valid-type]
        session=(Annotated[list[session], many], []),
        speaker=(Values, Field([], description="a speaker's name in any written form")),
    )


def search_model(engine: Engine) -> type[_Params]:
    return search_params(engine.events(), engine.sessions())


def filters(p: Any) -> Filters:
    return Filters(events=list(p.event), years=list(p.year), kinds=list(p.kind), langs=list(p.lang),
                   sessions=list(p.session), speakers=list(p.speaker))  # fmt: skip


# --- reading a request -------------------------------------------------------------------------
def from_args(model: type[_Params], args: Any) -> Any:
    """Validate a query string (a MultiDict): lists from repeated parameters, digits only for integers."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in args:
            continue
        kind = _base(info.annotation)
        if kind is list:
            data[name] = args.getlist(name)
        elif kind is int:
            data[name] = _integer(name, args.get(name))
        elif kind is bool:
            data[name] = _boolean(name, args.get(name))
        else:
            data[name] = args.get(name)
    return validate(model, {k: v for k, v in data.items() if v is not None})


def from_json(model: type[_Params], body: bytes) -> Any:
    """Validate a JSON object body with the same fields and limits as the query string."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise QueryError('the request body must be a JSON object of the parameters, e.g. {"q": "..."}')
    return validate(model, data)


def validate(model: type[_Params], data: Mapping[str, Any]) -> Any:
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise QueryError(_message(exc.errors()[0])) from None


def _base(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    return origin or annotation


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """One whole-number form field outside the models (the assign page's), with the same digit rule."""
    value = _integer(name, args.get(name) or None)  # an empty form box means the default
    if value is None:
        return default
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _integer(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    # int() would also take " 5", "+5", "٣" and "５"; an empty value is no integer either
    if not (raw.isascii() and raw.isdigit()):
        raise QueryError(f"{name} must be a whole number written with the digits 0-9, got {raw!r}")
    return int(raw)


def _boolean(name: str, raw: str | None) -> bool | None:
    value = (raw or "").lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise QueryError(f"{name} must be true or false, got {raw!r}")


def _message(err: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence that says what to change (no field paths, no CLI words)."""
    loc = [str(x) for x in err.get("loc", ())]
    name = loc[0] if loc else "body"
    value, ctx, kind = err.get("input"), err.get("ctx") or {}, err.get("type", "")
    if kind == "missing":
        return f"parameter {name} is required" + (": the words to search for" if name == "q" else "")
    if len(loc) > 1 and loc[1].isdigit():  # one value of a repeated parameter
        if kind == "literal_error":
            return f"unknown {name} {value!r}; choose from {ctx.get('expected', '')}"
        if kind == "string_too_long":
            return f"a value of parameter {name} is {len(value)} characters; the limit is {ctx['max_length']}"
        if kind in ("string_too_short", "string_pattern_mismatch") and name == "year":
            return f"year {value!r} is not a four-digit year"
        if kind in ("string_too_short", "string_pattern_mismatch"):
            return f"a value of parameter {name} is empty"
        return f"a value of parameter {name}: {err.get('msg', 'invalid')}"
    if kind == "too_long":
        return f"parameter {name} is given {len(value)} times; the limit is {ctx['max_length']}"
    if kind == "string_too_long":
        return f"parameter {name} is {len(value)} characters; the limit is {ctx['max_length']}"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return f"parameter {name} is required" + (": the words to search for" if name == "q" else "") + "; it is empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _range(name)
        return f"{name} must be between {low} and {high}, got {value}"
    if kind == "literal_error":
        return f"{name} must be one of {ctx.get('expected', '')}, got {value!r}"
    if kind.startswith("int") or kind.startswith("bool") or kind.startswith("string") or kind.startswith("list"):
        return f"parameter {name} has the wrong type: {err.get('msg', '')}"
    return f"parameter {name}: {err.get('msg', 'invalid')}"


def _range(name: str) -> tuple[int, int]:
    return (0, MAX_OFFSET) if name == "offset" else (1, LIMITS.max_k)
