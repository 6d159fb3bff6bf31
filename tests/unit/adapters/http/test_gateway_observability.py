"""Observability at the gateway: ``GET /metrics``, its optional auth, and user sinks that block
or fail without touching a request."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from switchboard.bootstrap.http import create_app
from tests.support import user_sinks

MODELS = [{"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "Hi"}}]
CHAT = {"model": "mock", "messages": [{"role": "user", "content": "hi"}]}


def app(litellm: dict[str, Any], general: dict[str, Any] | None = None) -> Any:
    return create_app({"model_list": MODELS, "litellm_settings": litellm, "general_settings": general or {}})


def test_metrics_are_served_in_the_prometheus_text_format() -> None:
    with TestClient(app({"callbacks": ["prometheus"]})) as client:
        client.post("/v1/chat/completions", json=CHAT)
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    names = {f.name for f in text_string_to_metric_families(response.text)}
    assert {"switchboard_requests", "switchboard_in_flight_requests", "switchboard_events_dropped"} <= names


def test_there_is_no_metrics_route_without_the_prometheus_callback() -> None:
    with TestClient(app({})) as client:
        assert client.get("/metrics").status_code == 404


def test_metrics_can_require_the_master_key() -> None:
    gateway = app({"callbacks": ["prometheus"], "require_auth_for_metrics_endpoint": True}, {"master_key": "sk-m"})
    with TestClient(gateway) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer sk-m"}).status_code == 200


def test_a_blocking_user_sink_holds_up_no_request() -> None:
    user_sinks.RELEASE.clear()
    user_sinks.SEEN.clear()
    try:
        with TestClient(app({"callbacks": ["tests.support.user_sinks:BlockingSink"]})) as client:
            answers = [client.post("/v1/chat/completions", json=CHAT) for _ in range(3)]
            assert [a.status_code for a in answers] == [200] * 3
            assert user_sinks.SEEN == []  # all answered while the sink was still blocked
            user_sinks.RELEASE.set()
        assert len(user_sinks.SEEN) == 3  # shutdown flushed the rest
    finally:
        user_sinks.RELEASE.set()


def test_a_failing_user_sink_changes_no_answer() -> None:
    with TestClient(app({"callbacks": ["tests.support.user_sinks:RaisingSink"]})) as with_sink:
        broken = with_sink.post("/v1/chat/completions", json=CHAT)
    with TestClient(app({})) as without:
        plain = without.post("/v1/chat/completions", json=CHAT)
    assert broken.status_code == plain.status_code == 200
    assert broken.json()["choices"] == plain.json()["choices"]
