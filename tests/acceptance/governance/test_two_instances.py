"""Two gateway processes sharing Redis and PostgreSQL act as one: one rpm, one budget, one
revocation (LiteLLM #2730, #6938, PR #10037, #9820)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.acceptance.governance.conftest import MASTER, PRICED, REPLY
from tests.support.databases import postgres_schema
from tests.support.processes import gateway_process, write_config

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory, postgres_url: str, redis_url: str) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("two-instances")
    with postgres_schema(postgres_url, migrate=False) as database_url:
        config = {
            "model_list": [
                {
                    "model_name": "cheap",
                    "litellm_params": {"model": "mock/mock", "mock_response": REPLY},
                    "model_info": PRICED,
                },
            ],
            "general_settings": {
                "master_key": MASTER,
                "database_url": database_url,
                "auto_migrate": True,
                "redis_url": redis_url,
                "user_api_key_cache_ttl": 30,  # revocation must come from pub/sub, not from the TTL
                "proxy_batch_write_at": 0.2,
            },
        }
        path = write_config(folder, config)
        with gateway_process(path, folder / "a.log") as a, gateway_process(path, folder / "b.log") as b:
            yield a, b


def _admin(url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{url}{path}", json=body, headers={"authorization": f"Bearer {MASTER}"}, timeout=10)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def _chats(urls: list[str], key: str, count: int, **extra: Any) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=30) as client:
        payload = {"model": "cheap", "messages": [{"role": "user", "content": "hi"}], **extra}
        return await asyncio.gather(
            *(
                client.post(
                    f"{urls[i % len(urls)]}/v1/chat/completions",
                    json=payload,
                    headers={"authorization": f"Bearer {key}"},
                )
                for i in range(count)
            )
        )


async def test_one_keys_rpm_holds_across_both_instances(instances: tuple[str, str]) -> None:
    a, b = instances
    key = _admin(a, "/key/generate", {"rpm_limit": 10, "key_alias": f"rpm-{uuid.uuid4().hex[:6]}"})["key"]
    responses = await _chats([a, b], key, 30)
    assert sorted(r.status_code for r in responses) == [200] * 10 + [429] * 20
    refused = [r for r in responses if r.status_code == 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert {r.headers["x-ratelimit-remaining-requests"] for r in refused} == {"0"}


async def test_one_budget_holds_across_both_instances(instances: tuple[str, str]) -> None:
    a, b = instances
    key = _admin(a, "/key/generate", {"max_budget": 0.3})["key"]
    responses = await _chats([a, b], key, 60, max_tokens=50)
    assert {r.status_code for r in responses} == {200, 429}
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(100):
            info = (
                await client.get(f"{b}/key/info", params={"key": key}, headers={"authorization": f"Bearer {MASTER}"})
            ).json()
            ok = sum(r.status_code == 200 for r in responses)
            logs = (
                await client.get(
                    f"{a}/spend/logs",
                    params={"api_key": key, "size": 1000},
                    headers={"authorization": f"Bearer {MASTER}"},
                )
            ).json()
            if len(logs) == len(responses):
                break
            await asyncio.sleep(0.1)
    assert len(logs) == len(responses)
    assert sum(r["status"] == "success" for r in logs) == ok
    assert info["info"]["spend"] <= 0.3


async def test_a_key_blocked_on_one_instance_stops_on_the_other_within_a_second(
    instances: tuple[str, str],
) -> None:
    a, b = instances
    key = _admin(a, "/key/generate", {})["key"]
    assert {r.status_code for r in await _chats([a], key, 2)} == {200}  # cached on a
    _admin(b, "/key/block", {"key": key})
    started = time.monotonic()
    while time.monotonic() - started < 1.0:
        if (await _chats([a], key, 1))[0].status_code == 401:
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("the blocked key still worked on the other instance after 1 s")
