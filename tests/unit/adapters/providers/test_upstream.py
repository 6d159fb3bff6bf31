from __future__ import annotations

import httpx
import pytest

from switchboard.adapters.outbound.providers.openai.errors import error_from_response as read_error
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.domain.errors import BadRequest, ProviderUnavailable
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

ENDPOINT = Endpoint("https://api.test/v1/chat", {"authorization": "Bearer sk-secret-value"}, ("sk-secret-value",))


def answering(status: int, body: bytes) -> RecordingUpstream:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(status, stream=TrackedStream([body], counter))

    return RecordingUpstream(handler)


async def test_a_post_returns_the_whole_answer() -> None:
    fake = answering(200, b'{"ok": true}')
    reply = await Upstream(fake.transport(), "p", read_error).post(ENDPOINT, b"{}", 5.0, "d1")
    assert reply.body == b'{"ok": true}'
    assert fake.requests[0].headers["authorization"] == "Bearer sk-secret-value"


async def test_an_error_status_raises_the_providers_error_with_the_secrets_masked() -> None:
    fake = answering(400, b'{"error": {"message": "bad key sk-secret-value"}}')
    with pytest.raises(BadRequest) as raised:
        await Upstream(fake.transport(), "p", read_error).post(ENDPOINT, b"{}", 5.0, "d1")
    assert raised.value.message == "p: bad key ***"
    assert (raised.value.provider, raised.value.deployment) == ("p", "d1")


async def test_a_stream_with_an_error_status_raises_on_enter_and_is_closed() -> None:
    fake = answering(400, b'{"error": {"message": "bad key sk-secret-value"}}')
    with pytest.raises(BadRequest, match=r"bad key \*\*\*"):
        async with Upstream(fake.transport(), "p", read_error).stream(ENDPOINT, b"{}", 5.0, "d1"):
            pass
    assert fake.counter.open == 0


async def test_leaving_a_stream_early_closes_the_response() -> None:
    fake = answering(200, b"data: 1\n\n")
    async with Upstream(fake.transport(), "p", read_error).stream(ENDPOINT, b"{}", 5.0, "d1") as reply:
        assert reply.status == 200
    assert fake.counter.opened == 1
    assert fake.counter.open == 0


async def test_a_transport_failure_becomes_a_domain_error() -> None:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ProviderUnavailable):
        await Upstream(RecordingUpstream(handler).transport(), "p", read_error).post(ENDPOINT, b"{}", 5.0, "d1")
