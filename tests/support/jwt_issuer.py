"""A test identity provider: RSA and EC signing keys, their JWKS, and tokens."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.test"
AUDIENCE = "switchboard"


class Issuer:
    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())

    def jwks(self) -> dict[str, Any]:
        rsa_jwk = json.loads(RSAAlgorithm.to_jwk(self.rsa.public_key()))
        ec_jwk = json.loads(ECAlgorithm.to_jwk(self.ec.public_key()))
        return {"keys": [{**rsa_jwk, "kid": "rsa-1", "use": "sig"}, {**ec_jwk, "kid": "ec-1", "use": "sig"}]}

    def rsa_public_pem(self) -> bytes:
        return self.rsa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def token(
        self,
        claims: dict[str, Any] | None = None,
        *,
        algorithm: str = "RS256",
        kid: str | None = None,
        **overrides: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "ann",
            "iat": now,
            "exp": now + 600,
            **(claims or {}),
        }
        payload.update(overrides)
        payload = {k: v for k, v in payload.items() if v is not None}
        key: Any = self.rsa if algorithm.startswith(("RS", "PS")) else self.ec
        default_kid = "rsa-1" if algorithm.startswith(("RS", "PS")) else "ec-1"
        return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid or default_kid})
