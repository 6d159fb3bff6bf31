"""What the router knows about each deployment right now, across every gateway instance."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeploymentStats:
    """A deployment's live figures, as the routing state holds them.

    ``rpm_used``/``tpm_used`` count the current minute window (requests started, tokens used).
    ``latency`` is the recent mean seconds per output token of answered requests (the whole
    latency for answers without a token count); ``ttft`` the recent mean time to first token of
    streams; both ``None`` until there is a sample. ``cooldown_until`` is wall-clock epoch
    seconds, ``None`` when the deployment is not cooling down.
    """

    in_flight: int = 0
    rpm_used: int = 0
    tpm_used: int = 0
    latency: float | None = None
    ttft: float | None = None
    cooldown_until: float | None = None

    def cooling(self, now: float) -> bool:
        return self.cooldown_until is not None and self.cooldown_until > now


NO_STATS = DeploymentStats()
