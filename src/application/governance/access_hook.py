"""The first call hook: may this caller use this model at all?"""

from __future__ import annotations

from typing import Any

from switchboard.application.governance.prices import PriceBook
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.access import model_allowed


class ModelAccessHook:
    """Refuses (403) a model outside the caller's allow-lists (names, wildcards, access groups
    from ``model_info.access_groups``). The refusal does not say whether the model exists."""

    def __init__(self, prices: PriceBook) -> None:
        self._prices = prices

    async def pre_call(self, info: CallInfo[Any]) -> None:
        principal = info.ctx.principal
        if not principal.models:
            return
        if model_allowed(principal, info.model_group):
            return
        if model_allowed(principal, info.model_group, self._prices.access_groups(info.model_group)):
            return
        raise PermissionDenied(
            f"This key is not allowed to use the model `{info.model_group}`.",
            param="model",
            code="model_not_allowed",
        )

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: None) -> None:
        return None
