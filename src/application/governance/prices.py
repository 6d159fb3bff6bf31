"""Prices for governance: the worst case of a model group (to reserve before the router picks
a deployment) and the cost of a call that happened (to settle)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from switchboard.application.pricing import Pricing
from switchboard.domain.calls import CallOutcome
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ModelNotFound
from switchboard.domain.governance.prices import FREE, TokenPrices, dearest, worst_case


class PriceBook:
    """The dearest prices in each model group (from the model catalog and each deployment's
    ``model_info``), remembered until the deployments change."""

    def __init__(self, candidates: Callable[[str], Sequence[Deployment]], pricing: Pricing | None = None) -> None:
        self._candidates = candidates
        self._pricing = pricing or Pricing()
        self._cache: dict[str, TokenPrices] = {}
        self._unpriced: dict[str, bool] = {}

    def worst(self, model_group: str) -> TokenPrices:
        prices = self._cache.get(model_group)
        if prices is None:
            try:
                deployments = self._candidates(model_group)
            except ModelNotFound:
                return FREE  # the router answers 404 right after
            prices = dearest(worst_case(self._pricing.info(d)) for d in deployments)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[model_group] = prices
        return prices

    def unpriced(self, model_group: str) -> bool:
        """Whether a deployment of the group has no known price (its calls would cost nothing)."""
        found = self._unpriced.get(model_group)
        if found is None:
            try:
                deployments = self._candidates(model_group)
            except ModelNotFound:
                return False  # the router answers 404 right after
            found = any(not (info := self._pricing.info(d)) or not info.prices.known for d in deployments)
            if len(self._unpriced) > 10_000:
                self._unpriced.clear()
            self._unpriced[model_group] = found
        return found

    def cost(self, outcome: CallOutcome[Any, Any]) -> float:
        """What the call cost: the outcome's figure (set by the use case from the catalog), else
        its usage at its deployment's prices; 0 when nothing is known."""
        if outcome.cost is not None:
            return outcome.cost
        route = getattr(outcome.response, "route", None)
        if route is not None and route.cost is not None:
            return float(route.cost)
        if outcome.deployment is None or outcome.usage is None:
            return 0.0
        return self._pricing.chat_cost(outcome.deployment, outcome.usage) or 0.0

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
        self._unpriced.clear()
