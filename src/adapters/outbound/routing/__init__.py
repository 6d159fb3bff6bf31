"""Adapters of the router's live state (``domain.ports.routing_state.RoutingState``): in this
process's memory, in Redis shared by every instance, and Redis with a local fallback."""

from adapters.outbound.routing.failover import FailoverRoutingState
from adapters.outbound.routing.memory import MemoryRoutingState
from adapters.outbound.routing.redis import RedisRoutingState

__all__ = ["FailoverRoutingState", "MemoryRoutingState", "RedisRoutingState"]
