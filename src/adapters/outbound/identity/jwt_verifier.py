"""JWT verification against a JWKS (a URL or a file), with PyJWT.

Only asymmetric algorithms from the configured list are accepted, so ``alg: none`` and the
HS256-signed-with-the-public-key confusion never verify. Issuer, audience and expiry are
required and checked. The key set is cached for ``ttl`` seconds; a token with an unknown
``kid`` triggers one refetch (at most every 30 s). If the provider cannot be reached, the last
keys fetched keep working; with none at all, verification fails with 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import jwt
from jwt import PyJWK, PyJWKSet

from switchboard.domain.errors import AuthenticationError, ServiceUnavailable

log = logging.getLogger(__name__)

_REFETCH_EVERY = 30.0


def _refused(message: str = "This token is not accepted.") -> AuthenticationError:
    return AuthenticationError(message, code="invalid_token")


async def _fetch_url(url: str) -> bytes:
    async with httpx.AsyncClient(timeout=5.0, follow_redirects=False) as client:
        response = await client.get(url)
        response.raise_for_status()
        return response.content


class JwksTokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithms: Sequence[str],
        jwks_url: str | None = None,
        jwks_file: str | None = None,
        ttl: float = 600.0,
        leeway: float = 0.0,
        fetch: Callable[[str], Awaitable[bytes]] = _fetch_url,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (jwks_url or jwks_file):
            raise ValueError("a JWKS URL or file is needed")
        self._issuer = issuer
        self._audience = audience
        self._algorithms = [a for a in algorithms if not a.startswith("HS") and a != "none"]
        self._url = jwks_url
        self._file = jwks_file
        self._ttl = ttl
        self._leeway = leeway
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = -1e18
        self._last_attempt = -1e18
        self._lock = asyncio.Lock()

    async def _load(self) -> bytes:
        if self._file:
            return await asyncio.to_thread(Path(self._file).read_bytes)
        assert self._url is not None
        return await self._fetch(self._url)

    async def _refresh(self, force: bool) -> None:
        async with self._lock:
            now = self._clock()
            fresh = now - self._fetched_at < self._ttl
            if (fresh and not force) or (force and now - self._last_attempt < _REFETCH_EVERY):
                return
            self._last_attempt = now
            try:
                data = json.loads(await self._load())
                keys = PyJWKSet.from_dict(data).keys
            except Exception as exc:
                if self._keys:
                    log.warning("could not refresh the JWKS (%s); using the keys fetched before", type(exc).__name__)
                    return
                raise ServiceUnavailable(
                    "The identity provider's signing keys are unavailable.",
                    code="jwks_unavailable",
                    retry_after=5,
                ) from exc
            self._keys = {k.key_id or f"#{i}": k for i, k in enumerate(keys)}
            self._fetched_at = now

    async def _key_for(self, kid: str | None) -> PyJWK:
        await self._refresh(force=False)
        if kid is None:
            if len(self._keys) == 1:
                return next(iter(self._keys.values()))
            raise _refused("The token names no signing key (kid).")
        key = self._keys.get(kid)
        if key is None:
            await self._refresh(force=True)
            key = self._keys.get(kid)
        if key is None:
            raise _refused("The token's signing key is unknown.")
        return key

    async def verify(self, token: str) -> Mapping[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _refused() from None
        algorithm = header.get("alg")
        if algorithm not in self._algorithms:
            raise _refused("The token's algorithm is not accepted.")
        key = await self._key_for(header.get("kid"))
        if key.algorithm_name and key.algorithm_name != algorithm and not _same_family(key.algorithm_name, algorithm):
            raise _refused("The token's algorithm does not match its key.")
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise _refused("The token has expired.") from None
        except jwt.PyJWTError:
            raise _refused() from None
        return claims


def _same_family(a: str, b: str) -> bool:
    return a[:2] == b[:2]
