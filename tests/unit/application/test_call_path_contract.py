"""Every endpoint goes through the same steps: admit -> route -> call -> settle once -> emit.

One suite over all endpoints (chat, legacy completions native and through chat, embeddings,
images, transcriptions, speech; streams included): a new door adds one ``Endpoint`` in
``tests/support/endpoints.py`` and gets all of it.
"""

from __future__ import annotations

import asyncio

import pytest

from switchboard.application.router import RouterPolicy
from switchboard.domain.errors import (
    CLIENT_LEFT,
    AllDeploymentsFailed,
    BadRequest,
    ClientAborted,
    InternalError,
    ModelNotFound,
    ProviderUnavailable,
    RateLimited,
)
from switchboard.domain.routing import RetryPolicy
from tests.fakes.hooks import RecordingHook
from tests.support.endpoints import ENDPOINTS, STREAMS, Endpoint, deployment, gateway

every_endpoint = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
every_stream = pytest.mark.parametrize("endpoint", STREAMS, ids=str)


@every_endpoint
async def test_a_call_is_admitted_routed_answered_and_settled_once(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream())
    await endpoint.run(g, {})
    assert len(g.hook.admitted) == 1 and len(g.upstream.calls) == 1
    [(outcome, ticket)] = g.hook.settled
    assert g.sink.outcomes == [outcome] and ticket == "ticket-hook-1"
    assert outcome.ok and outcome.completed
    assert outcome.info.kind == endpoint.kind
    assert outcome.deployment is not None and outcome.deployment.id == "d1"


@every_endpoint
async def test_a_call_a_hook_refuses_is_settled_and_never_reaches_the_upstream(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(), hooks=[RecordingHook("limits", refuse=RateLimited("slow down", retry_after=1))])
    with pytest.raises(RateLimited):
        await endpoint.run(g, {})
    assert g.upstream.calls == []
    [(outcome, _)] = g.hook.settled  # the hook that admitted it before the refusal
    assert g.sink.outcomes == [outcome]
    assert isinstance(outcome.error, RateLimited) and not outcome.completed


@every_endpoint
async def test_a_call_failing_everywhere_is_settled_with_its_last_deployment_and_every_attempt(
    endpoint: Endpoint,
) -> None:
    upstream = endpoint.upstream(error=ProviderUnavailable("down", provider="up"))
    g = gateway(
        upstream,
        deployments=[deployment("d1"), deployment("d2"), deployment("d3", group="backup")],
        policy=RouterPolicy(retries=RetryPolicy(num_retries=1)),  # a request retries at most as configured
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await endpoint.run(g, {"num_retries": 1, "fallbacks": ["backup"]})
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, ProviderUnavailable) and not outcome.completed
    assert set(outcome.attempted) == {"d1", "d2", "d3"} and outcome.attempted[-1] == "d3"
    assert outcome.deployment is not None and outcome.deployment.id == "d3"
    assert len(g.hook.settled) == 1
    failure = caught.value.__cause__
    assert isinstance(failure, AllDeploymentsFailed) and failure.attempted == outcome.attempted


@every_endpoint
async def test_an_unknown_model_is_settled_as_a_failure(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(), deployments=[deployment("d1", group="other")])
    with pytest.raises(ModelNotFound):
        await endpoint.run(g, {})
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, ModelNotFound) and outcome.deployment is None


@every_endpoint
@pytest.mark.parametrize(
    ("option", "value"),
    [("timeout", "soon"), ("stream_timeout", -1), ("num_retries", 1.5), ("fallbacks", 3), ("drop_params", "yes")],
)
async def test_a_malformed_gateway_option_is_a_bad_request_before_admission(
    endpoint: Endpoint, option: str, value: object
) -> None:
    g = gateway(endpoint.upstream())
    with pytest.raises(BadRequest) as caught:
        await endpoint.run(g, {option: value})
    assert caught.value.param == option
    assert g.hook.admitted == [] and g.sink.outcomes == [] and g.upstream.calls == []


@every_stream
async def test_a_stream_left_early_is_settled_once_incomplete_and_its_upstream_closed(endpoint: Endpoint) -> None:
    assert endpoint.leave_early is not None
    g = gateway(endpoint.upstream())
    await endpoint.leave_early(g, {}, None)
    assert (g.upstream.opened, g.upstream.closed) == (1, 1)
    [(outcome, _)] = g.hook.settled
    assert g.sink.outcomes == [outcome]
    assert outcome.ok and not outcome.completed
    assert outcome.deployment is not None and outcome.deployment.id == "d1"


@every_endpoint
async def test_a_call_whose_caller_goes_away_is_settled_once_as_cancelled(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(gate=asyncio.Event()))
    call = asyncio.create_task(endpoint.run(g, {}))
    await g.upstream.called.wait()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    [(outcome, _)] = g.hook.settled
    assert g.sink.outcomes == [outcome]
    assert outcome.error is not None and outcome.error.code == "cancelled"
    assert outcome.deployment is not None and outcome.deployment.id == "d1"
    assert g.upstream.opened == g.upstream.closed


@every_endpoint
async def test_a_call_whose_client_disconnects_is_settled_once_as_client_aborted_and_charged_nothing(
    endpoint: Endpoint,
) -> None:
    g = gateway(endpoint.upstream(gate=asyncio.Event()))
    call = asyncio.create_task(endpoint.run(g, {}))
    await g.upstream.called.wait()
    call.cancel(CLIENT_LEFT)  # what the inbound adapter's disconnect watch does
    with pytest.raises(asyncio.CancelledError):
        await call
    [(outcome, _)] = g.hook.settled
    assert g.sink.outcomes == [outcome]
    assert isinstance(outcome.error, ClientAborted) and not outcome.completed
    assert (outcome.usage, outcome.cost) == (None, None)  # no answer arrived: nothing used
    assert g.upstream.opened == g.upstream.closed


@every_stream
async def test_a_stream_whose_client_disconnects_midway_is_client_aborted_with_what_was_delivered(
    endpoint: Endpoint,
) -> None:
    assert endpoint.leave_early is not None
    g = gateway(endpoint.upstream())
    with pytest.raises(asyncio.CancelledError):
        await endpoint.leave_early(g, {}, asyncio.CancelledError(CLIENT_LEFT))
    assert (g.upstream.opened, g.upstream.closed) == (1, 1)
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, ClientAborted) and not outcome.completed
    left = gateway(endpoint.upstream())
    await endpoint.leave_early(left, {}, None)
    assert outcome.usage == left.sink.outcomes[0].usage  # charged as a stream left early: what was delivered


@every_stream
async def test_an_error_while_a_stream_is_read_settles_it_once_with_that_error(endpoint: Endpoint) -> None:
    assert endpoint.leave_early is not None
    g = gateway(endpoint.upstream())
    with pytest.raises(ConnectionResetError):
        await endpoint.leave_early(g, {}, ConnectionResetError("the client's socket broke"))
    assert (g.upstream.opened, g.upstream.closed) == (1, 1)
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, InternalError) and not outcome.completed


@every_stream
async def test_a_stream_read_to_its_end_is_settled_completed_after_it_closes(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream())
    await endpoint.run(g, {})
    assert (g.upstream.opened, g.upstream.closed) == (1, 1)
    [outcome] = g.sink.outcomes
    assert outcome.ok and outcome.completed and outcome.time_to_first_token is not None
