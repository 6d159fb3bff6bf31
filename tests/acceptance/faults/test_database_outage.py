"""A database outage, on a PostgreSQL server of the test's own: readiness says so, and with
``allow_requests_on_db_unavailable`` keys already known keep being served (stale on error) while
unknown ones get 503, never 401. Spend rows of the outage are written once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.acceptance.governance.conftest import MASTER, PRICED, REPLY
from tests.support.disposable import DisposablePostgres, disposable_postgres
from tests.support.processes import gateway_process, write_config

pytestmark = pytest.mark.server

ADMIN = {"authorization": f"Bearer {MASTER}"}


@pytest.fixture
def postgres() -> Iterator[DisposablePostgres]:
    with disposable_postgres() as server:
        yield server


def _config(folder: Path, database_url: str, **general: Any) -> Path:
    return write_config(
        folder,
        {
            "model_list": [
                {
                    "model_name": "cheap",
                    "litellm_params": {"model": "mock/mock", "mock_response": REPLY},
                    "model_info": PRICED,
                }
            ],
            "general_settings": {
                "master_key": MASTER,
                "database_url": database_url,
                "auto_migrate": True,
                "user_api_key_cache_ttl": 0.01,  # every call after the first asks the database again
                "proxy_batch_write_at": 0.1,
                **general,
            },
        },
    )


def _chat(url: str, key: str) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        json={"model": "cheap", "messages": [{"role": "user", "content": "hi"}]},
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )


def _spend_rows(url: str, key: str, expected: int) -> int:
    """The key's spend rows once ``expected`` are written (the writer retries with a backoff
    after the outage), or what there is after a minute."""
    deadline = time.monotonic() + 60
    while True:
        response = httpx.get(f"{url}/spend/logs", params={"api_key": key}, headers=ADMIN, timeout=30)
        found = len(response.json()) if response.status_code == 200 else 0
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_by_default_readiness_fails_and_calls_get_503_until_the_database_is_back(
    postgres: DisposablePostgres, tmp_path: Path
) -> None:
    config = _config(tmp_path, postgres.url)
    with gateway_process(config, tmp_path / "gateway.log") as url:
        key = httpx.post(f"{url}/key/generate", json={}, headers=ADMIN, timeout=30).json()["key"]
        assert _chat(url, key).status_code == 200

        postgres.stop()
        ready = httpx.get(f"{url}/health/readiness", timeout=30)
        refused = _chat(url, key)
        postgres.start()
        back = httpx.get(f"{url}/health/readiness", timeout=30)
        served = _chat(url, key)

    assert (ready.status_code, ready.json()["status"], ready.json()["db"]) == (503, "unhealthy", "unreachable")
    assert refused.status_code == 503, refused.text
    assert (back.status_code, back.json()["db"]) == (200, "connected")
    assert served.status_code == 200


def test_with_stale_principals_known_keys_are_served_through_the_outage(
    postgres: DisposablePostgres, tmp_path: Path
) -> None:
    config = _config(tmp_path, postgres.url, allow_requests_on_db_unavailable=True)
    with gateway_process(config, tmp_path / "gateway.log") as url:
        key = httpx.post(f"{url}/key/generate", json={}, headers=ADMIN, timeout=30).json()["key"]
        assert _chat(url, key).status_code == 200

        postgres.stop()
        ready = httpx.get(f"{url}/health/readiness", timeout=30)
        during = [_chat(url, key).status_code for _ in range(5)]
        stranger = _chat(url, "sk-never-seen-before")
        postgres.start()
        rows = _spend_rows(url, key, expected=6)

    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")
    assert during == [200] * 5
    assert stranger.status_code == 503, stranger.text
    assert rows == 6
