"""Adapters of the router's live state (``domain.ports.routing_state.RoutingState``): in this
process's memory, in Redis shared by every instance, and Redis with a local fallback."""

from switchboard.adapters.outbound.routing.failover import FailoverRoutingState
from switchboard.adapters.outbound.routing.memory import MemoryRoutingState

# ``RedisRoutingState`` lives in ``adapters.outbound.routing.redis``: importing redis costs start-up
# time that an in-memory gateway need not pay.
__all__ = ["FailoverRoutingState", "MemoryRoutingState"]
