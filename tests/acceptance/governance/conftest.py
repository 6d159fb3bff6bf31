"""A gateway in-process (Litestar's test client) with governance on: master key, a migrated
SQLite file of its own, the mock provider with prices."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from switchboard.bootstrap.http import create_app
from tests.support.databases import copy_sqlite, migrated_sqlite
from tests.support.servers import in_process, lifespan

MASTER = "sk-master-test-key-0123456789"
REPLY = "one two three four five"  # what the "cheap" model answers: well under max_tokens
PRICED = {"input_cost_per_token": 0.001, "output_cost_per_token": 0.002, "max_output_tokens": 100}


def config_for(database_url: str, **general: Any) -> dict[str, Any]:
    return {
        "model_list": [
            {
                "model_name": "cheap",
                "litellm_params": {"model": "mock/mock", "mock_response": REPLY},
                "model_info": PRICED,
            },
            {
                "model_name": "slow",
                "litellm_params": {"model": "mock/mock", "mock_latency_ms": 300},
                "model_info": PRICED,
            },
            {
                "model_name": "other",
                "litellm_params": {"model": "mock/mock"},
                "model_info": {**PRICED, "access_groups": ["beta"]},
            },
            {"model_name": "mock-embedding", "litellm_params": {"model": "mock/mock-embedding"}},
        ],
        "general_settings": {
            "master_key": MASTER,
            "database_url": database_url,
            "auto_migrate": False,
            **general,
        },
    }


@dataclass
class Gateway:
    """The app, and a client that sends requests concurrently within the test's event loop."""

    client: httpx.AsyncClient
    app: Litestar

    async def call(
        self,
        method: str,
        path: str,
        key: str | None = MASTER,
        json: Any = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        **params: Any,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if key is not None:
            sent.setdefault("authorization", f"Bearer {key}")
        return await self.client.request(method, path, json=json, content=content, headers=sent, params=params or None)

    async def admin(self, path: str, json: Any = None, method: str = "POST", **params: Any) -> Any:
        """The JSON of a 200 answer (an object or, for lists, an array)."""
        response = await self.call(method, path, json=json, **params)
        assert response.status_code == 200, response.text
        return response.json()

    async def new_key(self, **fields: Any) -> str:
        return str((await self.admin("/key/generate", fields))["key"])

    async def new_user(self, user_id: str, role: str = "internal_user", **fields: Any) -> str:
        """A user and their first key's secret."""
        body = await self.admin("/user/new", {"user_id": user_id, "user_role": role, **fields})
        return str(body["key"])

    async def chat(self, key: str | None, model: str = "cheap", **extra: Any) -> httpx.Response:
        payload = {"model": model, "messages": [{"role": "user", "content": "hi"}], **extra}
        return await self.call("POST", "/v1/chat/completions", key=key, json=payload)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite(tmp_path_factory.mktemp("gateway-db") / "template.db")


@pytest.fixture
def make_gateway(sqlite_template: Path, tmp_path: Path) -> Callable[..., Any]:
    """``async with make_gateway(**general_settings) as gateway``."""
    from contextlib import asynccontextmanager
    from itertools import count

    numbers = count()

    @asynccontextmanager
    async def make(**general: Any) -> AsyncIterator[Gateway]:
        url = copy_sqlite(sqlite_template, tmp_path / f"gw-{next(numbers)}.db")
        app = create_app(config_for(url, **general))
        transport = in_process(app)
        async with (
            lifespan(app),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            yield Gateway(client, app)

    return make


@pytest.fixture
async def gateway(make_gateway: Callable[..., Any]) -> AsyncIterator[Gateway]:
    async with make_gateway() as gw:
        yield gw
