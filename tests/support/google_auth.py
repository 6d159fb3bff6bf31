"""A fake Google service account and token endpoint: a generated RSA key, and a check of the
signed JWT a client sends, as Google's OAuth server makes it (RFC 7523 jwt-bearer grant)."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import parse_qs

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@functools.cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem() -> str:
    return (
        _key()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_key() -> rsa.RSAPublicKey:
    return _key().public_key()


def service_account(token_uri: str, *, project: str = "sa-project") -> dict[str, Any]:
    """A service-account key file's content, in Google's layout."""
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": "key-1",
        "private_key": private_pem(),
        "client_email": "gateway@sa-project.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": token_uri,
    }


class TokenEndpointError(AssertionError):
    pass


def verify_token_request(body: bytes, token_uri: str, now: float | None = None) -> dict[str, Any]:
    """The claims of a jwt-bearer token request, after checking grant, signature and claims.

    Expiry is checked against ``now`` (the client's clock, which tests may fake), not real time.
    """
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    if form.get("grant_type") != JWT_BEARER:
        raise TokenEndpointError(f"grant_type is {form.get('grant_type')!r}")
    assertion = form["assertion"]
    header = jwt.get_unverified_header(assertion)
    if header.get("alg") != "RS256" or header.get("kid") != "key-1":
        raise TokenEndpointError(f"unexpected JWT header {header}")
    claims: dict[str, Any] = jwt.decode(
        assertion,
        public_key(),
        algorithms=["RS256"],
        audience=token_uri,
        options={"require": ["iss", "aud", "iat", "exp", "scope"], "verify_exp": False, "verify_iat": False},
    )
    if claims["scope"] != SCOPE or claims["iss"] != "gateway@sa-project.iam.gserviceaccount.com":
        raise TokenEndpointError(f"unexpected claims {claims}")
    if not 0 < claims["exp"] - claims["iat"] <= 3600:
        raise TokenEndpointError("the assertion must live for at most an hour")
    if now is not None and not claims["iat"] <= now + 1 < claims["exp"]:
        raise TokenEndpointError(f"the assertion is not valid now ({claims['iat']}..{claims['exp']})")
    return claims


def token_body(token: str, expires_in: int = 3599) -> bytes:
    return orjson.dumps({"access_token": token, "expires_in": expires_in, "token_type": "Bearer"})
