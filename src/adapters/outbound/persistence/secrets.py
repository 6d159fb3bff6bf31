"""Provider credentials at rest: the secret ``litellm_params`` of deployments added through the
management API are sealed with AES-256-GCM before they reach the database.

The key is derived (HKDF-SHA256) from ``SWITCHBOARD_SALT_KEY``, else LiteLLM's ``LITELLM_SALT_KEY``,
else the master key. Sealed values read ``sbenc:v1:<base64 nonce+ciphertext>``; values stored
before sealing existed (plain text) are read as they are and sealed on their next write.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sbenc:v1:"
# ``litellm_params`` whose values are credentials.
SECRET_PARAMS = frozenset(
    {
        "api_key",
        "aws_secret_access_key",
        "aws_session_token",
        "azure_ad_token",
        "client_secret",
        "vertex_credentials",
    }
)
_INFO = b"switchboard model credentials v1"


class SecretUnreadable(Exception):
    """A sealed value that this key cannot open (the salt or master key changed)."""


class SecretBox:
    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
        self._aead = AESGCM(key)

    def seal(self, value: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, value: str) -> str:
        if not value.startswith(PREFIX):
            return value  # stored before sealing, or an ``os.environ/NAME`` reference
        raw = base64.urlsafe_b64decode(value[len(PREFIX) :])
        try:
            return self._aead.decrypt(raw[:12], raw[12:], None).decode()
        except InvalidTag as exc:
            raise SecretUnreadable(
                "a stored model credential cannot be decrypted: the salt key (or master key) changed"
            ) from exc

    def seal_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self._sealed(k, v) for k, v in params.items()}

    def open_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self.open(v) if k in SECRET_PARAMS and isinstance(v, str) else v for k, v in params.items()}

    def _sealed(self, name: str, value: Any) -> Any:
        if name not in SECRET_PARAMS or not isinstance(value, str) or value.startswith(("os.environ/", PREFIX)):
            return value
        return self.seal(value)


def salt_key(master_key: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The secret the sealing key derives from: ``SWITCHBOARD_SALT_KEY``, ``LITELLM_SALT_KEY``,
    else the master key."""
    environ = os.environ if environ is None else environ
    return environ.get("SWITCHBOARD_SALT_KEY") or environ.get("LITELLM_SALT_KEY") or master_key
