"""The system's clock, identifiers and randomness, behind the domain's ports."""

from adapters.outbound.system.clock import SystemClock
from adapters.outbound.system.ids import UuidIdSource
from adapters.outbound.system.randomness import SystemRandom

__all__ = ["SystemClock", "SystemRandom", "UuidIdSource"]
