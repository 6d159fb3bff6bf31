"""``kill -9`` loses no spend row of an answer already delivered: the rows wait in the local
journal, and the next gateway on the same database writes them, once each."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from tests.acceptance.governance.conftest import MASTER, PRICED, REPLY
from tests.support.processes import LAUNCHER, gateway_process, serving, write_config

pytestmark = pytest.mark.server

CALLS = 40


def _config(folder: Path) -> Path:
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
                "database_url": f"sqlite:///{folder}/gateway.db",
                "proxy_batch_write_at": 300,  # nothing reaches the database before the kill
                "spend_log_batch_size": 10_000,
            },
        },
    )


def _rows(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT id, request_id FROM sb_spend_logs").fetchall()


def _wait_for_rows(database: Path, count: int) -> list[tuple[str, str]]:
    deadline = time.monotonic() + 60
    while len(rows := _rows(database)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return rows


def test_rows_of_answered_calls_survive_kill_9(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with serving([*LAUNCHER, "serve", "--config", str(config)], tmp_path / "first.log") as first:
        headers = {"authorization": f"Bearer {MASTER}"}
        key = httpx.post(f"{first.url}/key/generate", json={}, headers=headers, timeout=30).json()["key"]
        answered = []
        for _ in range(CALLS):
            response = httpx.post(
                f"{first.url}/v1/chat/completions",
                json={"model": "cheap", "messages": [{"role": "user", "content": "hi"}]},
                headers={"authorization": f"Bearer {key}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            answered.append(response.headers["x-request-id"])
        first.kill()
    assert _rows(tmp_path / "gateway.db") == []  # the kill came before any write

    with gateway_process(config, tmp_path / "second.log"):
        rows = _wait_for_rows(tmp_path / "gateway.db", CALLS)

    assert len(rows) == CALLS
    assert sorted(request for _, request in rows) == sorted(answered)
    assert not list(tmp_path.glob("gateway.db-journal.d/spend-*.jsonl"))
