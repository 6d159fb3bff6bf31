"""Random identifiers."""

from __future__ import annotations

import os


class UuidIdSource:
    """``prefix`` + 32 random hex digits (128 bits, as a UUID4 carries, without building one)."""

    def new(self, prefix: str = "") -> str:
        return prefix + os.urandom(16).hex()
