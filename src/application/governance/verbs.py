"""The verbs every governed thing answers to, one shape each, so the inbound adapters (the HTTP
controllers and the CLI groups) handle every entity the same way.

``actor`` is always the caller: each verb decides what that caller may see and change.
A thing the caller may not see is ``NotFound``, never ``PermissionDenied``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from switchboard.domain.governance.entities import Page
from switchboard.domain.principal import Principal

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)
Form_contra = TypeVar("Form_contra", contravariant=True)
Filter_contra = TypeVar("Filter_contra", contravariant=True)
Target_contra = TypeVar("Target_contra", contravariant=True)
Result_co = TypeVar("Result_co", covariant=True)


@dataclass(frozen=True)
class Issued(Generic[E]):
    """A new key (or a key given a new secret) and its secret: shown to the caller this once,
    never stored, never shown again."""

    entity: E
    secret: str


class Creates(Protocol[Form_contra, Result_co]):
    async def new(self, actor: Principal, form: Form_contra) -> Result_co:
        """Create from ``form``; an id that is taken is ``BadRequest`` (``already_exists``)."""
        ...


class Updates(Protocol[Form_contra, E_co]):
    async def update(self, actor: Principal, form: Form_contra) -> E_co:
        """Change the fields ``form`` sets (a field sent as ``null`` clears it where it can)."""
        ...


class Reads(Protocol[E_co]):
    async def info(self, actor: Principal, id: str | None) -> E_co:
        """One by id; ``None`` means the caller's own (its key, team, user, organization)."""
        ...


class Lists(Protocol[Filter_contra, E]):
    async def find(self, actor: Principal, filters: Filter_contra, page: int, size: int) -> Page[E]:
        """A page of what ``filters`` matches, narrowed to what the caller may see."""
        ...


class Deletes(Protocol[Form_contra, Result_co]):
    async def delete(self, actor: Principal, form: Form_contra) -> Result_co:
        """Delete what ``form`` names, with what depends on it."""
        ...


class Blocks(Protocol[Target_contra, Result_co]):
    async def set_blocked(self, actor: Principal, target: Target_contra, blocked: bool) -> Result_co:
        """Block (or unblock) ``target``: a blocked thing's calls are refused."""
        ...
