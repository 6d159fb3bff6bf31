"""JWT auth through the gateway: claims name user, team and role; bad tokens are refused."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.support.databases import copy_sqlite
from tests.support.jwt_issuer import AUDIENCE, ISSUER, Issuer
from tests.support.servers import in_process, lifespan

IDP = Issuer()


@pytest.fixture
async def gateway(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(IDP.jwks()))
    config = config_for(
        copy_sqlite(sqlite_template, tmp_path / "jwt.db"),
        enable_jwt_auth=True,
        litellm_jwtauth={
            "jwks_file": str(jwks),
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "team_id_jwt_field": "groups.team",
        },
    )
    app = create_app(config)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=in_process(app), base_url="http://t") as c,
    ):
        yield Gateway(c, app)


async def test_an_admin_scope_manages_and_a_plain_user_does_not(gateway: Gateway) -> None:
    admin = IDP.token({"scope": "openid litellm_proxy_admin"})
    assert (await gateway.call("POST", "/team/new", key=admin, json={"team_id": "t"})).status_code == 200
    user = IDP.token({"sub": "bob"})
    assert (await gateway.chat(user)).status_code == 200
    assert (await gateway.call("POST", "/team/new", key=user, json={"team_id": "u"})).status_code == 403


async def test_the_team_claim_brings_the_teams_limits_and_models(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "t", "rpm_limit": 1, "models": ["cheap"]})
    token = IDP.token({"sub": "carol", "groups": {"team": "t"}}, algorithm="ES256")
    assert (await gateway.chat(token, "other")).status_code == 403
    assert (await gateway.chat(token, "cheap")).status_code == 200
    assert (await gateway.chat(token, "cheap")).status_code == 429


async def test_bad_tokens_get_401_never_a_principal(gateway: Gateway) -> None:
    good = IDP.token()
    assert (await gateway.chat(good)).status_code == 200  # now cached
    header, payload, _ = good.split(".")
    forged = f"{header}.{payload}.{'A' * 342}"  # same first 20+ characters, bad signature
    for token in (forged, IDP.token(exp=1), IDP.token(aud="other"), Issuer().token(), good[:-4] + "AAAA"):
        response = await gateway.chat(token)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["type"] == "authentication_error"


async def test_virtual_keys_and_the_master_key_still_work(gateway: Gateway) -> None:
    key = await gateway.new_key()
    assert (await gateway.chat(key)).status_code == 200
