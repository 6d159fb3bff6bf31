"""Who is calling: the result of authentication, read by every later decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from switchboard.domain.governance.limits import Scope
from switchboard.domain.governance.roles import UserRole


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"  # no master key is set and no credential was presented
    MASTER = "master"  # the master key: may do everything
    KEY = "key"  # a virtual key
    JWT = "jwt"  # a verified JSON Web Token
    OPERATOR = "operator"  # the CLI, acting on the database directly


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller and everything decided about it at authentication.

    ``models`` holds one allow-list per level (key, team, user, organization): a model must pass
    every one, and an empty list allows all. ``routes`` restricts which routes the caller may
    use (``None``: the default for its kind); it never grants management rights, which come only
    from ``role`` and team membership. ``scopes`` are the entities its calls are charged to.
    """

    kind: PrincipalKind
    key_hash: str = ""
    key_alias: str | None = None
    user_id: str | None = None
    team_id: str | None = None
    org_id: str | None = None
    role: UserRole | None = None
    team_admin_of: frozenset[str] = frozenset()
    member_of: frozenset[str] = frozenset()
    models: tuple[tuple[str, ...], ...] = ()
    routes: frozenset[str] | None = None
    expires_at: float | None = None
    scopes: tuple[Scope, ...] = ()
    tags: tuple[str, ...] = field(default=())

    @property
    def is_admin(self) -> bool:
        """May manage everything: the master key, the CLI operator, a ``proxy_admin`` user."""
        return self.kind in (PrincipalKind.MASTER, PrincipalKind.OPERATOR) or (self.role is UserRole.PROXY_ADMIN)

    @property
    def reads_everything(self) -> bool:
        return self.is_admin or self.role is UserRole.PROXY_ADMIN_VIEWER

    @property
    def read_only(self) -> bool:
        return self.role in (UserRole.PROXY_ADMIN_VIEWER, UserRole.INTERNAL_USER_VIEWER)

    @property
    def actor(self) -> str:
        """How audit entries name this caller (never the secret)."""
        match self.kind:
            case PrincipalKind.KEY:
                return f"key:{self.key_hash[:12]}" + (f" (user:{self.user_id})" if self.user_id else "")
            case PrincipalKind.JWT:
                return f"jwt:user:{self.user_id}"
            case _:
                return self.kind.value


ANONYMOUS = Principal(PrincipalKind.ANONYMOUS)
MASTER = Principal(PrincipalKind.MASTER, key_alias="master")
OPERATOR = Principal(PrincipalKind.OPERATOR)
