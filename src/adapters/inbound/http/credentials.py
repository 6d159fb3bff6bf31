"""Where a caller's key travels: ``Authorization: Bearer``, ``x-api-key`` or ``api-key``."""

from __future__ import annotations

from litestar import Request


def presented_key(request: Request) -> str | None:  # type: ignore[type-arg]
    headers = request.headers
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None
    return headers.get("x-api-key") or headers.get("api-key") or None
