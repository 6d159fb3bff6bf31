"""What travels with one call through the use cases, besides the request itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from switchboard.domain.principal import ANONYMOUS, Principal


@dataclass(frozen=True, slots=True)
class CallContext:
    """The request id, the caller and the routing hints of one call.

    ``response_headers`` collects headers that steps of the call want on the answer (rate-limit
    figures, ``x-should-retry``); the inbound adapter sends them, on success and on refusal.
    """

    request_id: str
    principal: Principal = ANONYMOUS
    tags: tuple[str, ...] = field(default=())
    response_headers: dict[str, str] = field(default_factory=dict, compare=False)
