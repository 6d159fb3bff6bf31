"""Authentication: a presented credential becomes a ``Principal``, or the call is refused."""

from __future__ import annotations

import hashlib
import hmac

from domain.errors import AuthenticationError
from domain.principal import ANONYMOUS, Principal, PrincipalKind

_REFUSED = "Invalid or missing API key. Send it as 'Authorization: Bearer <key>'."


def hash_key(key: str) -> str:
    """The stored, loggable identity of a key: its SHA-256 in hex."""
    return hashlib.sha256(key.encode()).hexdigest()


class Authenticator:
    """Checks the master key in constant time. Without a master key, every caller is anonymous."""

    def __init__(self, master_key: str | None) -> None:
        self._master = master_key.encode() if master_key else None
        self._master_principal = (
            Principal(PrincipalKind.MASTER, key_hash=hash_key(master_key), key_alias="master")
            if master_key
            else ANONYMOUS
        )

    @property
    def open(self) -> bool:
        """True when no master key is set: the gateway serves anyone."""
        return self._master is None

    async def authenticate(self, credential: str | None) -> Principal:
        """The caller behind ``credential``; raises ``AuthenticationError`` otherwise.

        The error never says whether a key exists, only that this one is not accepted.
        """
        if self._master is None:
            return ANONYMOUS
        if credential and hmac.compare_digest(credential.encode(), self._master):
            return self._master_principal
        raise AuthenticationError(_REFUSED, code="invalid_api_key")
