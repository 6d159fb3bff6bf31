"""The HTTP sinks through a real gateway, over real sockets, to local stand-ins of Langfuse,
Datadog, a webhook and Slack on 127.0.0.1 that check each payload's documented shape."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from switchboard.bootstrap.http import create_app
from tests.support.servers import serve_asgi
from tests.support.sink_servers import DatadogServer, LangfuseServer, SlackServer, WebhookServer

MODELS = [
    {"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "Four."}},
    {"model_name": "failing", "litellm_params": {"model": "mock/x", "mock_error": {"status": 500}}},
]
CHAT = {"model": "mock", "messages": [{"role": "user", "content": "What is 2+2?"}]}
FAST = {"flush_interval": 0.01, "max_retries": 1, "timeout": 5}


@pytest.fixture
def langfuse() -> Iterator[tuple[LangfuseServer, str]]:
    server = LangfuseServer()
    with serve_asgi(server) as url:
        yield server, url


@pytest.fixture
def datadog() -> Iterator[tuple[DatadogServer, str]]:
    server = DatadogServer()
    with serve_asgi(server) as url:
        yield server, url


@pytest.fixture
def webhook() -> Iterator[tuple[WebhookServer, str]]:
    server = WebhookServer()
    with serve_asgi(server) as url:
        yield server, url


@pytest.fixture
def slack() -> Iterator[tuple[SlackServer, str]]:
    server = SlackServer()
    with serve_asgi(server) as url:
        yield server, url


def gateway(litellm: dict[str, Any], general: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> Any:
    config = {
        "model_list": MODELS,
        "litellm_settings": litellm,
        "general_settings": general or {},
        "environment_variables": env or {},
    }
    return TestClient(app=create_app(config))


def webhook_settings(url: str) -> dict[str, Any]:
    return {"endpoint": f"{url}/events", "headers": {"x-token": "hook-token"}, **FAST}


def test_calls_reach_langfuse_datadog_and_a_webhook_in_their_documented_shapes(
    langfuse: tuple[LangfuseServer, str], datadog: tuple[DatadogServer, str], webhook: tuple[WebhookServer, str]
) -> None:
    (lf, lf_url), (dd, dd_url), (hook, hook_url) = langfuse, datadog, webhook
    settings = {
        "callbacks": ["langfuse", "datadog", "generic_api"],
        "callback_settings": {
            "langfuse": {"host": lf_url, **FAST},
            "datadog": {"url": f"{dd_url}/api/v2/logs", **FAST},
            "generic_api": webhook_settings(hook_url),
        },
    }
    env = {"LANGFUSE_PUBLIC_KEY": "pk-lf-test", "LANGFUSE_SECRET_KEY": "sk-lf-test", "DD_API_KEY": "dd-test-key"}
    with gateway(settings, env=env) as client:
        ok = client.post("/v1/chat/completions", json=CHAT, headers={"x-request-id": "req-ok"})
        failed = client.post(
            "/v1/chat/completions", json={**CHAT, "model": "failing"}, headers={"x-request-id": "req-bad"}
        )
        streamed = client.post(
            "/v1/chat/completions", json={**CHAT, "stream": True}, headers={"x-request-id": "req-sse"}
        )
    assert (ok.status_code, failed.status_code, streamed.status_code) == (200, 500, 200)  # an upstream 500 stays 500
    assert (lf.problems, dd.problems, hook.problems) == ([], [], [])

    generations = {
        e["body"]["traceId"]: e["body"]
        for r in lf.received
        for e in r.body["batch"]
        if e["type"] == "generation-create"
    }
    assert set(generations) == {"req-ok", "req-bad", "req-sse"}
    assert generations["req-ok"]["output"] == [{"role": "assistant", "content": "Four."}]
    assert generations["req-bad"]["level"] == "ERROR"
    assert generations["req-sse"]["output"] == [{"role": "assistant", "content": "Four."}]
    assert "completionStartTime" in generations["req-sse"]

    entries = [e for r in dd.received for e in r.body]
    messages = {orjson.loads(e["message"])["request_id"]: e for e in entries}
    assert set(messages) == {"req-ok", "req-bad", "req-sse"}
    assert messages["req-bad"]["status"] == "error"
    assert "model_group:mock" in messages["req-ok"]["ddtags"]

    records = {r["request_id"]: r for r in hook.records()}
    assert {k: r["status"] for k, r in records.items()} == {
        "req-ok": "success",
        "req-bad": "error",
        "req-sse": "success",
    }
    assert records["req-bad"]["error_class"] == "ProviderUnavailable"


def test_success_and_failure_lists_route_calls_to_different_sinks(
    datadog: tuple[DatadogServer, str], webhook: tuple[WebhookServer, str]
) -> None:
    (dd, dd_url), (hook, hook_url) = datadog, webhook
    settings = {
        "success_callback": ["generic_api"],
        "failure_callback": ["datadog"],
        "callback_settings": {
            "datadog": {"url": f"{dd_url}/api/v2/logs", **FAST},
            "generic_api": webhook_settings(hook_url),
        },
    }
    with gateway(settings, env={"DD_API_KEY": "dd-test-key"}) as client:
        client.post("/v1/chat/completions", json=CHAT, headers={"x-request-id": "good"})
        client.post("/v1/chat/completions", json={**CHAT, "model": "failing"}, headers={"x-request-id": "bad"})
    assert [r["request_id"] for r in hook.records()] == ["good"]
    assert [orjson.loads(e["message"])["request_id"] for r in dd.received for e in r.body] == ["bad"]


def test_turning_off_message_logging_keeps_prompts_out_of_every_sink(
    langfuse: tuple[LangfuseServer, str], webhook: tuple[WebhookServer, str]
) -> None:
    (lf, lf_url), (hook, hook_url) = langfuse, webhook
    settings = {
        "callbacks": ["langfuse", "generic_api"],
        "turn_off_message_logging": True,
        "callback_settings": {"langfuse": {"host": lf_url, **FAST}, "generic_api": webhook_settings(hook_url)},
    }
    env = {"LANGFUSE_PUBLIC_KEY": "pk-lf-test", "LANGFUSE_SECRET_KEY": "sk-lf-test"}
    with gateway(settings, env=env) as client:
        client.post("/v1/chat/completions", json=CHAT)
    sent = orjson.dumps([r.body for r in lf.received + hook.received]).decode()
    assert lf.received and hook.received
    assert "What is 2+2?" not in sent and "Four." not in sent


def test_an_error_rate_alert_reaches_slack_once(slack: tuple[SlackServer, str]) -> None:
    server, url = slack
    general = {
        "alerting": ["slack"],
        "alerting_args": {"minor_outage_alert_threshold": 2, "error_rate_threshold": 0.5},
    }
    settings = {"callback_settings": {"slack": FAST}}
    with gateway(settings, general, env={"SLACK_WEBHOOK_URL": f"{url}/services/T000/B000/XXXX"}) as client:
        for _ in range(5):
            assert client.post("/v1/chat/completions", json={**CHAT, "model": "failing"}).status_code == 500
    assert server.problems == []
    (text,) = server.texts()
    assert "High error rate: failing" in text


def test_a_stuck_destination_holds_up_no_request_and_shutdown_is_bounded(webhook: tuple[WebhookServer, str]) -> None:
    server, url = webhook
    server.hang = threading.Event()
    settings = {
        "callbacks": ["generic_api"],
        "callback_settings": {"generic_api": webhook_settings(url), "dispatcher": {"shutdown_timeout": 0.5}},
    }
    try:
        with gateway(settings) as client:
            statuses = [client.post("/v1/chat/completions", json=CHAT).status_code for _ in range(5)]
            assert statuses == [200] * 5
            assert server.received == []  # every call answered while the destination still holds the first batch
    finally:
        server.hang.set()


def test_a_failing_destination_is_retried_then_counted_in_metrics(webhook: tuple[WebhookServer, str]) -> None:
    server, url = webhook
    server.fail_status = 500
    settings = {"callbacks": ["generic_api", "prometheus"], "callback_settings": {"generic_api": webhook_settings(url)}}
    with gateway(settings) as client:
        assert client.post("/v1/chat/completions", json=CHAT).status_code == 200
        failed = 0.0
        deadline = time.monotonic() + 20
        while failed < 1 and time.monotonic() < deadline:  # waits for the retries to finish, not a timing check
            text = client.get("/metrics").text
            failed = sum(
                s.value
                for f in text_string_to_metric_families(text)
                for s in f.samples
                if s.name == "switchboard_events_failed_total" and s.labels.get("sink") == "webhook"
            )
            time.sleep(0.02)
    assert failed == 1
    assert len(server.received) == 2  # the first attempt and one retry
