"""``/metrics`` is not anonymous, and does not name callers unless asked to (issue 11, item 13)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.governance.conftest import MASTER, Gateway
from tests.security.route_table import SCRAPE_TOKEN, full_gateway


@pytest.fixture
async def gateway(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    async with full_gateway(sqlite_template, tmp_path) as gw:
        yield gw


async def counted_metrics(gateway: Gateway) -> str:
    """The exposition once the call's event has reached it (events are delivered off the
    request's path): waits for the delivery, not a timing check."""
    deadline = time.monotonic() + 20
    while True:
        text = (await gateway.call("GET", "/metrics", key=MASTER)).text
        if "switchboard_requests_total{" in text or time.monotonic() > deadline:
            return text
        await asyncio.sleep(0.02)


async def status(gateway: Gateway, key: str | None) -> int:
    return (await gateway.call("GET", "/metrics", key=key)).status_code


async def test_metrics_refuse_a_caller_without_a_credential(gateway: Gateway) -> None:
    response = await gateway.call("GET", "/metrics", key=None)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "authentication_error"


async def test_metrics_refuse_a_plain_key(gateway: Gateway) -> None:
    assert await status(gateway, await gateway.new_key()) == 403


async def test_metrics_answer_the_master_key_an_admin_and_a_viewer(gateway: Gateway) -> None:
    assert await status(gateway, MASTER) == 200
    assert await status(gateway, await gateway.new_user("admin", "proxy_admin")) == 200
    assert await status(gateway, await gateway.new_user("viewer", "proxy_admin_viewer")) == 200


async def test_metrics_answer_the_scrape_token_and_refuse_a_wrong_one(gateway: Gateway) -> None:
    assert await status(gateway, SCRAPE_TOKEN) == 200
    assert await status(gateway, SCRAPE_TOKEN + "x") == 401


async def test_the_scrape_token_opens_nothing_else(gateway: Gateway) -> None:
    assert (await gateway.chat(SCRAPE_TOKEN)).status_code == 401
    assert (await gateway.call("GET", "/key/list", key=SCRAPE_TOKEN)).status_code == 401


async def test_metrics_public_serves_anyone(sqlite_template: Path, tmp_path: Path) -> None:
    async with full_gateway(sqlite_template, tmp_path, metrics_public=True) as gateway:
        assert await status(gateway, None) == 200


async def test_requiring_auth_for_metrics_wins_over_metrics_public(sqlite_template: Path, tmp_path: Path) -> None:
    litellm: dict[str, Any] = {"require_auth_for_metrics_endpoint": True}
    async with full_gateway(sqlite_template, tmp_path, litellm, metrics_public=True) as gateway:
        assert await status(gateway, None) == 401


async def test_on_an_open_gateway_a_scrape_token_still_guards_metrics(sqlite_template: Path, tmp_path: Path) -> None:
    async with full_gateway(sqlite_template, tmp_path, master_key=None) as gateway:
        assert await status(gateway, None) == 401
        assert await status(gateway, SCRAPE_TOKEN) == 200


async def test_metrics_do_not_name_keys_or_teams_by_default(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "billing-team"})
    key = await gateway.new_key(key_alias="billing-service-prod", team_id="billing-team")
    assert (await gateway.chat(key)).status_code == 200
    text = await counted_metrics(gateway)
    assert "switchboard_requests_total{" in text
    assert "billing-service-prod" not in text
    assert "billing-team" not in text
    assert "key_alias=" not in text


async def test_key_labels_name_keys_and_teams_when_asked(sqlite_template: Path, tmp_path: Path) -> None:
    litellm: dict[str, Any] = {"callback_settings": {"prometheus": {"key_labels": True}}}
    async with full_gateway(sqlite_template, tmp_path, litellm) as gateway:
        key = await gateway.new_key(key_alias="billing-service-prod")
        assert (await gateway.chat(key)).status_code == 200
        assert 'key_alias="billing-service-prod"' in await counted_metrics(gateway)
