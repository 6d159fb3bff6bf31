"""The router under fire: real gateway, real local upstream that answers 429 with Retry-After,
500, 529 (overloaded), hangs past the timeout, or drops the connection mid-stream.

The client gets the fallback's answer where one exists, the right error where none does, and no
upstream request is left open."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream(chunk_delay=0.01)
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIUpstream, str]) -> Iterator[str]:
    _, url = upstream

    def entry(name: str, model: str, deployment_id: str, **extra: object) -> dict[str, object]:
        params = {"model": f"openai/{model}", "api_base": f"{url}/v1", "api_key": "sk-upstream", **extra}
        return {"model_name": name, "litellm_params": params, "model_info": {"id": deployment_id}}

    config = {
        "model_list": [
            entry("mixed", "fail-429", "mixed-429"),
            entry("mixed", "ok", "mixed-ok"),
            entry("broken", "fail-500", "broken-500"),
            entry("overloaded", "fail-529", "overloaded-529"),
            entry("hung", "hang", "hung-1", timeout=0.5),
            entry("hung-stream", "hang-stream", "hung-stream-1", stream_timeout=0.5),
            entry("backup", "ok", "backup-1"),
            entry("alone-500", "fail-500", "alone-500"),
            entry("alone-429", "fail-429-1s", "alone-429"),
            entry("drop", "drop", "drop-1"),
            entry("hung-alone", "hang", "hung-alone-1", timeout=5),
            entry("alone-529", "fail-529", "alone-529"),
            entry("retried-500", "fail-500", "retried-500", num_retries=3),
        ],
        "router_settings": {
            "num_retries": 1,
            "retry_after": 0.01,
            "allowed_fails": 0,
            "cooldown_time": 30,
            "fallbacks": [
                {"broken": ["backup"]},
                {"overloaded": ["backup"]},
                {"hung": ["backup"]},
                {"hung-stream": ["backup"]},
                {"drop": ["backup"]},
            ],
        },
    }
    with serve_gateway(config) as base:
        yield base


def chat(gateway: str, model: str, **extra: Any) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": "hello"}], **extra}
    return httpx.post(f"{gateway}/v1/chat/completions", json=body, timeout=30)


def settled(app: OpenAIUpstream, seconds: float = 5.0) -> bool:
    """Nothing left open upstream: no stream, no hanging request."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.state.open_streams == 0 and app.state.hanging == 0:
            return True
        time.sleep(0.02)
    return False


