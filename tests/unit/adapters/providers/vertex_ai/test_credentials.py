"""Google credential files -> token requests: the signed JWT and the refresh-token grant."""

from __future__ import annotations

from urllib.parse import parse_qs

import jwt
import orjson
import pytest

from switchboard.adapters.outbound.providers.vertex_ai.credentials import (
    AuthorizedUser,
    ServiceAccount,
    assertion,
    parse_credentials,
    token_error,
    token_from_response,
    token_request,
)
from switchboard.domain.errors import AuthenticationError
from tests.support.google_auth import public_key, service_account

TOKEN_URI = "https://oauth2.test/token"
NOW = 1_700_000_000.0

USER = {
    "type": "authorized_user",
    "client_id": "client.apps.googleusercontent.com",
    "client_secret": "d-secret-value",
    "refresh_token": "1//refresh-secret",
    "quota_project_id": "user-project",
}


def account() -> ServiceAccount:
    credentials = parse_credentials(orjson.dumps(service_account(TOKEN_URI)), "vertex_ai")
    assert isinstance(credentials, ServiceAccount)
    return credentials


def test_a_service_account_key_is_read_with_its_project() -> None:
    credentials = account()
    assert credentials.client_email == "gateway@sa-project.iam.gserviceaccount.com"
    assert credentials.project == "sa-project"
    assert credentials.token_uri == TOKEN_URI


def test_the_private_key_never_shows_in_repr() -> None:
    assert "PRIVATE KEY" not in repr(account())


def test_a_mapping_is_read_like_json_text() -> None:
    assert parse_credentials(service_account(TOKEN_URI), "vertex_ai") == account()


def test_authorized_user_credentials_are_read_with_their_quota_project() -> None:
    credentials = parse_credentials(orjson.dumps(USER), "vertex_ai")
    assert isinstance(credentials, AuthorizedUser)
    assert credentials.project == "user-project"
    assert "refresh-secret" not in repr(credentials) and "d-secret" not in repr(credentials)


def test_an_unsupported_credential_type_is_named_in_the_error() -> None:
    with pytest.raises(AuthenticationError) as caught:
        parse_credentials(orjson.dumps({"type": "external_account", "audience": "x"}), "vertex_ai")
    assert "external_account" in caught.value.message


def test_a_missing_field_is_named_and_no_secret_is_shown() -> None:
    info = service_account(TOKEN_URI)
    del info["client_email"]
    with pytest.raises(AuthenticationError) as caught:
        parse_credentials(info, "vertex_ai")
    assert "client_email" in caught.value.message
    assert "PRIVATE KEY" not in caught.value.message


def test_text_that_is_not_json_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError):
        parse_credentials("not json", "vertex_ai")


def test_the_assertion_is_an_rs256_jwt_for_the_token_endpoint_with_the_cloud_platform_scope() -> None:
    token = assertion(account(), NOW, "vertex_ai")
    assert jwt.get_unverified_header(token)["kid"] == "key-1"
    claims = jwt.decode(token, public_key(), algorithms=["RS256"], audience=TOKEN_URI, options={"verify_exp": False})
    assert claims == {
        "iss": "gateway@sa-project.iam.gserviceaccount.com",
        "scope": "https://www.googleapis.com/auth/cloud-platform",
        "aud": TOKEN_URI,
        "iat": int(NOW),
        "exp": int(NOW) + 3600,
    }


def test_a_key_that_is_not_rsa_pem_is_an_error_that_does_not_quote_it() -> None:
    broken = ServiceAccount(client_email="a@b", private_key="-----BEGIN PRIVATE KEY-----\nsecretstuff\n-----END")
    with pytest.raises(AuthenticationError) as caught:
        assertion(broken, NOW, "vertex_ai")
    assert "secretstuff" not in caught.value.message


def test_a_service_account_asks_with_the_jwt_bearer_grant() -> None:
    url, body = token_request(account(), NOW, "vertex_ai")
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert url == TOKEN_URI
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert jwt.decode(
        form["assertion"],
        public_key(),
        algorithms=["RS256"],
        audience=TOKEN_URI,
        options={"verify_exp": False},
    )


def test_user_credentials_ask_with_the_refresh_token_grant() -> None:
    credentials = parse_credentials(USER, "vertex_ai")
    url, body = token_request(credentials, NOW, "vertex_ai")
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert url == "https://oauth2.googleapis.com/token"
    assert form == {
        "grant_type": "refresh_token",
        "client_id": "client.apps.googleusercontent.com",
        "client_secret": "d-secret-value",
        "refresh_token": "1//refresh-secret",
    }


def test_a_token_response_gives_the_token_and_its_expiry() -> None:
    body = orjson.dumps({"access_token": "ya29.x", "expires_in": 3599, "token_type": "Bearer"})
    assert token_from_response(body, NOW) == ("ya29.x", NOW + 3599)


def test_a_token_response_without_a_token_gives_none() -> None:
    assert token_from_response(b'{"token_type": "Bearer"}', NOW) is None
    assert token_from_response(b"<html>", NOW) is None


def test_a_token_error_names_the_oauth_error() -> None:
    body = orjson.dumps({"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
    assert token_error(body) == "invalid_grant (Invalid JWT Signature.)"
