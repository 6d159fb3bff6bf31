"""Worst-case prices per model group, for reservations made before the router picks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.deployments import Deployment
from domain.errors import ModelNotFound
from domain.governance.prices import FREE, TokenPrices, dearest


class PriceBook:
    """The dearest prices in each model group, remembered until the deployments change."""

    def __init__(self, candidates: Callable[[str], Sequence[Deployment]]) -> None:
        self._candidates = candidates
        self._cache: dict[str, TokenPrices] = {}

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