def test_a_429_deployment_is_retried_on_its_group_sibling_then_cools_down(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    tried_429 = False
    for _ in range(40):  # until the pick falls on the 429 deployment (each pick: one chance in two)
        response = chat(gateway, "mixed")
        assert response.status_code == 200
        assert response.headers["x-switchboard-model-id"] == "mixed-ok"
        if response.headers.get("x-switchboard-attempted-fallbacks") == "mixed-429":
            tried_429 = True
            break
    assert tried_429
    sent_to_429 = sum(1 for body in app.bodies if body.get("model") == "fail-429")
    for _ in range(10):  # cooling down for 30 s: not tried again
        response = chat(gateway, "mixed")
        assert "x-switchboard-attempted-fallbacks" not in response.headers
    assert sum(1 for body in app.bodies if body.get("model") == "fail-429") == sent_to_429


def test_a_500_falls_back_to_the_configured_group(gateway: str) -> None:
    response = chat(gateway, "broken")
    assert response.status_code == 200
    assert response.headers["x-switchboard-model-id"] == "backup-1"
    assert response.headers["x-switchboard-attempted-fallbacks"].startswith("broken-500")
    assert response.json()["choices"][0]["message"]["content"] == "echo: hello"


def test_an_overloaded_529_falls_back(gateway: str) -> None:
    response = chat(gateway, "overloaded")
    assert response.status_code == 200
    assert response.headers["x-switchboard-model-id"] == "backup-1"


def test_a_hung_upstream_times_out_falls_back_and_is_cancelled(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    cancelled = app.state.cancelled
    started = time.monotonic()
    response = chat(gateway, "hung")
    assert response.status_code == 200
    assert response.headers["x-switchboard-model-id"] == "backup-1"
    assert time.monotonic() - started < 5
    assert settled(app)
    assert app.state.cancelled > cancelled


def test_a_stream_whose_first_chunk_never_comes_falls_back_before_anything_is_sent(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    body = {"model": "hung-stream", "stream": True, "messages": [{"role": "user", "content": "hi there"}]}
    with httpx.Client(timeout=30) as client, client.stream("POST", f"{gateway}/v1/chat/completions", json=body) as r:
        assert r.status_code == 200
        assert r.headers["x-switchboard-model-id"] == "backup-1"
        assert r.headers["x-switchboard-attempted-fallbacks"] == "hung-stream-1"
        text = r.read().decode()
    assert '"echo: "' in text
    assert text.rstrip().endswith("data: [DONE]")
    assert settled(app)


def test_a_stream_cut_after_its_first_chunk_does_not_fall_back_and_ends_with_an_error(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    body = {"model": "drop", "stream": True, "messages": [{"role": "user", "content": "a b c"}]}
    with httpx.Client(timeout=30) as client, client.stream("POST", f"{gateway}/v1/chat/completions", json=body) as r:
        assert r.headers["x-switchboard-model-id"] == "drop-1"
        text = r.read().decode()
    assert '"error"' in text.split("\n\n")[-2]
    assert "[DONE]" not in text
    assert settled(app)


def test_without_a_fallback_a_500_is_retried_then_answered_as_500_with_retry_after(
    gateway: str, upstream: tuple[OpenAIUpstream, str]
) -> None:
    # issue 11, item 16: an upstream 500 stays a 500; every deployment failed, so Retry-After says when to come back
    app, _ = upstream
    before = sum(1 for body in app.bodies if body.get("model") == "fail-500")
    response = chat(gateway, "alone-500")
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "api_error"
    assert response.headers["retry-after"] == "30"  # the group's cooldown time
    assert sum(1 for body in app.bodies if body.get("model") == "fail-500") == before + 2  # one retry


def test_without_a_fallback_a_429_waits_its_retry_after_then_answers_429_with_retry_after(gateway: str) -> None:
    started = time.monotonic()
    response = chat(gateway, "alone-429")
    assert time.monotonic() - started >= 0.9  # the retry honoured Retry-After: 1
    assert response.status_code == 429
    assert response.json()["error"]["type"] == "rate_limit_error"
    assert "retry-after" in response.headers


def test_a_request_may_name_its_own_fallbacks_and_retries(gateway: str, upstream: tuple[OpenAIUpstream, str]) -> None:
    app, _ = upstream
    before = sum(1 for body in app.bodies if body.get("model") == "fail-500")
    response = chat(gateway, "alone-500", fallbacks=["backup"], num_retries=0)
    assert response.status_code == 200
    assert response.headers["x-switchboard-model-id"] == "backup-1"
    assert sum(1 for body in app.bodies if body.get("model") == "fail-500") == before + 1
    assert all("fallbacks" not in body and "num_retries" not in body for body in app.bodies)


def test_a_request_timeout_cuts_a_slow_upstream_short(gateway: str, upstream: tuple[OpenAIUpstream, str]) -> None:
    app, _ = upstream
    started = time.monotonic()
    response = chat(gateway, "hung-alone", timeout=0.2)
    assert response.status_code == 504
    assert time.monotonic() - started < 2.0  # the request's 0.2 s, not the deployment's 5 s
    assert settled(app)


def test_when_every_deployment_is_overloaded_the_answer_is_503_with_retry_after(gateway: str) -> None:
    # issue 11, item 16
    response = chat(gateway, "alone-529")
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "provider_unavailable"
    assert response.headers["retry-after"] == "30"


def test_a_deployments_own_num_retries_is_honoured(gateway: str, upstream: tuple[OpenAIUpstream, str]) -> None:
    # issue 11, item 16: litellm_params.num_retries 3 on the deployment, 1 in router_settings
    app, _ = upstream
    before = len(app.bodies)
    response = chat(gateway, "retried-500")
    assert response.status_code == 500
    assert len(app.bodies) - before == 4


def test_a_request_cannot_multiply_upstream_calls(gateway: str, upstream: tuple[OpenAIUpstream, str]) -> None:
    # issue 11, item 2: num_retries 30 is capped at the configured 1; 20 copies of a fallback are tried once
    app, _ = upstream
    before = len(app.bodies)
    response = chat(gateway, "alone-500", num_retries=30, fallbacks=["alone-529"] * 20)
    assert response.status_code == 503
    assert len(app.bodies) - before == 4  # alone-500 twice, alone-529 twice
