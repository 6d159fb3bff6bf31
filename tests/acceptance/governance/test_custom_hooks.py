"""Custom hooks run after access, rate limits and budgets, and are settled like the others."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.support.custom_hooks import RefuseWord
from tests.support.databases import copy_sqlite
from tests.support.servers import in_process, lifespan


@pytest.fixture
async def hooked(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    RefuseWord.seen.clear()
    RefuseWord.settled.clear()
    config = config_for(copy_sqlite(sqlite_template, tmp_path / "h.db"))
    config["litellm_settings"] = {"call_hooks": ["tests.support.custom_hooks:RefuseWord"]}
    app = create_app(config)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=in_process(app), base_url="http://t") as c,
    ):
        yield Gateway(c, app)


async def _say(gateway: Gateway, key: str, text: str) -> httpx.Response:
    body = {"model": "cheap", "messages": [{"role": "user", "content": text}]}
    return await gateway.call("POST", "/v1/chat/completions", key=key, json=body)


async def test_a_custom_hook_sees_only_calls_the_limits_admitted(hooked: Gateway) -> None:
    key = await hooked.new_key(rpm_limit=1)
    assert (await _say(hooked, key, "hello")).status_code == 200
    assert (await _say(hooked, key, "again")).status_code == 429
    assert RefuseWord.seen == ["hello"]
    assert RefuseWord.settled == [True]


async def test_a_custom_refusal_releases_what_the_limits_reserved(hooked: Gateway) -> None:
    key = await hooked.new_key(max_parallel_requests=1)
    refused = await _say(hooked, key, "this is forbidden")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "word_refused"
    assert (await _say(hooked, key, "fine")).status_code == 200
