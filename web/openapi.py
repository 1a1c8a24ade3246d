"""The OpenAPI description served at /api/openapi.json, generated from the pydantic models in
web.params that the routes validate with: a limit changed there changes the spec too."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from search.engine import Engine
from web import params

_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"status": {"type": "integer"}, "error": {"type": "string"}},
    "required": ["status", "error"],
}
_REASONS = {400: "Bad parameter", 404: "Unknown id", 405: "Method not allowed", 413: "Body too large",
            414: "URL too long: send the parameters with POST", 415: "Body is not JSON"}  # fmt: skip


def spec(engine: Engine) -> dict[str, Any]:
    return _spec(params.search_model(engine))


def _ok(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


def _errors(*codes: int) -> dict[str, Any]:
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {str(c): {"description": _REASONS[c], **ref} for c in codes}


def _assign() -> dict[str, Any]:
    """POST /api/assign validates its own body (web.assign_views, search.submissions): described from
    the same constants. Two things no schema can say: ids must be unique, reviewers must be people of
    the corpus."""
    from search.submissions import ID, MAX_LEN, MAX_SUBMISSIONS
    from web.assign_views import MAX_LOAD, MAX_PER_SUBMISSION, MAX_REVIEWERS, MAX_UPLOAD

    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    names = {"oneOf": [{"type": "array", "items": text, "nullable": True}, {"type": "string"}],
             "description": "a list, or one text separated by ';'"}  # fmt: skip
    submission = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title"],
        "properties": {
            "id": {"type": "string", "pattern": ID.pattern, "maxLength": MAX_LEN["id"]},
            "title": {**text, "maxLength": MAX_LEN["title"]},
            "abstract": {"type": "string", "maxLength": MAX_LEN["abstract"], "nullable": True},
            "authors": names,
            "affiliations": names,
        },
    }
    body = {
        "type": "object",
        "additionalProperties": False,
        "required": ["submissions"],
        "properties": {
            "submissions": {"type": "array", "minItems": 1, "maxItems": MAX_SUBMISSIONS, "items": submission,
                            "description": "ids unique"},
            "per_submission": {"type": "integer", "minimum": 1, "maximum": MAX_PER_SUBMISSION, "default": 3},
            "max_load": {"type": "integer", "minimum": 1, "maximum": MAX_LOAD, "default": 4},
            "reviewers": {"type": "array", "maxItems": MAX_REVIEWERS, "items": {"type": "string"},
                          "description": "names or person ids of the corpus (default: everyone with a talk)"},
        },
    }  # fmt: skip
    return {"post": {
        "summary": "Reviewers for a set of submissions (optimal under load limits, conflicts excluded)",
        "operationId": "assign",
        "requestBody": {"required": True, "description": f"At most {MAX_UPLOAD:,} bytes.",
                        "content": {"application/json": {"schema": body}}},
        "responses": {
            "200": _ok("{submissions: [{id, reviewers: [{person_id, name, affinity, rank, evidence}], excluded}], "
                       "summary, warnings}"),
            **_errors(400, 413, 415),
        },
    }}  # fmt: skip


def _schema(model: type) -> dict[str, Any]:
    """The model's JSON schema, self-contained (enums inlined, no $defs) and OpenAPI-3.0 shaped."""
    schema = model.model_json_schema(mode="validation")
    defs = schema.pop("$defs", {})
    schema = _inline(schema, defs)
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[1]], defs)
        out = {k: _inline(v, defs) for k, v in node.items() if k != "title"}
        if "const" in out:  # a one-value Literal: OpenAPI 3.0 knows enum, not const
            out["enum"] = [out.pop("const")]
        return out
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _query(model: type) -> list[dict[str, Any]]:
    """The model's fields as query parameters (arrays repeat the name: ?event=a&event=b)."""
    schema = _schema(model)
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        entry: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            entry["description"] = prop.pop("description")
        if prop.get("type") == "array":
            entry.update(style="form", explode=True)
        out.append(entry)
    return out


def _body(model: type) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _schema(model)}}}


def _path_id(what: str) -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1},
            "description": f"a {what} id"}  # fmt: skip


@lru_cache(maxsize=8)
def _spec(search: type) -> dict[str, Any]:
    expert, related = params.ExpertParams, params.RelatedParams
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "talksearch API",
            "version": "1.1.0",
            "description": "Bilingual search over talk abstracts. Search and experts take a query string (GET) "
            f"or the same fields as a JSON object (POST; texts up to {params.MAX_QUERY_CHARS:,} characters, "
            f"bodies up to {params.MAX_BODY_BYTES:,} bytes). URLs are limited to {params.MAX_URL_BYTES:,} bytes.",
        },
        "paths": {
            "/api/search": {
                "get": {"summary": "Ranked talks for a query", "operationId": "search",
                        "parameters": _query(search), "responses": {"200": _ok("Search response"), **_errors(400)}},
                "post": {"summary": "Ranked talks for a query (parameters as JSON)", "operationId": "searchPost",
                         "requestBody": _body(search),
                         "responses": {"200": _ok("Search response"), **_errors(400, 413, 415)}},
            },
            "/api/trends": {
                "get": {"summary": "Matching talks per year (every year of the corpus, 0 where none match)",
                        "operationId": "trends", "parameters": _query(search),
                        "responses": {"200": _ok("Trends: query, total, strong_match, years"), **_errors(400)}},
            },
            "/api/talks/{id}": {
                "get": {"summary": "One talk", "operationId": "talk", "parameters": [_path_id("talk")],
                        "responses": {"200": _ok("Talk"), **_errors(404)}},
            },
            "/api/talks/{id}/related": {
                "get": {"summary": "Talks similar to a talk", "operationId": "related",
                        "parameters": [_path_id("talk"), *_query(related)],
                        "responses": {"200": _ok("Related talks"), **_errors(400, 404)}},
            },
            "/api/people/{id}": {
                "get": {"summary": "A person, every talk and role", "operationId": "person",
                        "parameters": [_path_id("person")], "responses": {"200": _ok("Person"), **_errors(404)}},
            },
            "/api/experts": {
                "get": {"summary": "People ranked by their talks on a topic", "operationId": "experts",
                        "parameters": _query(expert), "responses": {"200": _ok("Experts"), **_errors(400)}},
                "post": {"summary": "People ranked by their talks on a topic (parameters as JSON)",
                         "operationId": "expertsPost", "requestBody": _body(expert),
                         "responses": {"200": _ok("Experts"), **_errors(400, 413, 415)}},
            },
            "/api/assign": _assign(),
            "/api/health": {"get": {"summary": "Index status", "operationId": "health",
                                    "responses": {"200": _ok("Health")}}},
        },
        "components": {"schemas": {"Error": _ERROR_SCHEMA}},
    }  # fmt: skip
