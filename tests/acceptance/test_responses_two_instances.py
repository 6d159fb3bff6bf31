"""Stored responses live in the governance database, so ``previous_response_id`` works across
gateway instances: a response created through one ``switchboard serve`` process is continued,
read and deleted through another, both on the same PostgreSQL database; another key sees none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.support.anthropic_upstream import AnthropicUpstream
from tests.support.databases import postgres_schema
from tests.support.processes import gateway_process, write_config
from tests.support.servers import serve_asgi

pytestmark = [pytest.mark.server, pytest.mark.postgres]

MASTER = "sk-two-instances-master"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[AnthropicUpstream, str]]:
    app = AnthropicUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def instances(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str, upstream: tuple[AnthropicUpstream, str]
) -> Iterator[tuple[str, str]]:
    folder: Path = tmp_path_factory.mktemp("responses-two-instances")
    _, url = upstream
    with postgres_schema(postgres_url, migrate=False) as database_url:
        config = {
            "model_list": [
                {
                    "model_name": "claude",
                    "litellm_params": {"model": "anthropic/claude-sonnet-4-5", "api_base": url, "api_key": "sk-up"},
                }
            ],
            "general_settings": {"master_key": MASTER, "database_url": database_url, "auto_migrate": True},
        }
        path = write_config(folder, config)
        with gateway_process(path, folder / "a.log") as a, gateway_process(path, folder / "b.log") as b:
            yield a, b


def _client(base: str, key: str = MASTER) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0)


def test_a_response_made_on_one_instance_is_continued_on_the_other(
    instances: tuple[str, str], upstream: tuple[AnthropicUpstream, str]
) -> None:
    a, b = instances
    with _client(a) as on_a, _client(b) as on_b:
        first = on_a.responses.create(model="claude", input="my name is Ada")
        on_b.responses.create(model="claude", input="what is my name?", previous_response_id=first.id)
    messages = upstream[0].bodies[-1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] in ("my name is Ada", [{"type": "text", "text": "my name is Ada"}])


def test_a_stored_response_is_read_and_deleted_through_the_other_instance(instances: tuple[str, str]) -> None:
    a, b = instances
    with _client(a) as on_a, _client(b) as on_b:
        created = on_a.responses.create(model="claude", input="remember me")
        assert on_b.responses.retrieve(created.id).output_text == "echo: remember me"
        on_b.responses.delete(created.id)
        with pytest.raises(openai.NotFoundError):
            on_a.responses.retrieve(created.id)


def test_another_key_finds_nothing_on_either_instance(instances: tuple[str, str]) -> None:
    a, b = instances
    with _client(a) as on_a:
        created = on_a.responses.create(model="claude", input="mine only")
    made = httpx.post(f"{a}/key/generate", json={}, headers={"Authorization": f"Bearer {MASTER}"}, timeout=30)
    stranger = made.json()["key"]
    for base in (a, b):
        with _client(base, stranger) as theirs, pytest.raises(openai.NotFoundError):
            theirs.responses.retrieve(created.id)
