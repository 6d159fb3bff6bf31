"""A call that fails after retries and fallbacks reaches every sink with the deployment tried last
and every deployment attempted: the real pipeline (call path, hooks, event dispatcher) into the
real Prometheus, Langfuse and OpenTelemetry exporters and the spend writer.

These are the calls an operator most wants to see; they once arrived with no deployment and no
attempts (issue 10, audit 2026-12 section 1 item 1)."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.application.governance.spend_writer import SpendWriter
from switchboard.application.router import RouterPolicy
from switchboard.domain.errors import BadRequest, ProviderUnavailable
from switchboard.domain.routing import RetryPolicy
from tests.contract.sinks.harnesses import LangfuseHarness, OtelHarness, PrometheusHarness
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import FakeLedger
from tests.support.endpoints import ENDPOINTS, deployment, gateway

CHAT = ENDPOINTS[0]
DEPLOYMENTS = [deployment("d1"), deployment("d2"), deployment("d3", group="backup"), deployment("d4", group="backup")]


async def test_a_call_failing_everywhere_reaches_every_sink_with_its_deployment_and_attempts() -> None:
    prometheus, langfuse, otel = PrometheusHarness(), LangfuseHarness(), OtelHarness()
    queues = [ExportQueue(h.name, h.build(), QueueSettings(max_retries=0)) for h in (prometheus, langfuse, otel)]
    events = EventDispatcher(queues, FakeClock())
    ledger = FakeLedger()
    spend = SpendWriter(ledger, FakeClock(), FakeIds())
    g = gateway(
        CHAT.upstream(error=ProviderUnavailable("down", provider="up")),
        deployments=DEPLOYMENTS,
        sinks=[events, spend],
        policy=RouterPolicy(retries=RetryPolicy(num_retries=1)),
    )
    with pytest.raises(ProviderUnavailable):
        await CHAT.run(g, {"num_retries": 1, "fallbacks": ["backup"]})
    await events.aclose(timeout=5)
    await spend.flush()
    [outcome] = g.sink.outcomes
    attempted = list(outcome.attempted)
    assert sorted(attempted) == ["d1", "d2", "d3", "d4"]
    last = attempted[-1]

    samples = [s for f in text_string_to_metric_families(prometheus.text()) for s in f.samples]
    [fallbacks] = [s for s in samples if s.name == "switchboard_fallback_attempts_total"]
    assert fallbacks.value == len(attempted)
    [request] = [s for s in samples if s.name == "switchboard_requests_total"]
    assert (request.labels["deployment"], request.labels["status"]) == (last, "error")

    [generation] = [e for b in langfuse.bodies() for e in b["batch"] if e["type"] == "generation-create"]
    metadata = generation["body"]["metadata"]
    assert (metadata["deployment_id"], metadata["attempted_deployments"]) == (last, attempted)

    [attributes] = otel.span_attributes()
    assert attributes["switchboard.deployment_id"] == last
    tried = attributes["switchboard.attempted_deployments"]
    assert isinstance(tried, tuple | list) and list(tried) == attempted

    [row] = ledger.rows.values()
    assert (row.deployment_id, row.provider, row.model, row.status) == (last, "up", f"up-{last}", "failure")


async def test_an_upstream_refusal_is_a_failure_of_its_deployment_in_the_spend_row() -> None:
    ledger = FakeLedger()
    spend = SpendWriter(ledger, FakeClock(), FakeIds())
    g = gateway(CHAT.upstream(error=BadRequest("up: bad field", provider="up", status=400)), sinks=[spend])
    with pytest.raises(BadRequest):
        await CHAT.run(g, {})
    await spend.flush()
    [row] = ledger.rows.values()
    assert (row.deployment_id, row.status) == ("d1", "failure")  # the gateway did not refuse it: d1 did
