"""AccessTokens against a fake Google token endpoint that checks the service account's JWT."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.vertex_ai.credentials import parse_credentials
from switchboard.adapters.outbound.providers.vertex_ai.tokens import AccessTokens
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, UpstreamProtocolError
from tests.fakes import FakeClock
from tests.support.google_auth import service_account, token_body, verify_token_request
from tests.support.loopback import LoopbackUpstream

TOKEN_URI = "https://oauth2.test/token"


class TokenEndpoint:
    """Google's token endpoint, as far as a client can tell: checks the JWT, hands out tokens."""

    def __init__(self, clock: FakeClock, *, status: int = 200, body: bytes | None = None) -> None:
        self.clock = clock
        self.status = status
        self.body = body
        self.exchanges = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        verify_token_request(request.content, TOKEN_URI, now=self.clock.now())
        self.exchanges += 1
        await asyncio.sleep(0.01)  # long enough for concurrent callers to pile up
        if self.body is not None or self.status != 200:
            return httpx.Response(self.status, content=self.body or b"")
        return httpx.Response(200, content=token_body(f"ya29.token-{self.exchanges}", expires_in=3600))


def tokens(endpoint: TokenEndpoint, clock: FakeClock) -> AccessTokens:
    transport = LoopbackUpstream(endpoint).transport()
    credentials = parse_credentials(service_account(TOKEN_URI), "vertex_ai")
    return AccessTokens(credentials, transport, clock, provider="vertex_ai", margin=300)


async def test_the_first_call_trades_a_signed_jwt_for_a_token() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock)
    assert await tokens(endpoint, clock).get() == "ya29.token-1"
    assert endpoint.exchanges == 1


async def test_a_token_is_reused_until_shortly_before_it_expires() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock)
    source = tokens(endpoint, clock)
    await source.get()
    clock.advance(3600 - 301)
    assert await source.get() == "ya29.token-1"
    clock.advance(2)
    assert await source.get() == "ya29.token-2"
    assert endpoint.exchanges == 2


async def test_concurrent_callers_share_one_exchange() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock)
    source = tokens(endpoint, clock)
    results = await asyncio.gather(*(source.get() for _ in range(50)))
    assert set(results) == {"ya29.token-1"}
    assert endpoint.exchanges == 1


async def test_concurrent_callers_after_expiry_share_one_refresh() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock)
    source = tokens(endpoint, clock)
    await source.get()
    clock.advance(3600)
    results = await asyncio.gather(*(source.get() for _ in range(20)))
    assert set(results) == {"ya29.token-2"}
    assert endpoint.exchanges == 2


async def test_a_short_lived_token_is_refreshed_halfway() -> None:
    clock = FakeClock()
    issued: list[str] = []

    async def short(request: httpx.Request) -> httpx.Response:
        issued.append(f"ya29.short-{len(issued) + 1}")
        return httpx.Response(200, content=token_body(issued[-1], expires_in=120))

    transport = LoopbackUpstream(short).transport()
    source = AccessTokens(parse_credentials(service_account(TOKEN_URI), "v"), transport, clock, provider="v")
    await source.get()
    clock.advance(59)
    assert await source.get() == "ya29.short-1"
    clock.advance(2)
    assert await source.get() == "ya29.short-2"


async def test_a_refused_credential_is_an_authentication_error_without_the_assertion() -> None:
    clock = FakeClock()
    body = orjson.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
    endpoint = TokenEndpoint(clock, status=400, body=body)
    with pytest.raises(AuthenticationError) as caught:
        await tokens(endpoint, clock).get()
    assert "invalid_grant" in caught.value.message
    assert "eyJ" not in caught.value.message  # no JWT


async def test_a_failing_token_endpoint_is_provider_unavailable_and_the_next_call_retries() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock, status=503)
    source = tokens(endpoint, clock)
    with pytest.raises(ProviderUnavailable):
        await source.get()
    endpoint.status = 200
    assert await source.get() == "ya29.token-2"


async def test_an_answer_without_a_token_is_a_protocol_error() -> None:
    clock = FakeClock()
    endpoint = TokenEndpoint(clock, body=b'{"token_type": "Bearer"}')
    with pytest.raises(UpstreamProtocolError):
        await tokens(endpoint, clock).get()
