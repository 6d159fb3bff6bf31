"""Google credentials -> OAuth token requests (pure, apart from the RSA signature's CPU).

Two kinds of credential file are understood: a service-account key (``"type":
"service_account"``), exchanged with a signed JWT (RFC 7523, RS256, scope ``cloud-platform``);
and the user credentials ``gcloud auth application-default login`` writes (``"type":
"authorized_user"``), exchanged with their refresh token. Secrets never appear in ``repr`` or
in an error message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import orjson

from switchboard.domain.errors import AuthenticationError

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = 3600  # seconds; Google's maximum


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    client_email: str
    private_key: str = field(repr=False)
    private_key_id: str | None = None
    token_uri: str = GOOGLE_TOKEN_URI
    project_id: str | None = None

    @property
    def project(self) -> str | None:
        return self.project_id

    @property
    def identity(self) -> str:
        """Names the credential for caching tokens; holds no secret."""
        return f"sa:{self.client_email}:{self.private_key_id or ''}:{self.token_uri}"


@dataclass(frozen=True, slots=True)
class AuthorizedUser:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    token_uri: str = GOOGLE_TOKEN_URI
    quota_project_id: str | None = None

    @property
    def project(self) -> str | None:
        return self.quota_project_id

    @property
    def identity(self) -> str:
        digest = hashlib.sha256(self.refresh_token.encode()).hexdigest()[:16]
        return f"user:{self.client_id}:{digest}:{self.token_uri}"


Credentials = ServiceAccount | AuthorizedUser


def _invalid(what: str, provider: str) -> AuthenticationError:
    return AuthenticationError(f"{provider}: the Google credentials are not usable: {what}", provider=provider)


def is_inline_json(value: str) -> bool:
    """Whether ``vertex_credentials`` holds the JSON itself rather than a file path."""
    return value.lstrip().startswith("{")


def parse_credentials(value: str | bytes | Mapping[str, Any], provider: str) -> Credentials:
    """Credentials from the JSON text (or mapping) of a credential file."""
    if isinstance(value, Mapping):
        info: Any = value
    else:
        try:
            info = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise _invalid("they are not JSON", provider) from None
    if not isinstance(info, Mapping):
        raise _invalid("they are not a JSON object", provider)
    kind = info.get("type")
    try:
        if kind == "service_account":
            return ServiceAccount(
                client_email=str(info["client_email"]),
                private_key=str(info["private_key"]),
                private_key_id=info.get("private_key_id"),
                token_uri=str(info.get("token_uri") or GOOGLE_TOKEN_URI),
                project_id=info.get("project_id"),
            )
        if kind == "authorized_user":
            return AuthorizedUser(
                client_id=str(info["client_id"]),
                client_secret=str(info["client_secret"]),
                refresh_token=str(info["refresh_token"]),
                token_uri=str(info.get("token_uri") or GOOGLE_TOKEN_URI),
                quota_project_id=info.get("quota_project_id"),
            )
    except KeyError as exc:
        raise _invalid(f"the field {exc.args[0]!r} is missing", provider) from None
    raise _invalid(
        f"type {kind!r} is not supported (use a service_account key or authorized_user credentials)",
        provider,
    )


def assertion(account: ServiceAccount, now: float, provider: str) -> str:
    """The signed JWT a service account trades for an access token."""
    issued = int(now)
    claims = {
        "iss": account.client_email,
        "scope": SCOPE,
        "aud": account.token_uri,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
    }
    headers = {"kid": account.private_key_id} if account.private_key_id else None
    import jwt  # lazy: cryptography costs ~80 ms to import: only when a token is signed

    try:
        return jwt.encode(claims, account.private_key, algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError):
        # The library's message may quote the key; ours names the problem only.
        raise _invalid("the service account's private_key is not an RSA key in PEM form", provider) from None


def token_request(credentials: Credentials, now: float, provider: str) -> tuple[str, bytes]:
    """The token endpoint's URL and form body for ``credentials``."""
    if isinstance(credentials, ServiceAccount):
        form = {"grant_type": JWT_BEARER, "assertion": assertion(credentials, now, provider)}
    else:
        form = {
            "grant_type": "refresh_token",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "refresh_token": credentials.refresh_token,
        }
    return credentials.token_uri, urlencode(form).encode()


def token_from_response(body: bytes, now: float) -> tuple[str, float] | None:
    """The access token and when it expires (epoch seconds), or ``None`` if the body has none."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    token = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(token, str) or not token:
        return None
    lifetime = payload.get("expires_in")
    return token, now + (float(lifetime) if isinstance(lifetime, int | float) else 3600.0)


def token_error(body: bytes) -> str:
    """The OAuth ``error`` and ``error_description`` of a failed exchange (RFC 6749 5.2)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "no error code"
    if not isinstance(payload, dict) or not isinstance(payload.get("error"), str):
        return "no error code"
    description = payload.get("error_description")
    return str(payload["error"]) + (f" ({description})" if isinstance(description, str) else "")
