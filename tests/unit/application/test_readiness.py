"""Readiness: healthy when every backing service answers, degraded when the gateway can do
without the one that is down, unhealthy when it cannot."""

from __future__ import annotations

import asyncio

from switchboard.application.readiness import Dependency, readiness


def up() -> Dependency:
    async def ping() -> bool:
        return True

    return Dependency("db", ping, required=True)


def down(name: str, *, required: bool) -> Dependency:
    async def ping() -> bool:
        raise ConnectionRefusedError

    return Dependency(name, ping, required=required)


def hanging(name: str) -> Dependency:
    async def ping() -> bool:
        await asyncio.Event().wait()
        return True

    return Dependency(name, ping, required=True)


async def test_every_service_answering_is_healthy() -> None:
    assert await readiness([up()]) == {"status": "healthy", "db": "connected"}


async def test_nothing_to_check_is_healthy() -> None:
    assert await readiness([]) == {"status": "healthy"}


async def test_a_service_the_gateway_can_do_without_being_down_is_degraded() -> None:
    report = await readiness([up(), down("redis", required=False)])

    assert report == {"status": "degraded", "db": "connected", "redis": "unreachable"}


async def test_a_required_service_being_down_is_unhealthy() -> None:
    report = await readiness([down("db", required=True), down("redis", required=False)])

    assert report["status"] == "unhealthy"


async def test_a_probe_that_hangs_counts_as_down() -> None:
    report = await readiness([hanging("db")], timeout=0.01)

    assert report == {"status": "unhealthy", "db": "unreachable"}
