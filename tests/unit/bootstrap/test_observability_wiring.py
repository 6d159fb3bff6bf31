"""The container's observability: the facade flushes sinks on close, and the ``alerts`` provider
is the port the router and governance raise alerts through."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from switchboard import AsyncClient, Client
from switchboard.bootstrap.container import build_container, stop
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings
from switchboard.domain.alerts import budget_alert, cooldown_alert
from tests.support import user_sinks

MODELS = [{"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "Hi"}}]
MESSAGES = [{"role": "user", "content": "hi"}]


def config(**litellm: Any) -> dict[str, Any]:
    return {"model_list": MODELS, "litellm_settings": litellm}


async def test_closing_the_async_facade_flushes_every_event_to_the_sinks() -> None:
    user_sinks.COLLECTED.clear()
    client = AsyncClient(config(success_callback=["tests.support.user_sinks:CollectingSink"]))
    await client.chat(model="mock", messages=MESSAGES)
    chunks = await client.chat(model="mock", messages=MESSAGES, stream=True)
    async for _ in chunks:
        pass
    await client.aclose()
    assert [(e.stream, e.status) for e in user_sinks.COLLECTED] == [(False, "success"), (True, "success")]


def test_the_sync_facade_reports_calls_too() -> None:
    user_sinks.COLLECTED.clear()
    with Client(config(callbacks=["tests.support.user_sinks:CollectingSink"])) as client:
        client.chat(model="mock", messages=MESSAGES)
    assert len(user_sinks.COLLECTED) == 1


async def test_a_cooldown_raised_through_the_alerts_port_shows_on_the_metrics() -> None:
    container = build_container(load_settings(config(callbacks=["prometheus"]), known_providers()))
    try:
        alerts = await container.alerts.async_()
        alerts.notify(cooldown_alert("dep-1", "mock", until=4e9, now=1.7e9))
        alerts.notify(budget_alert("budget_exceeded", "team", "t1", 10.0, max_budget=10.0))  # logged, no Slack set
        render = (await container.observability.async_()).metrics
        assert render is not None
        body, _ = render()
    finally:
        await stop(container)
    (sample,) = [
        s
        for f in text_string_to_metric_families(body.decode())
        for s in f.samples
        if s.name == "switchboard_deployment_cooled_down"
    ]
    assert (sample.labels, sample.value) == ({"model_group": "mock", "deployment": "dep-1"}, 1.0)


async def test_without_observability_configured_the_pipeline_has_no_sink_and_no_hook() -> None:
    container = build_container(load_settings(config(), known_providers()))
    try:
        pipeline = await container.hooks.async_()
        assert (pipeline._hooks, pipeline._sinks) == ((), ())
    finally:
        await stop(container)
