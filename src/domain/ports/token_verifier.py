"""Verifying JSON Web Tokens issued by an identity provider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Mapping[str, Any]:
        """The token's claims once its signature (against the provider's keys), issuer,
        audience and expiry check out. Raises ``AuthenticationError`` for a bad token and
        ``ServiceUnavailable`` when the signing keys cannot be fetched."""
        ...
