"""The router's wiring: ``router_settings`` (and LiteLLM's ``litellm_settings`` duplicates) become
a ``RouterPolicy``; the routing state lives in Redis when the gateway has one, else in memory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from switchboard.adapters.outbound.routing import FailoverRoutingState, MemoryRoutingState
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.catalog import ModelInfo, with_overrides
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.routing_state import RoutingState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogLookups:
    """What the router asks the model catalog: cost-based routing's price of a deployment (input
    plus output USD per token) and the pre-call check's context window."""

    price: Callable[[Deployment], float | None]
    context_window: Callable[[Deployment], int | None]


def catalog_lookups(catalog: ModelCatalog | None) -> CatalogLookups:
    """The deployment's ``model_info`` over the model catalog's entry, looked up once per
    deployment."""
    known: dict[str, ModelInfo | None] = {}

    def info(deployment: Deployment) -> ModelInfo | None:
        if deployment.id not in known:
            base = catalog.info(deployment) if catalog is not None else None
            if deployment.model_info:
                base = with_overrides(base or ModelInfo(name=deployment.model), deployment.model_info)
            known[deployment.id] = base
        return known[deployment.id]

    def price(deployment: Deployment) -> float | None:
        found = info(deployment)
        if found is None or found.prices.input is None or found.prices.output is None:
            return None
        return found.prices.input + found.prices.output

    def context_window(deployment: Deployment) -> int | None:
        found = info(deployment)
        return found.max_input_tokens if found is not None else None

    return CatalogLookups(price, context_window)


async def open_routing_state(config: Config, redis: Any, clock: Clock) -> AsyncIterator[RoutingState]:
    """Redis (shared by every instance, falling back to memory while Redis is down) when the gateway
    has a Redis and ``router_settings.routing_state`` is not ``memory``; memory otherwise."""
    mode = config.router_settings.routing_state
    if mode == "redis" and redis is None:
        raise ValueError("router_settings.routing_state is redis but no Redis is configured")
    if redis is None or mode == "memory":
        yield MemoryRoutingState()
        return
    from switchboard.adapters.outbound.routing.redis import RedisRoutingState  # lazy: redis, only with one

    yield FailoverRoutingState(RedisRoutingState(redis), MemoryRoutingState(), clock_monotonic=clock.monotonic)
