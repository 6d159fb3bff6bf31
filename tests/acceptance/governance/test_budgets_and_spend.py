"""Budgets, limits and spend through the whole gateway: concurrency, streams, rows, reports."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from switchboard.domain.governance.keys import hash_key
from tests.acceptance.governance.conftest import Gateway


async def settled(gateway: Gateway, key: str, rows: int) -> list[dict[str, Any]]:
    """The key's spend rows once ``rows`` of them are written."""
    for _ in range(200):
        logs: list[dict[str, Any]] = (await gateway.call("GET", "/spend/logs", api_key=key, size=1000)).json()
        if len(logs) >= rows:
            return logs
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {rows} spend rows, found {len(logs)}")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_200_concurrent_calls_never_spend_past_the_budget(make_gateway: Callable[..., Any], stream: bool) -> None:
    async with make_gateway(proxy_batch_write_at=0.05) as gateway:
        budget = 0.5
        key = await gateway.new_key(max_budget=budget)
        responses: list[httpx.Response] = await asyncio.gather(
            *(gateway.chat(key, max_tokens=50, stream=stream) for _ in range(200))
        )
        ok = [r for r in responses if r.status_code == 200]
        refused = [r for r in responses if r.status_code != 200]
        assert ok and refused
        assert {r.status_code for r in refused} == {429}
        assert {r.json()["error"]["code"] for r in refused} == {"budget_exceeded"}
        assert {r.headers["x-should-retry"] for r in refused} == {"false"}
        # Then one at a time until the budget says no: nothing stayed reserved after the burst.
        for _ in range(50):
            late = await gateway.chat(key, max_tokens=50, stream=stream)
            responses.append(late)
            if late.status_code != 200:
                break
        rows = await settled(gateway, key, len(responses))
        cost = sum(r["cost"] for r in rows)
        info = (await gateway.admin("/key/info", method="GET", key=key))["info"]
        assert cost <= budget
        assert cost > budget - 0.107  # within one call's worst case of the budget: it was all usable
        assert info["spend"] == pytest.approx(cost, abs=1e-9)
        successes = sum(r.status_code == 200 for r in responses)
        assert sorted(r["status"] for r in rows) == sorted(
            ["success"] * successes + ["rejected"] * (len(responses) - successes)
        )


async def test_with_spend_logs_disabled_budgets_hold_and_no_row_is_kept(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(proxy_batch_write_at=0.05, disable_spend_logs=True) as gateway:
        key = await gateway.new_key(max_budget=0.3)
        statuses = []
        for _ in range(200):
            statuses.append((await gateway.chat(key, max_tokens=50)).status_code)
            if statuses[-1] != 200:
                break
        assert statuses[0] == 200
        assert statuses[-1] == 429  # the budget ran out: spend was counted
        for _ in range(100):
            info = (await gateway.admin("/key/info", method="GET", key=key))["info"]
            if info["spend"] > 0:
                break
            await asyncio.sleep(0.05)
        assert 0 < info["spend"] <= 0.3
        assert (await gateway.call("GET", "/spend/logs", api_key=key, size=1000)).json() == []


async def test_every_scope_holds_its_own_budget(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "t", "max_budget": 0.2})
    keys = [await gateway.new_key(team_id="t") for _ in range(3)]
    results = await asyncio.gather(*(gateway.chat(k, max_tokens=50) for k in keys for _ in range(20)))
    admitted = sum(r.status_code == 200 for r in results)
    assert 0 < admitted < 60
    rows = []
    for k in keys:
        rows += (await gateway.call("GET", "/spend/logs", api_key=k, size=1000)).json()
    assert all(r["team_id"] == "t" for r in rows)


async def test_end_users_get_the_default_budget(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway() as gateway:
        await gateway.admin("/customer/new", {"user_id": "poor", "max_budget": 0.0})
        key = await gateway.new_key()
        refused = await gateway.chat(key, user="poor", max_tokens=5)
        assert refused.status_code == 429
        assert (await gateway.chat(key, user="rich", max_tokens=5)).status_code == 200


async def test_rpm_and_parallel_limits_answer_429_with_retry_after(gateway: Gateway) -> None:
    key = await gateway.new_key(rpm_limit=2)
    first = await gateway.chat(key)
    assert first.headers["x-ratelimit-limit-requests"] == "2"
    assert first.headers["x-ratelimit-remaining-requests"] == "1"
    await gateway.chat(key)
    refused = await gateway.chat(key)
    assert refused.status_code == 429
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-remaining-requests"] == "0"
    slow = await gateway.new_key(max_parallel_requests=1)
    results = await asyncio.gather(*(gateway.chat(slow, "slow") for _ in range(3)))
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 429, 429]
    assert {r.json()["error"]["code"] for r in results if r.status_code == 429} == {"max_parallel_requests"}
    assert (await gateway.chat(slow)).status_code == 200  # the slot came back


async def test_model_specific_limits_apply_per_model(gateway: Gateway) -> None:
    key = await gateway.new_key(model_rpm_limit={"cheap": 1})
    assert (await gateway.chat(key, "cheap")).status_code == 200
    assert (await gateway.chat(key, "cheap")).status_code == 429
    assert (await gateway.chat(key, "other")).status_code == 200


async def test_every_call_leaves_one_spend_row(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(proxy_batch_write_at=0.05) as gateway:
        key = await gateway.new_key(rpm_limit=3)
        await gateway.chat(key)
        await gateway.chat(key, stream=True)
        await gateway.call("POST", "/v1/embeddings", key=key, json={"model": "mock-embedding", "input": "hello"})
        await gateway.chat(key)  # over the rpm: refused, still a row
        rows = await settled(gateway, key, 4)
        assert sorted((r["call_type"], r["status"]) for r in rows) == [
            ("chat", "rejected"),
            ("chat", "success"),
            ("chat", "success"),
            ("embeddings", "success"),
        ]
        assert {r["key_hash"] for r in rows} == {hash_key(key)}
        assert all(r["request_id"] for r in rows)


async def test_spend_reports_group_by_key_team_model_and_day(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(proxy_batch_write_at=0.05) as gateway:
        await gateway.admin("/team/new", {"team_id": "t"})
        key = await gateway.new_key(team_id="t")
        for model in ("cheap", "cheap", "other"):
            await gateway.chat(key, model)
        await settled(gateway, key, 3)
        by_model = await gateway.admin("/global/spend/report", method="GET", group_by="model")
        assert {g["group"]: g["requests"] for g in by_model} == {"cheap": 2, "other": 1}
        by_team = await gateway.admin("/global/spend/report", method="GET", group_by="team")
        assert [g["group"] for g in by_team] == ["t"]
        by_key = await gateway.admin("/global/spend/report", method="GET", group_by="api_key")
        assert [g["group"] for g in by_key] == [hash_key(key)]
        by_day = await gateway.admin("/global/spend/report", method="GET", group_by="day")
        assert len(by_day) == 1
        bad = await gateway.call("GET", "/global/spend/report", group_by="colour")
        assert bad.status_code == 400


async def test_users_read_only_their_own_spend(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(proxy_batch_write_at=0.05) as gateway:
        ann = await gateway.new_user("ann")
        bob = await gateway.new_user("bob")
        await gateway.chat(ann)
        await gateway.chat(bob)
        await settled(gateway, bob, 1)
        await settled(gateway, ann, 1)
        mine = (await gateway.call("GET", "/spend/logs", key=ann, user_id="bob")).json()
        assert {r["user_id"] for r in mine} == {"ann"}
