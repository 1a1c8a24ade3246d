"""schemathesis against the app in-process (its WSGI integration, no network): every operation of
/api/openapi.json, valid and invalid data, every check, 0 failures. Talk and person routes get a
real id as well as the generated one, so their parameters are exercised beyond the 404."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from web.app import create_app

OPERATIONS = [("/api/search", "GET"), ("/api/search", "POST"), ("/api/trends", "GET"), ("/api/talks/{id}", "GET"),
              ("/api/talks/{id}/related", "GET"), ("/api/people/{id}", "GET"), ("/api/experts", "GET"),
              ("/api/experts", "POST"), ("/api/assign", "POST"), ("/api/health", "GET")]  # fmt: skip
NO_PARAMETERS = {("/api/talks/{id}", "GET"), ("/api/people/{id}", "GET"), ("/api/health", "GET")}  # nothing to break
# A schema cannot say that submission ids are unique or that reviewers are people of the corpus, so a
# schema-valid assign body may rightly be refused: every other check still runs on it.
NOT_CHECKED = {("/api/assign", "POST"): {"positive_data_acceptance"}}
REAL_IDS = {"/api/talks/{id}": "csml2022-A1-4", "/api/talks/{id}/related": "csml2024-B9-2",
            "/api/people/{id}": "xu-zhiqin"}  # fmt: skip


@pytest.fixture(scope="module")
def wsgi_app(engine):
    return create_app(engine)


@pytest.fixture(scope="module")
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)


def test_every_operation_is_tested(api_schema):
    found = {(op.ok().path, op.ok().method.upper()) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_conforms_to_its_spec(api_schema, wsgi_app, path, method, mode):
    if mode == GenerationMode.NEGATIVE and (path, method) in NO_PARAMETERS:
        pytest.skip("no parameter that could be invalid")
    operation = api_schema[path][method]
    skip = NOT_CHECKED.get((path, method), set())
    load_all_checks()
    checks = [c for c in CHECKS.get_all() if c.__name__ not in skip]

    @given(data=st.data())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    def run(data):
        case = data.draw(operation.as_strategy(generation_mode=mode))
        case.call_and_validate(app=wsgi_app, checks=checks)
        real = REAL_IDS.get(path)
        if real:
            case.path_parameters = {**(case.path_parameters or {}), "id": real}
            response = case.call_and_validate(app=wsgi_app, checks=checks)
            assert response.status_code in ((200, 400) if mode == GenerationMode.POSITIVE else (200, 400, 404))

    run()
