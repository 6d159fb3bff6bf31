"""Shared fixtures: real Redis and PostgreSQL for the tests that need them.

Under ``CI=true`` a missing server fails the test run; elsewhere the test is skipped with the
reason, so a laptop without the servers still runs the rest.
"""

from __future__ import annotations

import inspect
import os
import socket
from collections.abc import AsyncIterator

import freezegun
import pytest

from tests.support.loopback import close_all

# freezegun scans every loaded module when it starts; SDKs with lazily imported attributes
# (cohere builds pydantic models with datetime fields on first access) break under a frozen
# datetime. They never read our clock, so leave them out of the scan.
freezegun.configure(extend_ignore_list=["cohere", "google", "anthropic", "openai", "botocore", "boto3"])

REDIS_URL = os.environ.get("SWITCHBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get("SWITCHBOARD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_server(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI needs it (.ci/run starts it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_server("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture(scope="session")
def postgres_url() -> str:
    require_server("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture(autouse=True)
def _loopback_upstreams_closed(request: pytest.FixtureRequest) -> None:
    """After an async test, its fake upstreams (``tests/support/loopback.py``) are closed, and an
    exception one of their handlers raised fails the test."""
    if inspect.iscoroutinefunction(request.function):
        request.getfixturevalue("_close_loopback_upstreams")


@pytest.fixture
async def _close_loopback_upstreams() -> AsyncIterator[None]:
    yield
    await close_all()
