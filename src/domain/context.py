"""What travels with one call through the use cases, besides the request itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.principal import ANONYMOUS, Principal


@dataclass(frozen=True, slots=True)
class CallContext:
    """The request id, the caller and the routing hints of one call."""

    request_id: str
    principal: Principal = ANONYMOUS
    tags: tuple[str, ...] = field(default=())
