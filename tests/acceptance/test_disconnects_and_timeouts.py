"""Streams never leak: a client that leaves cancels the upstream; a hung upstream times out."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream(chunk_delay=0.05)
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIUpstream, str]) -> Iterator[str]:
    _, url = upstream

    def entry(name: str, model: str, **extra: object) -> dict[str, object]:
        params = {
            "model": f"openai/{model}",
            "api_base": f"{url}/v1",
            "api_key": "sk-upstream-secret-1",
            **extra,
        }
        return {"model_name": name, "litellm_params": params}

    config = {
        "model_list": [
            entry("slow", "slow"),
            entry("hang", "hang", timeout=0.5),
            entry("drop", "drop"),
            entry("denied", "fail-401"),
        ]
    }
    with serve_gateway(config) as base:
        yield base


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_client_leaving_mid_stream_cancels_the_upstream_request(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    before = app.state.cancelled
    words = " ".join(f"w{i}" for i in range(60))  # 60 chunks x 50 ms: three seconds if read to the end
    body = {"model": "slow", "stream": True, "messages": [{"role": "user", "content": words}]}
    with (
        httpx.Client(timeout=10) as client,
        client.stream("POST", f"{gateway}/v1/chat/completions", json=body) as r,
    ):
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("data: ") and "w1" in line:
                break  # leave after the first words
    assert wait_until(lambda: app.state.open_streams == 0 and app.state.cancelled > before)


def test_a_hung_upstream_times_out_with_a_504_and_is_not_left_running(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    started = time.monotonic()
    response = httpx.post(
        f"{gateway}/v1/chat/completions",
        json={"model": "hang", "messages": [{"role": "user", "content": "x"}]},
    )
    assert response.status_code == 504
    assert response.json()["error"]["type"] == "timeout_error"
    assert time.monotonic() - started < 5


def test_a_stream_cut_mid_way_ends_with_an_error_event_not_done(gateway: str) -> None:
    body = {"model": "drop", "stream": True, "messages": [{"role": "user", "content": "a b c"}]}
    with httpx.Client(timeout=10) as client:
        text = client.post(f"{gateway}/v1/chat/completions", json=body).text
    assert '"error"' in text.split("\n\n")[-2]
    assert "[DONE]" not in text


def test_no_log_line_carries_an_upstream_key(gateway: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    response = httpx.post(
        f"{gateway}/v1/chat/completions",
        json={"model": "denied", "messages": [{"role": "user", "content": "x"}]},
    )
    assert response.status_code == 401
    assert "sk-upstream-secret-1" not in caplog.text
    assert "sk-upstream-secret-1" not in response.text
