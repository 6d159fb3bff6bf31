"""Authentication: a presented credential becomes a ``Principal``, or the call is refused.

Credentials, in order: the master key (compared in constant time), a JWT (when JWT auth is
on), a virtual key (looked up by its SHA-256 in the identity cache). Every failure ends in
``AuthenticationError`` (401) or ``ServiceUnavailable`` (503); none falls back to a default
principal. A refusal never says whether a key exists.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.application.governance.jwt_auth import JwtAuthenticator, looks_like_jwt
from switchboard.application.governance.principals import Identity, Refusal
from switchboard.domain.errors import AuthenticationError, SwitchboardError
from switchboard.domain.governance.keys import hash_key
from switchboard.domain.ports.clock import Clock
from switchboard.domain.principal import ANONYMOUS, Principal, PrincipalKind

__all__ = ["Authenticator", "hash_key"]

log = logging.getLogger(__name__)

_REFUSED = "Invalid or missing API key. Send it as 'Authorization: Bearer <key>'."
_REFUSALS = {
    Refusal.BLOCKED: ("This API key is blocked.", "key_blocked"),
    Refusal.TEAM_BLOCKED: ("This API key's team is blocked.", "team_blocked"),
}


# ``general_settings.custom_auth``: called with the request (as the inbound adapter knows it)
# and the presented key; returns the caller, ``None`` to let the built-in checks decide, or raises.
CustomAuth = Callable[[Any, str], Awaitable[Principal | None]]


def refused(code: str = "invalid_api_key", message: str = _REFUSED) -> AuthenticationError:
    return AuthenticationError(message, code=code)


class Authenticator:
    """The master key, virtual keys and JWTs. Without a master key the gateway is open: callers
    without a known key are anonymous, and no management route answers."""

    def __init__(
        self,
        master_key: str | None,
        *,
        keys: IdentityCache[Identity] | None = None,
        jwt: JwtAuthenticator | None = None,
        clock: Clock | None = None,
        custom: CustomAuth | None = None,
    ) -> None:
        self._master = master_key.encode() if master_key else None
        self._custom = custom
        self._master_principal = (
            Principal(PrincipalKind.MASTER, key_hash=hash_key(master_key), key_alias="master")
            if master_key
            else ANONYMOUS
        )
        self._keys = keys
        self._jwt = jwt
        self._clock = clock

    @property
    def open(self) -> bool:
        """True when no master key is set: the gateway serves anyone."""
        return self._master is None

    async def authenticate(self, credential: str | None, request: Any = None) -> Principal:
        """The caller behind ``credential``; raises ``AuthenticationError`` (or
        ``ServiceUnavailable`` when the store that would know is unreachable). ``request`` is
        only for a custom auth function (the master key is checked before it)."""
        if self._custom is not None:
            found = await self._custom_principal(credential, request)
            if found is not None:
                return found
        if not credential:
            if self._master is None:
                return ANONYMOUS
            raise refused()
        if self._master is not None and hmac.compare_digest(credential.encode(), self._master):
            return self._master_principal
        try:
            principal = await self._resolve(credential)
        except SwitchboardError:
            raise
        except Exception as exc:  # a bug in a lookup must not let anyone in, nor leak details
            log.exception("authentication failed unexpectedly")
            raise refused() from exc
        if principal is None:
            if self._master is None:
                return ANONYMOUS
            raise refused()
        expires = principal.expires_at
        if expires is not None and self._clock is not None and self._clock.now() >= expires:
            raise refused("key_expired", "This API key has expired.")
        return principal

    async def _custom_principal(self, credential: str | None, request: Any) -> Principal | None:
        if credential and self._master is not None and hmac.compare_digest(credential.encode(), self._master):
            return self._master_principal
        assert self._custom is not None
        try:
            return await self._custom(request, credential or "")
        except SwitchboardError:
            raise
        except Exception as exc:  # LiteLLM's custom auth functions raise plain exceptions to refuse
            log.info("custom auth refused the call: %s", type(exc).__name__)
            raise refused() from exc

    async def _resolve(self, credential: str) -> Principal | None:
        if self._jwt is not None and looks_like_jwt(credential):
            return await self._jwt.authenticate(credential)
        if self._keys is None:
            return None
        identity = await self._keys.get(hash_key(credential))
        if identity.principal is not None:
            return identity.principal
        if identity.refusal in _REFUSALS:
            message, code = _REFUSALS[identity.refusal]
            raise refused(code, message)
        return None

    def invalidate(self, topic: str) -> None:
        if self._keys is not None:
            self._keys.invalidate(topic)
        if self._jwt is not None:
            self._jwt.invalidate(topic)
