"""A request's own ``timeout`` and ``stream_timeout`` hold on every endpoint, streams included.

The upstream waits on an event that is never set, so only a timeout can end the call; the outer
``asyncio.timeout`` only keeps a broken gateway from hanging the suite (no duration is asserted).
"""

from __future__ import annotations

import asyncio

import pytest

from switchboard.domain.call_options import CallDefaults
from switchboard.domain.errors import Timeout
from tests.support.endpoints import ENDPOINTS, STREAMS, Endpoint, deployment, gateway

HANG_GUARD = 10.0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_a_requests_timeout_ends_a_call_the_upstream_never_answers(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(gate=asyncio.Event()), defaults=CallDefaults(timeout=600.0))
    with pytest.raises(Timeout) as caught:
        async with asyncio.timeout(HANG_GUARD):
            await endpoint.run(g, {"timeout": 0.05})
    assert caught.value.deployment == "d1"
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, Timeout)
    assert outcome.deployment is not None and outcome.deployment.id == "d1"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_a_requests_timeout_wins_over_the_deployments(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(), deployments=[deployment(timeout=600.0)])
    await endpoint.run(g, {"timeout": 7})
    assert g.upstream.calls[0].timeout == 7.0


@pytest.mark.parametrize("endpoint", STREAMS, ids=str)
async def test_a_streams_first_piece_waits_the_lesser_timeout_and_later_pieces_the_stream_timeout(
    endpoint: Endpoint,
) -> None:
    g = gateway(endpoint.upstream(), defaults=CallDefaults(timeout=600.0))
    await endpoint.run(g, {"timeout": 30, "stream_timeout": 5})
    call = g.upstream.calls[0]
    assert (call.timeout, getattr(call, "idle_timeout", None)) == (5.0, 5.0)


@pytest.mark.parametrize("endpoint", STREAMS, ids=str)
async def test_a_requests_stream_timeout_ends_a_stream_whose_first_piece_never_comes(endpoint: Endpoint) -> None:
    g = gateway(endpoint.upstream(gate=asyncio.Event()), defaults=CallDefaults(timeout=600.0))
    with pytest.raises(Timeout):
        async with asyncio.timeout(HANG_GUARD):
            await endpoint.run(g, {"stream_timeout": 0.05})
