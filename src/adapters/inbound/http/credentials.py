"""Where a caller's key travels: ``Authorization: Bearer``, ``x-api-key`` or ``api-key``."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection


def presented_key(request: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The credential, from the first of these headers present. An ``Authorization`` header
    that is not ``Bearer <value>`` presents nothing (it is never read as a key)."""
    headers = request.headers
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None
    return headers.get("x-api-key") or headers.get("api-key") or None
