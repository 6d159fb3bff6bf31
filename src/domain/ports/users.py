"""Where users (people and services that own keys) are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import User
from switchboard.domain.governance.filters import UserFilter
from switchboard.domain.ports.repository import Repository


class UserRepository(Repository[User, UserFilter], Protocol):
    """Users by ``user_id``."""
