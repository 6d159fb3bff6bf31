"""Clients that leave before their answer: the upstream request is cancelled (its connection
closed, as the gated upstream sees it), the call is written down as ``client_aborted`` with
what it used, and its parallel slot and budget reservation are given back at once.

Issue 11, item 3: before the disconnect watch, 0 of 50 such upstream requests were cancelled;
they ran to their end, kept their slots and reservations, and were billed in full.
Counts, not timings: every wait below is for an event (a request arriving, a connection closed,
a row written), bounded only so that a broken gateway fails instead of hanging.
"""

from __future__ import annotations

import socket
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.support.gated_upstream import GatedUpstream
from tests.support.processes import gateway_process, write_config
from tests.support.servers import serve_asgi

pytestmark = pytest.mark.server

MASTER = "sk-master-client-disconnect-0123"
CLIENTS = 20
# Each call reserves its worst case, 1000 output tokens at $0.001: $1. A budget of $30 holds the
# 20 calls that leave, or the 20 that follow them, never both.
BUDGET = 30.0
CHAT = {"model": "gated", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1000}


@pytest.fixture
def upstream(request: pytest.FixtureRequest) -> Iterator[tuple[GatedUpstream, str]]:
    # By default a stream sends nothing before the release; with False, its first chunk at once.
    gated = GatedUpstream(hold_head=getattr(request, "param", True))
    with serve_asgi(gated) as url:
        yield gated, url


@pytest.fixture
def gateway(upstream: tuple[GatedUpstream, str], tmp_path: Path) -> Iterator[str]:
    _, upstream_url = upstream
    params = {"api_base": f"{upstream_url}/v1", "api_key": "k"}
    prices = {"input_cost_per_token": 0.0, "output_cost_per_token": 0.001}
    config = write_config(
        tmp_path,
        {
            "model_list": [
                {"model_name": name, "litellm_params": {"model": f"openai/{name}", **params}, "model_info": prices}
                for name in ("gated", "gated-embedding", "gated-image", "gated-speech")
            ],
            "general_settings": {
                "master_key": MASTER,
                "database_url": f"sqlite:///{tmp_path}/gateway.db",
                "proxy_batch_write_at": 0.1,
            },
        },
    )
    with gateway_process(config, tmp_path / "gateway.log") as url:
        yield url


def _key(url: str, **limits: Any) -> str:
    admin = {"authorization": f"Bearer {MASTER}"}
    return str(httpx.post(f"{url}/key/generate", json=limits, headers=admin, timeout=30).json()["key"])


def _send(url: str, key: str, path: str, body: dict[str, Any]) -> socket.socket:
    """A client that sends its request and will leave without reading the answer."""
    port = int(url.rsplit(":", 1)[1])
    payload = orjson.dumps(body)
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(
        f"POST {path} HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer {key}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(payload)}\r\n\r\n".encode()
        + payload
    )
    return client


def _rows(folder: Path, count: int) -> list[tuple[str, str, int, int]]:
    """The spend rows, once ``count`` are written: (call type, status, completion tokens, cost in nanodollars)."""
    deadline = time.monotonic() + 30
    while True:
        with sqlite3.connect(folder / "gateway.db") as db:
            rows = db.execute("SELECT call_type, status, completion_tokens, cost_nanos FROM sb_spend_logs").fetchall()
        if len(rows) >= count or time.monotonic() > deadline:
            return [(str(a), str(b), int(c), int(d)) for a, b, c, d in rows]
        time.sleep(0.05)


def _chat(url: str, key: str) -> int:
    headers = {"authorization": f"Bearer {key}"}
    return httpx.post(f"{url}/v1/chat/completions", json=CHAT, headers=headers, timeout=60).status_code


def test_clients_leaving_before_the_first_byte_cancel_their_upstream_requests_and_free_what_they_held(
    upstream: tuple[GatedUpstream, str], gateway: str, tmp_path: Path
) -> None:
    gated, _ = upstream
    key = _key(gateway, max_parallel_requests=CLIENTS, max_budget=BUDGET)
    clients = [
        _send(gateway, key, "/v1/chat/completions", {**CHAT, "stream": i % 2 == 1}) for i in range(CLIENTS)
    ]  # half wait for a whole answer, half for a stream's first byte
    assert gated.wait_for(CLIENTS)
    for client in clients:
        client.close()
    assert gated.wait_for_cancelled(CLIENTS)
    rows = _rows(tmp_path, CLIENTS)
    assert [(status, tokens, cost) for _, status, tokens, cost in rows] == [("client_aborted", 0, 0)] * CLIENTS
    # Every slot and every reservation is free again: as many calls as before fit at once.
    with ThreadPoolExecutor(CLIENTS) as pool:
        following = [pool.submit(_chat, gateway, key) for _ in range(CLIENTS)]
        assert gated.wait_for(2 * CLIENTS)
        gated.release()
        assert [call.result() for call in following] == [200] * CLIENTS
    assert gated.cancelled == CLIENTS


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/completions", {"model": "gated", "prompt": "hi"}),
        ("/v1/embeddings", {"model": "gated-embedding", "input": "hi"}),
        ("/v1/images/generations", {"model": "gated-image", "prompt": "a cat"}),
        ("/v1/audio/speech", {"model": "gated-speech", "input": "hi", "voice": "alloy"}),
    ],
    ids=["completions", "embeddings", "images", "speech"],
)
def test_every_llm_route_cancels_its_upstream_request_when_the_client_leaves(
    upstream: tuple[GatedUpstream, str], gateway: str, tmp_path: Path, path: str, body: dict[str, Any]
) -> None:
    gated, _ = upstream
    key = _key(gateway)
    client = _send(gateway, key, path, body)
    assert gated.wait_for(1)
    client.close()
    assert gated.wait_for_cancelled(1)
    [(_, status, _, cost)] = _rows(tmp_path, 1)
    assert (status, cost) == ("client_aborted", 0)


@pytest.mark.parametrize("upstream", [False], indirect=True, ids=["first-chunk-at-once"])
def test_clients_leaving_mid_stream_are_charged_what_was_delivered(
    upstream: tuple[GatedUpstream, str], gateway: str, tmp_path: Path
) -> None:
    gated, _ = upstream
    key = _key(gateway)
    clients = [_send(gateway, key, "/v1/chat/completions", {**CHAT, "stream": True}) for _ in range(5)]
    for client in clients:
        received = b""
        while b"first " not in received:  # the first chunk reached the client
            received += client.recv(65536)
        client.close()
    assert gated.wait_for_cancelled(5)
    rows = _rows(tmp_path, 5)
    assert [status for _, status, _, _ in rows] == ["client_aborted"] * 5
    assert all(tokens >= 1 and cost > 0 for _, _, tokens, cost in rows)
