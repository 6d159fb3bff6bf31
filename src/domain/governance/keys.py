"""Virtual key secrets: their shape, the hash that is stored instead, the mask that is shown."""

from __future__ import annotations

import hashlib
import re

KEY_PREFIX = "sk-"
_HASH = re.compile(r"^[0-9a-f]{64}$")


def hash_key(secret: str) -> str:
    """The stored, loggable identity of a key: the SHA-256 of its secret, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def mask_key(secret: str) -> str:
    """What lists show of a secret: the prefix and the last four characters."""
    return f"{KEY_PREFIX}...{secret[-4:]}"


def is_key_hash(text: str) -> bool:
    return bool(_HASH.match(text))


def token_of(reference: str) -> str:
    """A key named by its secret (``sk-...``) or by its hash: the hash."""
    return reference if is_key_hash(reference) else hash_key(reference)
