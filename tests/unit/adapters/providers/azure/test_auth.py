from __future__ import annotations

from urllib.parse import parse_qs

import orjson
import pytest

from switchboard.adapters.outbound.providers.azure.auth import (
    ApiKey,
    ClientCredentials,
    StaticToken,
    azure_credential,
    token_from_reply,
)
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, UpstreamProtocolError

PRINCIPAL = {"tenant_id": "tenant-1", "client_id": "client-1", "client_secret": "s3cret-value"}


def deployment(api_key: str | None = None, **params: object) -> Deployment:
    return Deployment(id="d", model_name="m", provider="azure", model="dep", api_key=api_key, params=params)


def credential(dep: Deployment, environ: dict[str, str] | None = None) -> object:
    return azure_credential(dep, environ or {}, provider="azure", key_env="AZURE_API_KEY")


def test_the_deployment_key_comes_first() -> None:
    assert credential(deployment("k1", azure_ad_token="t"), {"AZURE_API_KEY": "k2"}) == ApiKey("k1")


def test_a_fixed_token_is_used_without_its_bearer_prefix() -> None:
    assert credential(deployment(azure_ad_token="Bearer eyJ0")) == StaticToken("eyJ0")


def test_a_service_principal_on_the_deployment_uses_client_credentials() -> None:
    found = credential(deployment(**PRINCIPAL, azure_scope="https://ai.azure.com/.default"))
    assert isinstance(found, ClientCredentials)
    assert found.token_url == "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"
    assert found.scope == "https://ai.azure.com/.default"


def test_deployment_settings_win_over_the_environment() -> None:
    assert credential(deployment(azure_ad_token="t"), {"AZURE_API_KEY": "env-key"}) == StaticToken("t")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"AZURE_API_KEY": "env-key", "AZURE_AD_TOKEN": "t"}, ApiKey("env-key")),
        ({"AZURE_AD_TOKEN": "env-token"}, StaticToken("env-token")),
    ],
)
def test_the_environment_fills_in(environ: dict[str, str], expected: object) -> None:
    assert credential(deployment(), environ) == expected


def test_a_service_principal_from_the_environment_may_name_its_authority() -> None:
    environ = {
        "AZURE_TENANT_ID": "t",
        "AZURE_CLIENT_ID": "c",
        "AZURE_CLIENT_SECRET": "s",
        "AZURE_AUTHORITY_HOST": "http://127.0.0.1:9/",
    }
    found = credential(deployment(), environ)
    assert isinstance(found, ClientCredentials)
    assert found.token_url == "http://127.0.0.1:9/t/oauth2/v2.0/token"


def test_no_credential_names_every_way_to_give_one() -> None:
    with pytest.raises(AuthenticationError) as caught:
        credential(deployment(tenant_id="only-a-tenant"))
    assert "azure_ad_token" in caught.value.message and "AZURE_API_KEY" in caught.value.message


def test_the_token_request_is_the_client_credentials_grant() -> None:
    form = parse_qs(ClientCredentials(**PRINCIPAL).form().decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["client-1"],
        "client_secret": ["s3cret-value"],
        "scope": ["https://cognitiveservices.azure.com/.default"],
    }


def test_the_secret_never_shows_in_a_repr() -> None:
    assert "s3cret" not in repr(ClientCredentials(**PRINCIPAL))


def test_a_token_is_renewed_five_minutes_before_it_expires() -> None:
    body = orjson.dumps({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": "eyJ0"})
    token = token_from_reply(200, body, 100.0, provider="azure")
    assert token.value == "eyJ0"
    assert token.expires_at == 100.0 + 3599 - 300
    assert token.fresh(3398.0) and not token.fresh(3399.0)


def test_a_short_lived_token_is_renewed_at_half_its_life() -> None:
    token = token_from_reply(200, b'{"access_token": "x", "expires_in": "60"}', 0.0, provider="azure")
    assert token.expires_at == 30.0


def test_a_refused_principal_is_an_authentication_error_without_the_secret() -> None:
    body = orjson.dumps(
        {
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret s3cret-value.\r\nTrace ID: 1\r\n",
            "error_codes": [7000215],
        }
    )
    with pytest.raises(AuthenticationError) as caught:
        token_from_reply(401, body, 0.0, provider="azure", secrets=("s3cret-value",))
    assert "invalid_client" in caught.value.message and "AADSTS7000215" in caught.value.message
    assert "s3cret-value" not in caught.value.message and "Trace ID" not in caught.value.message


def test_an_entra_outage_is_unavailable() -> None:
    with pytest.raises(ProviderUnavailable):
        token_from_reply(503, b"busy", 0.0, provider="azure")


def test_a_token_answer_without_a_token_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        token_from_reply(200, b'{"token_type": "Bearer"}', 0.0, provider="azure")
