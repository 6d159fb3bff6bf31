"""Failed authentications are throttled per client address (issue 11, item 14): a guesser or a
flood of random keys from one address gets 429 with Retry-After, in OpenAI's error shape."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from freezegun import freeze_time

from tests.acceptance.governance.conftest import MASTER, Gateway

LIMIT = 3


@pytest.fixture
async def gateway(make_gateway: Callable[..., Any]) -> AsyncIterator[Gateway]:
    async with make_gateway(auth_failure_limit=LIMIT, auth_failure_window=60, trusted_proxies=["10.0.0.0/8"]) as gw:
        yield gw


@asynccontextmanager
async def client_at(gateway: Gateway, address: str) -> AsyncIterator[Gateway]:
    """The same gateway, called from another socket address."""
    app: Any = gateway.app  # httpx's annotations do not name Litestar's ASGI types
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Gateway(client, gateway.app)


async def fail(gateway: Gateway, times: int = LIMIT, headers: dict[str, str] | None = None) -> None:
    for attempt in range(times):
        response = await gateway.call("GET", "/v1/models", key=f"sk-guess-{attempt}", headers=headers)
        assert response.status_code == 401


async def test_an_address_that_fails_too_often_gets_429_with_retry_after(gateway: Gateway) -> None:
    await fail(gateway)
    response = await gateway.call("GET", "/v1/models", key="sk-one-more-guess")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) == 60
    error = response.json()["error"]
    assert error["type"] == "rate_limit_error"
    assert error["code"] == "auth_throttled"
    assert set(error) == {"message", "type", "param", "code"}


async def test_a_refused_address_is_refused_even_with_a_right_key(gateway: Gateway) -> None:
    await fail(gateway)
    assert (await gateway.call("GET", "/v1/models", key=MASTER)).status_code == 429
    assert (await gateway.chat(MASTER)).status_code == 429  # the bare chat route decides the same way


async def test_a_refused_address_still_gets_the_probes(gateway: Gateway) -> None:
    await fail(gateway)
    assert (await gateway.call("GET", "/health/liveliness", key=None)).status_code == 200
    assert (await gateway.call("GET", "/health/readiness", key="sk-guess")).status_code == 200


async def test_a_missing_key_is_not_a_failed_authentication(gateway: Gateway) -> None:
    for _ in range(LIMIT * 2):
        assert (await gateway.call("GET", "/v1/models", key=None)).status_code == 401
    assert (await gateway.call("GET", "/v1/models", key=MASTER)).status_code == 200


async def test_other_addresses_are_still_served(gateway: Gateway) -> None:
    await fail(gateway)
    async with client_at(gateway, "203.0.113.7") as other:
        assert (await other.call("GET", "/v1/models", key=MASTER)).status_code == 200


async def test_an_untrusted_peer_cannot_escape_by_naming_other_clients(gateway: Gateway) -> None:
    for attempt in range(LIMIT):
        forged = {"x-forwarded-for": f"198.51.100.{attempt}"}
        assert (await gateway.call("GET", "/v1/models", key="sk-guess", headers=forged)).status_code == 401
    fresh = {"x-forwarded-for": "198.51.100.99"}
    assert (await gateway.call("GET", "/v1/models", key=MASTER, headers=fresh)).status_code == 429


async def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_alone(gateway: Gateway) -> None:
    async with client_at(gateway, "10.0.0.2") as proxy:
        await fail(proxy, headers={"x-forwarded-for": "198.51.100.1"})
        blocked = await proxy.call("GET", "/v1/models", key=MASTER, headers={"x-forwarded-for": "198.51.100.1"})
        assert blocked.status_code == 429
        served = await proxy.call("GET", "/v1/models", key=MASTER, headers={"x-forwarded-for": "198.51.100.2"})
        assert served.status_code == 200


async def test_the_refusal_ends_with_the_window(gateway: Gateway) -> None:
    with freeze_time("2026-12-08 00:00:00", real_asyncio=True) as clock:
        await fail(gateway)
        assert (await gateway.call("GET", "/v1/models", key=MASTER)).status_code == 429
        clock.tick(61)
        assert (await gateway.call("GET", "/v1/models", key=MASTER)).status_code == 200


async def test_a_zero_limit_turns_the_throttle_off(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(auth_failure_limit=0) as gateway:
        await fail(gateway, times=50)
        assert (await gateway.call("GET", "/v1/models", key=MASTER)).status_code == 200
