"""Who is calling: the result of authentication, read by every later decision."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"  # the gateway runs without a master key
    MASTER = "master"  # the master key: may do everything


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. ``key_hash`` identifies a key without revealing it."""

    kind: PrincipalKind
    key_hash: str = ""
    key_alias: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.kind in (PrincipalKind.MASTER, PrincipalKind.ANONYMOUS)


ANONYMOUS = Principal(PrincipalKind.ANONYMOUS)
