"""Redis paused (SIGSTOP) while calls are in flight, on a Redis of the test's own: the calls that
end during the pause cannot settle there, and their parallel slots must not stay taken for the
900 s lease once Redis is back. The settlements wait in the gateway and are applied when Redis
answers again, so a key with few parallel slots is usable again at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.disposable import DisposableRedis, disposable_redis
from tests.support.gated_upstream import GatedUpstream
from tests.support.processes import gateway_process, write_config
from tests.support.servers import serve_asgi

pytestmark = pytest.mark.server

MASTER = "sk-master-redis-pause-0123"
SLOTS = 3
CHAT = {"model": "gated", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[DisposableRedis]:
    with disposable_redis(tmp_path / "redis") as server:
        yield server


def _chat(url: str, key: str) -> int:
    return httpx.post(
        f"{url}/v1/chat/completions", json=CHAT, headers={"authorization": f"Bearer {key}"}, timeout=60
    ).status_code


def _burst(url: str, key: str, count: int) -> list[int]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: _chat(url, key), range(count)))


def test_slots_of_calls_that_ended_during_a_redis_pause_are_free_once_it_is_back(
    redis: DisposableRedis, tmp_path: Path
) -> None:
    upstream = GatedUpstream()
    with serve_asgi(upstream) as upstream_url:
        config = write_config(
            tmp_path,
            {
                "model_list": [
                    {
                        "model_name": "gated",
                        "litellm_params": {"model": "openai/gated", "api_base": f"{upstream_url}/v1", "api_key": "k"},
                    }
                ],
                "general_settings": {
                    "master_key": MASTER,
                    "database_url": f"sqlite:///{tmp_path}/gateway.db",
                    "redis_url": redis.url,
                    "rate_limit_store_failure": "open",  # during the pause, this instance judges alone
                },
            },
        )
        with gateway_process(config, tmp_path / "gateway.log") as url:
            admin = {"authorization": f"Bearer {MASTER}"}
            key = httpx.post(
                f"{url}/key/generate", json={"max_parallel_requests": SLOTS}, headers=admin, timeout=30
            ).json()["key"]
            with ThreadPoolExecutor(SLOTS) as pool:
                in_flight = [pool.submit(_chat, url, key) for _ in range(SLOTS)]
                assert upstream.wait_for(SLOTS)  # every slot is taken in Redis
                redis.pause()
                upstream.release()
                ended = [call.result() for call in in_flight]  # they settle while Redis is frozen
            redis.resume()
            deadline = time.monotonic() + 30
            while (after := _burst(url, key, SLOTS)) != [200] * SLOTS and time.monotonic() < deadline:
                pass  # the breaker probes Redis again within a second of its return

    assert ended == [200] * SLOTS
    assert after == [200] * SLOTS  # not 429 for the 900 s lease
