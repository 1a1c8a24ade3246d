"""The API reference as a readable page, rendered from the same OpenAPI spec as /api/openapi.json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint

from web.context import engine, page
from web.openapi import spec

bp = Blueprint("apidocs", __name__)

METHODS = ("get", "post")


@dataclass
class Field:
    name: str
    where: str
    required: bool
    type: str
    rules: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    fields: list[Field]
    body: list[Field]
    body_note: str
    responses: list[tuple[str, str]]


def _type(schema: dict[str, Any]) -> str:
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return schema.get("type", "object")


def _rules(schema: dict[str, Any]) -> str:
    """Limits and choices in words: 1-100, one of a | b, default 10."""
    parts = []
    items = schema.get("items", {}) if schema.get("type") == "array" else schema
    if "enum" in items:
        parts.append("one of " + " | ".join(map(str, items["enum"])))
    low = schema.get("minimum", schema.get("minLength"))
    high = schema.get("maximum", schema.get("maxLength"))
    if low is not None or high is not None:
        unit = " characters" if "maxLength" in schema or "minLength" in schema else ""
        parts.append(f"{low if low is not None else ''}-{high if high is not None else ''}{unit}")
    if "maxItems" in schema:
        parts.append(f"at most {schema['maxItems']} values")
    if schema.get("default") not in (None, [], ""):
        parts.append(f"default {schema['default']}")
    return "; ".join(parts)


def operations(doc: dict[str, Any]) -> list[Operation]:
    out = []
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            fields = [
                Field(
                    p["name"],
                    p["in"],
                    bool(p.get("required")),
                    _type(p.get("schema", {})),
                    _rules(p.get("schema", {})),
                    p.get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            body, note = [], ""
            if "requestBody" in op:
                schema = op["requestBody"].get("content", {}).get("application/json", {}).get("schema", {})
                note = op["requestBody"].get("description", "")
                required = set(schema.get("required", []))
                body = [
                    Field(name, "body", name in required, _type(s), _rules(s), s.get("description", ""))
                    for name, s in schema.get("properties", {}).items()
                ]
            responses = [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()]
            out.append(Operation(method.upper(), path, op.get("summary", ""), fields, body, note, responses))
    return out


@bp.get("/docs/api")
def api_docs() -> str:
    doc = spec(engine())
    return page("api_docs.html", info=doc.get("info", {}), ops=operations(doc))
