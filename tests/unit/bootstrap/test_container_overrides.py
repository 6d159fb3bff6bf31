"""The container is the one composition root, and a test swaps a part of it by name: the server,
the facade and the CLI each resolve what they use from it, so an overridden provider is the one
they get."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from switchboard.adapters.outbound.transport import Reply
from switchboard.application.governance.forms import NewOrg
from switchboard.bootstrap.container import Container, build_container, stop
from switchboard.bootstrap.facade import AsyncClient
from switchboard.bootstrap.http import build_app
from switchboard.bootstrap.management import operator_governance
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings
from switchboard.domain.principal import Principal, PrincipalKind
from tests.fakes.system import FakeClock
from tests.fakes.transport import CannedTransport

UPSTREAM_ANSWER = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "from the fake"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 3, "total_tokens": 4},
}
MODELS = [
    {
        "model_name": "gpt",
        "litellm_params": {"model": "openai/gpt-4o-mini", "api_base": "http://upstream.test/v1", "api_key": "sk-up"},
    }
]
MESSAGES = [{"role": "user", "content": "hi"}]


def container_for(config: dict[str, Any]) -> Container:
    return build_container(load_settings({"model_list": MODELS, **config}, known_providers()))


def fake_upstream() -> CannedTransport:
    return CannedTransport(Reply(200, {"content-type": "application/json"}, json.dumps(UPSTREAM_ANSWER).encode()))


async def test_the_facade_calls_upstream_through_an_overridden_transport() -> None:
    container = container_for({})
    upstream = fake_upstream()
    container.transport.override(providers.Object(upstream))
    client = AsyncClient(container=container)
    try:
        answer = await client.chat(model="gpt", messages=MESSAGES)
    finally:
        await client.aclose()
    assert answer.choices[0].message.content == "from the fake"
    assert upstream.sent == [("POST", "http://upstream.test/v1/chat/completions")]


async def test_the_gateway_calls_upstream_through_an_overridden_transport() -> None:
    container = container_for({})
    upstream = fake_upstream()
    container.transport.override(providers.Object(upstream))
    async with AsyncTestClient(app=build_app(container)) as http:
        reply = await http.post("/v1/chat/completions", json={"model": "gpt", "messages": MESSAGES})
    assert reply.status_code == 200
    assert reply.json()["choices"][0]["message"]["content"] == "from the fake"
    assert upstream.sent == [("POST", "http://upstream.test/v1/chat/completions")]


async def test_a_part_swapped_in_is_not_closed_by_the_container() -> None:
    container = container_for({})
    upstream = fake_upstream()
    container.transport.override(providers.Object(upstream))
    client = AsyncClient(container=container)
    await client.chat(model="gpt", messages=MESSAGES)
    await client.aclose()
    assert not upstream.closed


async def test_the_management_services_read_the_clock_the_test_gives(tmp_path: Path) -> None:
    general = {"master_key": "sk-m", "database_url": f"sqlite:///{tmp_path}/governance.db"}
    container = container_for({"general_settings": general})
    container.clock.override(providers.Object(FakeClock(start=1_000_000_000.0)))
    async with operator_governance(container.settings(), container) as services:
        org = await services.orgs.new(Principal(PrincipalKind.OPERATOR), NewOrg(organization_id="acme"))
    assert org.created_at is not None and org.created_at.timestamp() == 1_000_000_000.0


async def test_closing_a_container_closes_what_was_opened_and_only_that() -> None:
    container = container_for({})
    await container.chat.async_()
    opened = {name for name, p in container.providers.items() if isinstance(p, providers.Resource) and p.initialized}
    await stop(container)
    assert "routing_state" in opened
    assert "health_checks" not in opened  # not asked for: never opened
    assert not any(p.initialized for p in container.traverse(types=[providers.Resource]))
