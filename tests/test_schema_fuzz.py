"""Schemathesis against the service's own OpenAPI schema: every operation, zero failures.

Each operation of ``/openapi.json`` gets generated requests (valid and not),
sent to the real app; every answer must have a status, media type and body
that the schema lists for it, and no answer may be a server error.
"""

from __future__ import annotations

import os

import schemathesis
from conftest import AppClientFactory
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("KG_SCHEMA_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


# A SPARQL query, and a reconciliation batch (JSON inside a form field), are languages the
# schema cannot describe: a request it allows may still be malformed (400). Every other
# check, server errors included, applies to these operations too.
_EXCLUDED: dict[str, list[CheckFunction]] = {
    "/sparql": [positive_data_acceptance],
    "/reconcile": [positive_data_acceptance],
}


def _fuzz(cases: SearchStrategy[schemathesis.Case], excluded: list[CheckFunction]) -> None:
    @FUZZ
    @given(case=cases)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()


def test_every_operation_answers_as_its_schema_says(
    app_client: AppClientFactory,
) -> None:
    # An app of its own: schemathesis runs the app's lifespan, whose shutdown closes the store.
    with app_client() as client:
        _check_every_operation(client)


def _check_every_operation(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: dict[str, str] = {}
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation.as_strategy(), _EXCLUDED.get(operation.path, []))
        except (Exception, BaseExceptionGroup) as error:
            failures[operation.label] = str(error)[:3000]
        checked += 1
    assert checked >= 15
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
