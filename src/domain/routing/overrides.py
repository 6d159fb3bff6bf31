"""What one request may decide about its own routing: LiteLLM's per-request ``timeout``,
``stream_timeout``, ``num_retries``, ``fallbacks`` and ``tags`` (top level or in ``metadata``).

They are gateway parameters: read here, never sent upstream (``domain.params.GATEWAY_PARAMS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from switchboard.domain.errors import BadRequest


@dataclass(frozen=True, slots=True)
class RequestOverrides:
    timeout: float | None = None
    stream_timeout: float | None = None
    num_retries: int | None = None
    fallbacks: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None


NONE = RequestOverrides()


def overrides_of(request: Any) -> RequestOverrides:
    """The overrides a canonical request carries; ``BadRequest`` naming the parameter when one is
    malformed. Requests without extra fields cost one attribute read."""
    extra: Mapping[str, Any] | None = getattr(request, "model_extra", None)
    metadata = getattr(request, "metadata", None)
    if not extra and not metadata:
        return NONE
    extra = extra or {}
    tags = extra.get("tags")
    if tags is None and isinstance(metadata, Mapping):
        tags = metadata.get("tags")
    return RequestOverrides(
        timeout=_seconds(extra, "timeout") or _seconds(extra, "request_timeout"),
        stream_timeout=_seconds(extra, "stream_timeout"),
        num_retries=_count(extra, "num_retries"),
        fallbacks=_names(extra.get("fallbacks"), "fallbacks"),
        tags=_names(tags, "metadata.tags" if "tags" not in extra else "tags"),
    )


def _seconds(extra: Mapping[str, Any], name: str) -> float | None:
    value = extra.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise BadRequest(f"`{name}` must be a positive number of seconds.", param=name)
    return float(value)


def _count(extra: Mapping[str, Any], name: str) -> int | None:
    value = extra.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequest(f"`{name}` must be a whole number of at least 0.", param=name)
    return value


def _names(value: Any, param: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise BadRequest(f"`{param}` must be a list of strings.", param=param)
