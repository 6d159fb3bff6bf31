"""Random identifiers."""

from __future__ import annotations

import uuid


class UuidIdSource:
    """``prefix`` + 32 hex digits of a random UUID."""

    def new(self, prefix: str = "") -> str:
        return prefix + uuid.uuid4().hex
