"""Identifiers, as the core sees them."""

from __future__ import annotations

from typing import Protocol


class IdSource(Protocol):
    """Makes unique identifiers such as ``chatcmpl-…`` or request ids."""

    def new(self, prefix: str = "") -> str:
        """A new identifier, unique in practice, starting with ``prefix``."""
        ...
