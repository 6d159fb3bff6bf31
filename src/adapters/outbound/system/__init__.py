"""The system's clock, identifiers and randomness, behind the domain's ports."""

from switchboard.adapters.outbound.system.clock import SystemClock
from switchboard.adapters.outbound.system.ids import UuidIdSource
from switchboard.adapters.outbound.system.randomness import SystemRandom

__all__ = ["SystemClock", "SystemRandom", "UuidIdSource"]
