"""``/key/...``: LiteLLM's virtual-key routes."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response
from litestar.params import FromPath, JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import KeyInfo, KeyList, page_headers
from switchboard.adapters.inbound.http.management.dependencies import Caller, Keys, Page, QueryId, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import DeleteKeys, GenerateKey, KeyReference, RegenerateKey, UpdateKey
from switchboard.application.governance.management import KEYS
from switchboard.application.governance.views import ChangedKey, IssuedKey
from switchboard.domain.governance.entities import VirtualKey
from switchboard.domain.governance.filters import KeyFilter


class KeyController(Controller):
    path = "/key"
    tags = ["keys"]
    dependencies = {"keys": served(KEYS)}

    @change("/generate", summary="Create a virtual key (the secret is shown once)")
    async def generate(self, data: JSONBody[GenerateKey], keys: Keys, caller: Caller) -> IssuedKey:
        return IssuedKey.of(await keys.new(caller, data))

    @change("/update", summary="Change a key")
    async def update(self, data: JSONBody[UpdateKey], keys: Keys, caller: Caller) -> ChangedKey:
        return ChangedKey.of(await keys.update(caller, data))

    @change("/regenerate", summary="Give a key a new secret (the old one stops working)")
    async def regenerate(self, keys: Keys, caller: Caller, data: JSONBody[RegenerateKey | None] = None) -> IssuedKey:
        return await _regenerated(keys, caller, data or RegenerateKey())

    @change("/{reference:str}/regenerate", summary="Give the key named in the path a new secret")
    async def regenerate_named(
        self, reference: FromPath[str], keys: Keys, caller: Caller, data: JSONBody[RegenerateKey | None] = None
    ) -> IssuedKey:
        form = (data or RegenerateKey()).model_copy(update={"key": reference})
        return await _regenerated(keys, caller, form)

    @change("/delete", summary="Delete keys (by secret, hash or alias)")
    async def delete(self, data: JSONBody[DeleteKeys], keys: Keys, caller: Caller) -> dict[str, list[str]]:
        return KEYS.deleted(await keys.delete(caller, data))

    @change("/block", summary="Block a key")
    async def block(self, data: JSONBody[KeyReference], keys: Keys, caller: Caller) -> VirtualKey:
        return await keys.set_blocked(caller, data.key, True)

    @change("/unblock", summary="Unblock a key")
    async def unblock(self, data: JSONBody[KeyReference], keys: Keys, caller: Caller) -> VirtualKey:
        return await keys.set_blocked(caller, data.key, False)

    @read("/info", summary="A key's settings and spend (the caller's own without ?key=)")
    async def info(self, keys: Keys, caller: Caller, key: QueryId = None) -> KeyInfo:
        found = await keys.info(caller, key or None)
        return KeyInfo(key=found.token, info=found)

    @read("/list", summary="Keys, a page at a time")
    async def find(
        self,
        keys: Keys,
        caller: Caller,
        paging: Page,
        user_id: QueryId = None,
        team_id: QueryId = None,
        organization_id: QueryId = None,
        key_alias: QueryId = None,
        return_full_object: Annotated[bool, QueryParameter(description="Whole keys instead of their hashes.")] = False,
    ) -> Response[KeyList]:
        filters = KeyFilter(
            user_id=user_id or None,
            team_id=team_id or None,
            organization_id=organization_id or None,
            key_alias=key_alias or None,
        )
        found = await keys.find(caller, filters, paging.page, paging.size)
        listed: list[str | VirtualKey] = [*found.items] if return_full_object else [k.token for k in found.items]
        answer = KeyList(keys=listed, total_count=found.total, current_page=found.page, total_pages=found.pages)
        return Response(answer, headers=page_headers(found))


async def _regenerated(keys: Keys, caller: Caller, form: RegenerateKey) -> IssuedKey:
    return IssuedKey.of(await keys.regenerate(caller, form))
