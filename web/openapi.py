"""The OpenAPI description served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from web.params import LIMITS, MAX_OFFSET, MAX_QUERY_CHARS, MAX_VALUE_CHARS, MAX_VALUES

_STRINGS = {"type": "array", "maxItems": MAX_VALUES,
            "items": {"type": "string", "minLength": 1, "maxLength": MAX_VALUE_CHARS}}  # fmt: skip
_Q = {"name": "q", "in": "query", "required": True,
      "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}}  # fmt: skip

_FILTERS = [
    {"name": n, "in": "query", "schema": _STRINGS, "style": "form",
     "explode": True, "description": d}
    for n, d in (
        ("event", "csml2022, csml2024, csml2025, seminar"),
        ("year", "four-digit year"),
        ("kind", "invited, session, student, seminar, lecture"),
        ("lang", "zh, en, mixed (abstract language)"),
        ("session", "session code such as A1"),
        ("speaker", "a speaker's name in any written form"),
    )
]  # fmt: skip
_K = {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": LIMITS.max_k, "default": 10}}
_OFFSET = {"name": "offset", "in": "query",
           "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}}  # fmt: skip
_ERROR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "talksearch API", "version": "1.0.0", "description": "Bilingual search over talk abstracts."},
    "paths": {
        "/api/search": {
            "get": {
                "summary": "Ranked talks for a query",
                "parameters": [
                    _Q,
                    _K,
                    _OFFSET,
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date"]}},
                    *_FILTERS,
                ],
                "responses": {"200": _ok("Search response"), "400": _ERROR},
            }
        },
        "/api/talks/{id}": {
            "get": {
                "summary": "One talk",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _ok("Talk"), "404": _ERROR},
            }
        },
        "/api/talks/{id}/related": {
            "get": {
                "summary": "Talks similar to a talk",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    _K,
                    {"name": "other_events", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"200": _ok("Related talks"), "400": _ERROR, "404": _ERROR},
            }
        },
        "/api/people/{id}": {
            "get": {
                "summary": "A person, every talk and role",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _ok("Person"), "404": _ERROR},
            }
        },
        "/api/experts": {
            "get": {
                "summary": "People ranked by their talks on a topic",
                "parameters": [
                    _Q,
                    _K,
                    {"name": "exclude_affiliation", "in": "query", "schema": _STRINGS},
                    {"name": "exclude_name", "in": "query", "schema": _STRINGS},
                ],
                "responses": {"200": _ok("Experts"), "400": _ERROR},
            }
        },
        "/api/assign": {
            "post": {
                "summary": "Reviewers for a set of submissions (optimal under load limits, conflicts excluded)",
                "requestBody": {
                    "required": True,
                    "description": "At most 5 MB. Each submission: id, title (required), abstract, authors, "
                    "affiliations (lists, or ';'-separated text). reviewers: names or person ids (default: "
                    "everyone with a talk).",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["submissions"],
                                "properties": {
                                    "submissions": {"type": "array", "maxItems": 5000, "items": {"type": "object"}},
                                    "per_submission": {"type": "integer", "minimum": 1, "maximum": 20, "default": 3},
                                    "max_load": {"type": "integer", "minimum": 1, "maximum": 500, "default": 4},
                                    "reviewers": {"type": "array", "items": {"type": "string"}},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _ok(
                        "{submissions: [{id, reviewers: [{person_id, name, affinity, rank, evidence}], "
                        "excluded}], summary, warnings}"
                    ),
                    "400": _ERROR,
                    "413": _ERROR,
                },
            }
        },
        "/api/health": {"get": {"summary": "Index status", "responses": {"200": _ok("Health")}}},
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {"status": {"type": "integer"}, "error": {"type": "string"}},
                "required": ["status", "error"],
            }
        }
    },
}
