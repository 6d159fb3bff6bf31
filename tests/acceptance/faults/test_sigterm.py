"""SIGTERM with streams in flight: the gateway stops taking connections, lets the streams it is
serving run to their end, writes their spend rows, and exits cleanly."""

from __future__ import annotations

import signal
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from tests.support.gated_upstream import GatedUpstream
from tests.support.processes import LAUNCHER, serving, write_config
from tests.support.servers import serve_asgi

pytestmark = pytest.mark.server

MASTER = "sk-master-sigterm-0123"
STREAMS = 3


def _stream(url: str, key: str, into: list[str], first: threading.Semaphore) -> None:
    body = {"model": "gated", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with httpx.stream(
        "POST", f"{url}/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}, timeout=60
    ) as response:
        lines = response.iter_lines()
        for line in lines:
            if line.startswith("data: "):
                into.append(line)
                first.release()  # the stream is open and serving
                break
        into.extend(line for line in lines if line.startswith("data: "))


def test_streams_in_flight_finish_and_are_recorded_when_the_gateway_is_stopped(tmp_path: Path) -> None:
    upstream = GatedUpstream()
    with serve_asgi(upstream) as upstream_url:
        config = write_config(
            tmp_path,
            {
                "model_list": [
                    {
                        "model_name": "gated",
                        "litellm_params": {"model": "openai/gated", "api_base": f"{upstream_url}/v1", "api_key": "k"},
                    }
                ],
                "general_settings": {
                    "master_key": MASTER,
                    "database_url": f"sqlite:///{tmp_path}/gateway.db",
                    "proxy_batch_write_at": 300,  # the rows are written by the shutdown, not before
                },
            },
        )
        with serving([*LAUNCHER, "serve", "--config", str(config)], tmp_path / "gateway.log") as gateway:
            admin = {"authorization": f"Bearer {MASTER}"}
            key = httpx.post(f"{gateway.url}/key/generate", json={}, headers=admin, timeout=30).json()["key"]
            received: list[list[str]] = [[] for _ in range(STREAMS)]
            opened = threading.Semaphore(0)
            readers = [
                threading.Thread(target=_stream, args=(gateway.url, key, received[i], opened)) for i in range(STREAMS)
            ]
            for reader in readers:
                reader.start()
            for _ in range(STREAMS):
                assert opened.acquire(timeout=30)
            gateway.process.send_signal(signal.SIGTERM)
            upstream.release()
            for reader in readers:
                reader.join(timeout=60)
            exit_code = gateway.process.wait(timeout=60)

    with sqlite3.connect(tmp_path / "gateway.db") as connection:
        rows = connection.execute("SELECT status FROM sb_spend_logs").fetchall()
    assert exit_code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has shut down
    assert all(lines[-1] == "data: [DONE]" for lines in received), received
    assert sorted(status for (status,) in rows) == ["success"] * STREAMS
