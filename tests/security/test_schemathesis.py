"""Schemathesis over the gateway's whole served OpenAPI document (the OpenAI routes and every
management route), valid and invalid input alike, sent as the master key to a gateway with
governance on (its own SQLite file) on a loopback server: no answer is a 5xx, and every answer
to valid input is one the document describes (its status, its content type, its schema).

Deterministic (derandomized, no example database) and bounded (a few examples per operation and
mode; a route served with and without ``/v1`` is fuzzed once), so it runs in ``make test``. A
failure names the operation and prints the curl command that reproduces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err
from schemathesis.generation.case import Case
from schemathesis.generation.modes import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import MASTER, config_for
from tests.support.databases import copy_sqlite
from tests.support.servers import serve_asgi

ADMIN = {"authorization": f"Bearer {MASTER}"}
EXAMPLES = 3  # per operation and mode: about 50 operations (once per /v1 twin), two modes
REPORT = 1500  # characters of each failure in the report
VALID_INPUT_CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
INVALID_INPUT_CHECKS: list[CheckFunction] = [not_a_server_error]


@pytest.fixture(scope="module")
def gateway_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = copy_sqlite(sqlite_template, tmp_path_factory.mktemp("schemathesis") / "gateway.db")
    with serve_asgi(create_app(config_for(url))) as base:
        yield base


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        opened.headers.update(ADMIN)
        yield opened


Operation = APIOperation[Any, Any, Any, Any]


def served_operations(gateway_url: str) -> list[Operation]:
    """Every operation of the served document, a ``/v1`` twin of a served path left out."""
    document = httpx.get(f"{gateway_url}/schema/openapi.json", headers=ADMIN, timeout=60).raise_for_status().json()
    paths = set(document["paths"])
    operations: list[Operation] = []
    for result in schemathesis.openapi.from_dict(document).get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # a part of the document schemathesis cannot read
        operation = result.ok()
        if not (operation.path.startswith("/v1/") and operation.path.removeprefix("/v1") in paths):
            operations.append(operation)
    return operations


def first_failure(operation: Operation, mode: GenerationMode, url: str, session: requests.Session) -> str | None:
    """The first failing answer to ``mode`` input for ``operation``, as a report, or ``None``."""
    checks = VALID_INPUT_CHECKS if mode is GenerationMode.POSITIVE else INVALID_INPUT_CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: Case[Any]) -> None:
        response = case.call(base_url=url, session=session, timeout=30)
        case.validate_response(response, checks=checks)

    try:
        probe()
    except Unsatisfiable:  # nothing about the operation can be invalid (no parameters, no body)
        return None
    except FailureGroup as group:
        return f"{operation.label} ({mode.value} input): {str(group)[:REPORT]}"
    except Exception as error:  # the transport's (a dropped connection) or a check's own
        return f"{operation.label} ({mode.value} input): {error!r}"[:REPORT]
    return None


def test_no_input_fails_the_gateway_or_gets_an_answer_off_the_document(
    gateway_url: str, session: requests.Session
) -> None:
    failures = [
        failure
        for operation in served_operations(gateway_url)
        for mode in GenerationMode
        if (failure := first_failure(operation, mode, gateway_url, session)) is not None
    ]
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
