"""Worst-case prices per model group, for reservations made before the router picks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.calls import CallOutcome
from domain.deployments import Deployment
from domain.errors import ModelNotFound
from domain.governance.prices import FREE, TokenPrices, dearest, prices_of


class PriceBook:
    """The dearest prices in each model group, remembered until the deployments change."""

    def __init__(self, candidates: Callable[[str], Sequence[Deployment]]) -> None:
        self._candidates = candidates
        self._cache: dict[str, TokenPrices] = {}
        self._deployments: dict[str, TokenPrices] = {}

    def cost(self, outcome: CallOutcome) -> float:
        """What the call cost: the catalog's figure when the outcome has one, else its usage at
        its deployment's prices (0 when either is unknown)."""
        if outcome.cost is not None:
            return outcome.cost
        deployment, usage = outcome.deployment, outcome.usage
        if deployment is None or usage is None:
            return 0.0
        prices = self._deployments.get(deployment.id)
        if prices is None:
            prices = self._deployments[deployment.id] = prices_of(deployment)
        return prices.cost(usage.prompt_tokens, usage.completion_tokens)

    def worst(self, model_group: str) -> TokenPrices:
        prices = self._cache.get(model_group)
        if prices is None:
            try:
                prices = dearest(self._candidates(model_group))
            except ModelNotFound:
                return FREE  # the router answers 404 right after
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[model_group] = prices
        return prices

    def access_groups(self, model_group: str) -> frozenset[str]:
        try:
            deployments = self._candidates(model_group)
        except ModelNotFound:
            return frozenset()
        groups: set[str] = set()
        for d in deployments:
            names = d.model_info.get("access_groups")
            if isinstance(names, list):
                groups.update(str(n) for n in names)
        return frozenset(groups)

    def forget(self) -> None:
        self._cache.clear()
        self._deployments.clear()
