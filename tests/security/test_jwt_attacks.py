"""JWT attacks get 401, and none makes the gateway fetch anything: ``alg: none``, an HMAC token
signed with the public key (algorithm confusion), keys smuggled in the header (``jwk``,
``jku``, ``x5u``), ``kid`` path tricks, tokens for another issuer or audience, expired, not yet
valid, without an expiry, and malformed ones."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.security.canary import Canary, canary_listener
from tests.support.databases import copy_sqlite
from tests.support.jwt_issuer import AUDIENCE, ISSUER, Issuer
from tests.support.servers import in_process, lifespan

IDP = Issuer()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join((_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), _b64(signature)))


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory", "iat": now, "exp": now + 600, **overrides}


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with canary_listener() as listener:
        yield listener


@pytest.fixture
async def gateway(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(IDP.jwks()))
    config = config_for(
        copy_sqlite(sqlite_template, tmp_path / "jwt.db"),
        enable_jwt_auth=True,
        litellm_jwtauth={"jwks_file": str(jwks), "issuer": ISSUER, "audience": AUDIENCE},
    )
    app = create_app(config)
    async with lifespan(app), httpx.AsyncClient(transport=in_process(app), base_url="http://t") as client:
        yield Gateway(client, app)


def _attacks(canary: Canary) -> dict[str, str]:
    public_pem = IDP.rsa_public_pem()
    attacker = Issuer()
    attacker_jwk = {**json.loads(RSAAlgorithm.to_jwk(attacker.rsa.public_key())), "kid": "rsa-1"}
    return {
        "alg none": _unsigned({"alg": "none", "typ": "JWT"}, _claims()),
        "alg None spelled otherwise": _unsigned({"alg": "nOnE", "typ": "JWT"}, _claims()),
        "HS256 signed with the public key": jwt.encode(
            _claims(), public_pem, algorithm="HS256", headers={"kid": "rsa-1"}
        )
        if _hmac_with_pem_allowed()
        else _unsigned({"alg": "HS256", "kid": "rsa-1"}, _claims(), b"x" * 32),
        "signed by another key under our kid": attacker.token(kid="rsa-1"),
        "jwk header": jwt.encode(_claims(), attacker.rsa, algorithm="RS256", headers={"jwk": attacker_jwk}),
        "jku header at the canary": jwt.encode(
            _claims(), attacker.rsa, algorithm="RS256", headers={"jku": f"{canary.url}/jwks.json", "kid": "x"}
        ),
        "x5u header at the canary": jwt.encode(
            _claims(), attacker.rsa, algorithm="RS256", headers={"x5u": f"{canary.url}/cert.pem", "kid": "x"}
        ),
        "kid path traversal": IDP.token(kid="../../../../dev/null"),
        "kid sql": IDP.token(kid="' OR '1'='1"),
        "another issuer": IDP.token(iss="https://evil.test"),
        "another audience": IDP.token(aud="someone-else"),
        "expired": IDP.token(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
        "not yet valid": IDP.token(nbf=int(time.time()) + 3600),
        "no expiry": IDP.token(exp=None),
        "signature stripped": IDP.token().rsplit(".", 1)[0] + ".",
        "two parts": ".".join(IDP.token().split(".")[:2]),
        "garbage base64": "eyJhbGciOiJSUzI1NiJ9.%%%%.%%%%",
        "header not json": _b64(b"not json") + "." + _b64(b"{}") + "." + _b64(b"sig"),
        "huge and forged": _unsigned({"alg": "RS256", "kid": "rsa-1"}, _claims(pad="x" * 200_000), b"s" * 256),
    }


def _hmac_with_pem_allowed() -> bool:
    """PyJWT refuses to use a PEM public key as an HMAC secret (its own defence); the attack
    token is then made by hand."""
    try:
        jwt.encode({}, IDP.rsa_public_pem(), algorithm="HS256")
    except jwt.exceptions.InvalidKeyError:
        return False
    return True


async def test_every_jwt_attack_is_refused_with_401(gateway: Gateway, canary: Canary) -> None:
    statuses = {}
    for name, token in _attacks(canary).items():
        response = await gateway.chat(token)
        statuses[name] = response.status_code
        if response.status_code == 401:
            assert response.json()["error"]["type"] == "authentication_error", name

    assert {name: status for name, status in statuses.items() if status not in (401, 413, 431)} == {}
    assert statuses["expired"] == 401


async def test_no_jwt_attack_makes_the_gateway_fetch_a_key(gateway: Gateway, canary: Canary) -> None:
    for token in _attacks(canary).values():
        await gateway.chat(token)

    assert canary.hits == []


async def test_a_good_token_still_works_after_the_attacks(gateway: Gateway, canary: Canary) -> None:
    for token in _attacks(canary).values():
        await gateway.chat(token)

    assert (await gateway.chat(IDP.token())).status_code == 200
