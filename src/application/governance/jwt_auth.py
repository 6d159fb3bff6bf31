"""JWT authentication: a verified token's claims name its user, team, organization and role.

Which claim carries what is configuration (``litellm_jwtauth``); dotted names reach into
nested claims (``realm_access.roles``). Resolved principals are cached under the SHA-256 of the
whole token (never a prefix of it) until the token expires or the cache entry does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.application.governance.principals import Identity, PrincipalLoader
from switchboard.domain.errors import AuthenticationError
from switchboard.domain.governance.roles import UserRole
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.token_verifier import TokenVerifier
from switchboard.domain.principal import Principal

_ROLE_NAMES = {role.value: role for role in UserRole}


def looks_like_jwt(credential: str) -> bool:
    return credential.startswith("eyJ") and credential.count(".") == 2


def claim_at(claims: Mapping[str, Any], path: str | None) -> Any:
    """The claim at a dotted ``path``, or ``None``."""
    if not path:
        return None
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class JwtClaimsMap:
    """Where each fact lives in the token (LiteLLM's ``litellm_jwtauth`` names)."""

    user_id_jwt_field: str = "sub"
    team_id_jwt_field: str | None = None
    team_ids_jwt_field: str | None = None
    org_id_jwt_field: str | None = None
    user_roles_jwt_field: str | None = "roles"
    admin_jwt_scope: str | None = "litellm_proxy_admin"
    admin_roles: Sequence[str] = ("proxy_admin", "litellm_proxy_admin")


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def role_from(claims: Mapping[str, Any], mapping: JwtClaimsMap) -> UserRole | None:
    scopes = claim_at(claims, "scope")
    if mapping.admin_jwt_scope and isinstance(scopes, str) and mapping.admin_jwt_scope in scopes.split():
        return UserRole.PROXY_ADMIN
    roles = claim_at(claims, mapping.user_roles_jwt_field)
    names = (
        [roles]
        if isinstance(roles, str)
        else [r for r in roles if isinstance(r, str)]
        if isinstance(roles, list)
        else []
    )
    if any(r in mapping.admin_roles for r in names):
        return UserRole.PROXY_ADMIN
    for preferred in (UserRole.PROXY_ADMIN_VIEWER, UserRole.INTERNAL_USER, UserRole.INTERNAL_USER_VIEWER):
        if preferred.value in names:
            return preferred
    return None


class JwtAuthenticator:
    def __init__(
        self,
        verifier: TokenVerifier,
        loader: PrincipalLoader,
        mapping: JwtClaimsMap,
        clock: Clock,
        ttl: float,
    ) -> None:
        self._verifier = verifier
        self._loader = loader
        self._mapping = mapping
        self._clock = clock
        self._tokens: dict[str, str] = {}
        self._cache: IdentityCache[Identity] = IdentityCache(self._load, clock, ttl)

    async def authenticate(self, token: str) -> Principal | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        self._tokens[digest] = token
        try:
            identity = await self._cache.get(digest)
        finally:
            self._tokens.pop(digest, None)
        if identity.principal is None:
            raise AuthenticationError("This token is not accepted.", code="invalid_token")
        return identity.principal

    async def _load(self, digest: str) -> Identity:
        claims = await self._verifier.verify(self._tokens[digest])
        m = self._mapping
        user_id = _text(claim_at(claims, m.user_id_jwt_field))
        if user_id is None:
            raise AuthenticationError("The token names no user.", code="invalid_token")
        team_id = _text(claim_at(claims, m.team_id_jwt_field))
        if team_id is None:
            teams = claim_at(claims, m.team_ids_jwt_field)
            if isinstance(teams, list) and teams:
                team_id = _text(teams[0])
        org_id = _text(claim_at(claims, m.org_id_jwt_field))
        expires = claims.get("exp")
        return await self._loader.for_claims(
            user_id,
            team_id,
            org_id,
            role_from(claims, m),
            digest,
            float(expires) if isinstance(expires, int | float) else None,
        )

    def invalidate(self, topic: str) -> None:
        self._cache.invalidate(topic)
