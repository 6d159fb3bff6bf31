"""JWT verification: the attacks of the reliability notes (S8) each end in a refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from switchboard.adapters.outbound.identity.jwt_verifier import JwksTokenVerifier
from switchboard.domain.errors import AuthenticationError, ServiceUnavailable
from tests.support.jwt_issuer import AUDIENCE, ISSUER, Issuer

ISSUER_KEYS = Issuer()


class Provider:
    """The identity provider's JWKS endpoint, which can go away."""

    def __init__(self, down: bool = False) -> None:
        self.down = down


def verifier(
    jwks: dict[str, Any] | None = None,
    *,
    provider: Provider | None = None,
    fails: bool = False,
    **options: Any,
) -> tuple[JwksTokenVerifier, list[int]]:
    fetched: list[int] = []
    source = provider or Provider(down=fails)

    async def fetch(url: str) -> bytes:
        fetched.append(1)
        if source.down:
            raise OSError("identity provider unreachable")
        return json.dumps(jwks or ISSUER_KEYS.jwks()).encode()

    made = JwksTokenVerifier(
        issuer=ISSUER,
        audience=AUDIENCE,
        algorithms=["RS256", "ES256"],
        jwks_url="https://idp.test/jwks",
        fetch=fetch,
        **options,
    )
    return made, fetched


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()), _b64(signature)])


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
async def test_a_good_token_yields_its_claims(algorithm: str) -> None:
    checked, _ = verifier()
    claims = await checked.verify(ISSUER_KEYS.token({"team": "t"}, algorithm=algorithm))
    assert (claims["sub"], claims["team"]) == ("ann", "t")


async def test_alg_none_is_refused() -> None:
    checked, _ = verifier()
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "root", "exp": int(time.time()) + 60}
    with pytest.raises(AuthenticationError):
        await checked.verify(unsigned({"alg": "none", "kid": "rsa-1"}, claims))


async def test_hs256_signed_with_the_public_key_is_refused() -> None:
    checked, _ = verifier()
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "root", "exp": int(time.time()) + 60}
    header = {"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode()
    signature = hmac.new(ISSUER_KEYS.rsa_public_pem(), signing_input, hashlib.sha256).digest()
    with pytest.raises(AuthenticationError):
        await checked.verify(signing_input.decode() + "." + _b64(signature))


@pytest.mark.parametrize(
    "claims",
    [
        # times are read when the test runs, not when it is collected (a long run would pass nbf)
        lambda: {"exp": int(time.time()) - 10},
        lambda: {"nbf": int(time.time()) + 600},
        lambda: {"aud": "another-app"},
        lambda: {"iss": "https://evil.test"},
        lambda: {"exp": None},
        lambda: {"aud": None},
    ],
    ids=["expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "no-expiry", "no-audience"],
)
async def test_tokens_outside_their_terms_are_refused(claims: Callable[[], dict[str, Any]]) -> None:
    checked, _ = verifier()
    with pytest.raises(AuthenticationError):
        await checked.verify(ISSUER_KEYS.token(**claims()))


async def test_a_tampered_payload_is_refused() -> None:
    checked, _ = verifier()
    header, _, signature = ISSUER_KEYS.token().split(".")
    forged = _b64(json.dumps({"iss": ISSUER, "aud": AUDIENCE, "sub": "root", "exp": 9999999999}).encode())
    with pytest.raises(AuthenticationError):
        await checked.verify(f"{header}.{forged}.{signature}")


async def test_an_unknown_key_id_refetches_at_most_every_30_seconds() -> None:
    now = [0.0]
    checked, fetched = verifier(clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            await checked.verify(ISSUER_KEYS.token(kid="rotated-away"))
    assert len(fetched) == 1  # a flood of bad key ids does not flood the provider
    now[0] = 31.0
    with pytest.raises(AuthenticationError):
        await checked.verify(ISSUER_KEYS.token(kid="rotated-away"))
    assert len(fetched) == 2


async def test_a_token_signed_by_someone_else_is_refused() -> None:
    checked, _ = verifier()
    with pytest.raises(AuthenticationError):
        await checked.verify(Issuer().token())


async def test_no_keys_at_all_is_a_503() -> None:
    checked, _ = verifier(fails=True)
    with pytest.raises(ServiceUnavailable):
        await checked.verify(ISSUER_KEYS.token())


async def test_keys_fetched_before_keep_working_while_the_provider_is_away() -> None:
    now, provider = [0.0], Provider()
    checked, fetched = verifier(provider=provider, ttl=10, clock=lambda: now[0])
    await checked.verify(ISSUER_KEYS.token())
    provider.down = True
    now[0] = 100.0  # the keys are stale: a refetch is tried, fails, and the old keys serve
    assert (await checked.verify(ISSUER_KEYS.token()))["sub"] == "ann"
    assert len(fetched) == 2
