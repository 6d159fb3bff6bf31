"""Deployment health: what one probe of one deployment found, and a whole check's report.

The report's JSON is LiteLLM's ``GET /health`` shape (``healthy_endpoints``,
``unhealthy_endpoints`` and their counts). Nothing here ever holds an API key; an ``api_base``
is shown without user info, query or fragment, where a credential could hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

Probe = Literal["chat", "embedding", "none"]
"""How a deployment was checked: a one-token chat, a one-item embedding, or no call at all
(modes without a cheap probe: only the provider's adapter for the endpoint was looked up)."""


@dataclass(frozen=True, slots=True)
class EndpointHealth:
    """One deployment's result. ``model`` is the upstream model as ``provider/model``;
    ``error`` (unhealthy only) is the failure's class and its secret-free message;
    ``latency`` is the probe's duration in seconds."""

    deployment_id: str
    model_name: str
    model: str
    api_base: str | None
    healthy: bool
    error: str | None = None
    latency: float = 0.0
    probe: Probe = "chat"

    def to_json(self) -> dict[str, Any]:
        """One entry of ``healthy_endpoints`` / ``unhealthy_endpoints``."""
        entry: dict[str, Any] = {
            "model": self.model,
            "model_name": self.model_name,
            "model_id": self.deployment_id,
            "api_base": shown_api_base(self.api_base),
            "latency": round(self.latency, 6),
        }
        if self.probe == "none":
            entry["probe"] = "none"
        if not self.healthy:
            entry["error"] = self.error
        return entry


@dataclass(frozen=True, slots=True)
class HealthReport:
    """Every probed deployment, split by outcome; ``checked_at`` is the wall-clock time of the check."""

    healthy: tuple[EndpointHealth, ...]
    unhealthy: tuple[EndpointHealth, ...]
    checked_at: float

    @classmethod
    def of(cls, results: tuple[EndpointHealth, ...] | list[EndpointHealth], checked_at: float) -> HealthReport:
        """Split ``results`` into healthy and unhealthy, keeping their order."""
        return cls(
            healthy=tuple(r for r in results if r.healthy),
            unhealthy=tuple(r for r in results if not r.healthy),
            checked_at=checked_at,
        )

    def to_json(self) -> dict[str, Any]:
        """LiteLLM's ``GET /health`` body, plus when the check ran."""
        return {
            "healthy_endpoints": [e.to_json() for e in self.healthy],
            "unhealthy_endpoints": [e.to_json() for e in self.unhealthy],
            "healthy_count": len(self.healthy),
            "unhealthy_count": len(self.unhealthy),
            "checked_at": self.checked_at,
        }


def shown_api_base(api_base: str | None) -> str | None:
    """``api_base`` fit to show: scheme, host, port and path only (no ``user:pass@``, no query)."""
    if not api_base:
        return None
    try:
        parts = urlsplit(api_base)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
