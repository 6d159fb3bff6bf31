"""The first call hook: may this caller use this model at all, and every model the call may fall
back to?"""

from __future__ import annotations

from typing import Any

from switchboard.application.governance.prices import PriceBook
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.access import model_allowed
from switchboard.domain.principal import Principal


class ModelAccessHook:
    """Refuses (403) a model outside the caller's allow-lists (names, wildcards, access groups
    from ``model_info.access_groups``). The refusal does not say whether the model exists.

    A request's own ``fallbacks`` are judged up front: one the caller may not use refuses the
    call (403, ``param`` naming it), as asking for it directly would. The configured fallbacks
    (``fallbacks``, ``default_fallbacks``, context-window and content-policy fallbacks) are
    judged when the router is about to try them (``pre_fallback``): one the caller may not use
    is skipped, and the answer's ``x-switchboard-skipped-fallbacks`` header says so.
    """

    def __init__(self, prices: PriceBook) -> None:
        self._prices = prices

    def _allowed(self, principal: Principal, group: str) -> bool:
        if model_allowed(principal, group):
            return True
        return model_allowed(principal, group, self._prices.access_groups(group))

    async def pre_call(self, info: CallInfo[Any]) -> None:
        principal = info.ctx.principal
        if not principal.models:
            return
        if not self._allowed(principal, info.model_group):
            raise PermissionDenied(
                f"This key is not allowed to use the model `{info.model_group}`.",
                param="model",
                code="model_not_allowed",
            )
        for index, fallback in enumerate(info.options.fallbacks or ()):
            if not self._allowed(principal, fallback):
                raise PermissionDenied(
                    f"This key is not allowed to use the model `{fallback}` (in `fallbacks`).",
                    param=f"fallbacks[{index}]",
                    code="model_not_allowed",
                )

    async def pre_fallback(self, info: CallInfo[Any], group: str, ticket: None) -> None:
        principal = info.ctx.principal
        if principal.models and not self._allowed(principal, group):
            raise PermissionDenied(f"This key is not allowed to use the model `{group}`.", code="model_not_allowed")

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: None) -> None:
        return None
