"""OAuth access tokens for Vertex AI: fetched from Google's token endpoint, cached, refreshed once.

A token is used until shortly before it expires. When callers find it stale, the first to take
the lock fetches a new one and the others, waiting on the lock, reuse it: one exchange however
many calls arrive at once. Tokens are never logged or put in messages.
"""

from __future__ import annotations

import asyncio

from switchboard.adapters.outbound.providers.failures import protocol_error, redact, transport_failures
from switchboard.adapters.outbound.providers.vertex_ai.credentials import (
    Credentials,
    token_error,
    token_from_response,
    token_request,
)
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable
from switchboard.domain.ports.clock import Clock

_FORM = {"content-type": "application/x-www-form-urlencoded", "accept": "application/json"}


class AccessTokens:
    """Access tokens for one credential. ``margin``: seconds before expiry to refresh."""

    def __init__(
        self,
        credentials: Credentials,
        transport: Transport,
        clock: Clock,
        *,
        provider: str,
        margin: float = 300.0,
        timeout: float = 30.0,
    ) -> None:
        self._credentials = credentials
        self._transport = transport
        self._clock = clock
        self._provider = provider
        self._margin = margin
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self._token = ""
        self._refresh_at = 0.0

    def _fresh(self) -> bool:
        return bool(self._token) and self._clock.now() < self._refresh_at

    async def get(self) -> str:
        """A valid access token; raises ``AuthenticationError`` if Google refuses the credential."""
        if self._fresh():
            return self._token
        async with self._lock:
            if not self._fresh():  # nobody refreshed it while we waited
                await self._refresh()
        return self._token

    async def _refresh(self) -> None:
        now = self._clock.now()
        url, body = token_request(self._credentials, now, self._provider)
        async with transport_failures(self._provider):
            reply = await self._transport.send("POST", url, headers=_FORM, body=body, timeout=self._timeout)
        if reply.status >= 500:
            raise ProviderUnavailable(
                f"{self._provider}: Google's token endpoint answered HTTP {reply.status}",
                provider=self._provider,
                status=reply.status,
            )
        if reply.status >= 400:
            raise AuthenticationError(
                f"{self._provider}: Google refused the credentials: {redact(token_error(reply.body))}",
                provider=self._provider,
                status=reply.status,
            )
        found = token_from_response(reply.body, now)
        if found is None:
            raise protocol_error(self._provider, "a token response without an access token")
        self._token, expires = found
        lifetime = expires - now
        # A short-lived token is refreshed halfway through rather than at once.
        self._refresh_at = now + max(lifetime - self._margin, lifetime / 2)
