"""Two gateway processes sharing one Redis route as one: a deployment's rpm holds across both."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.processes import gateway_process, write_config

pytestmark = pytest.mark.server

RPM = 5


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("router-two-instances")
    run = uuid.uuid4().hex[:8]  # fresh deployment ids: fresh counters in the shared Redis
    config = {
        "model_list": [
            {
                "model_name": "limited",
                "litellm_params": {"model": "mock/mock", "mock_response": "hi", "rpm": RPM},
                "model_info": {"id": f"limited-{run}"},
            },
            {
                "model_name": "spill",
                "litellm_params": {"model": "mock/mock", "mock_response": "from a", "rpm": 3},
                "model_info": {"id": f"spill-a-{run}"},
            },
            {
                "model_name": "spill",
                "litellm_params": {"model": "mock/mock", "mock_response": "from b"},
                "model_info": {"id": f"spill-b-{run}"},
            },
        ],
        "router_settings": {"redis_url": redis_url},
    }
    path = write_config(folder, config)
    with gateway_process(path, folder / "a.log") as a, gateway_process(path, folder / "b.log") as b:
        yield a, b


def _same_minute() -> None:
    """The rpm window is the wall-clock minute: start a burst well inside one."""
    if time.time() % 60 > 50:
        time.sleep(60 - time.time() % 60 + 0.1)


async def _burst(urls: tuple[str, str], model: str, count: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=30) as client:
        body = {"model": model, "messages": [{"role": "user", "content": "hi"}]}
        return await asyncio.gather(
            *(client.post(f"{urls[i % 2]}/v1/chat/completions", json=body) for i in range(count))
        )


def test_a_deployments_rpm_holds_across_two_instances(instances: tuple[str, str]) -> None:
    _same_minute()
    responses = asyncio.run(_burst(instances, "limited", 12))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * RPM + [429] * (12 - RPM)
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["error"]["code"] == "no_deployments_available"
    assert 0 < float(refused.headers["retry-after"]) <= 60


def test_past_its_rpm_a_deployment_spills_onto_its_siblings_on_both_instances(instances: tuple[str, str]) -> None:
    _same_minute()
    responses = asyncio.run(_burst(instances, "spill", 12))
    assert all(r.status_code == 200 for r in responses)
    served_by_a = [r for r in responses if r.headers["x-switchboard-model-id"].startswith("spill-a-")]
    assert len(served_by_a) <= 3
