"""Rotating a key's secret is an owner or admin action: a key cannot rotate itself unless the
operator allows it (issue 11, item 12: whoever steals a key could rotate it and lock its owner out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.acceptance.governance.conftest import Gateway


async def regenerate(gateway: Gateway, caller: str, key: str | None = None) -> Any:
    return await gateway.call("POST", "/key/regenerate", key=caller, json={"key": key} if key else {})


async def test_a_plain_key_cannot_rotate_itself(gateway: Gateway) -> None:
    key = await gateway.new_key()
    refused = await regenerate(gateway, key)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "self_rotation_not_allowed"
    assert (await gateway.chat(key)).status_code == 200  # still its owner's


async def test_a_key_naming_itself_cannot_rotate_itself_either(gateway: Gateway) -> None:
    key = await gateway.new_key()
    assert (await regenerate(gateway, key, key)).status_code == 403
    assert (await gateway.call("POST", f"/key/{key}/regenerate", key=key)).status_code == 403


async def test_a_users_key_cannot_rotate_itself(gateway: Gateway) -> None:
    key = await gateway.new_user("owner")
    assert (await regenerate(gateway, key)).status_code == 403


async def test_the_keys_owner_rotates_it_with_another_of_their_keys(gateway: Gateway) -> None:
    first = await gateway.new_user("owner")
    second = await gateway.new_key(user_id="owner")
    rotated = await regenerate(gateway, second, first)
    assert rotated.status_code == 200, rotated.text
    assert (await gateway.chat(first)).status_code == 401
    assert (await gateway.chat(rotated.json()["key"])).status_code == 200


async def test_an_admin_rotates_any_key(gateway: Gateway) -> None:
    key = await gateway.new_key()
    admin = await gateway.new_user("admin", "proxy_admin")
    assert (await regenerate(gateway, admin, key)).status_code == 200
    assert (await gateway.chat(key)).status_code == 401


async def test_self_rotation_can_be_allowed(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(allow_key_self_rotation=True) as gateway:
        key = await gateway.new_key()
        rotated = await regenerate(gateway, key)
        assert rotated.status_code == 200, rotated.text
        assert (await gateway.chat(key)).status_code == 401
        assert (await gateway.chat(rotated.json()["key"])).status_code == 200
