"""How an Azure deployment authenticates (pure): an API key, a fixed Entra ID token, or the
client-credentials flow that exchanges a service principal's secret for tokens.

Settings come from the deployment (``api_key``; ``azure_ad_token``; ``tenant_id``, ``client_id``,
``client_secret``), then from the environment (``AZURE_API_KEY``, ``AZURE_AD_TOKEN``,
``AZURE_TENANT_ID``/``AZURE_CLIENT_ID``/``AZURE_CLIENT_SECRET``), first match wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from switchboard.adapters.outbound.providers.failures import json_body, protocol_error, redact
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, SwitchboardError

DEFAULT_SCOPE = "https://cognitiveservices.azure.com/.default"
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
# Renew this long before a token expires, so no request leaves with a token about to lapse.
RENEW_BEFORE = 300.0


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class StaticToken:
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """A service principal; hashable, so tokens can be cached per principal."""

    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str = DEFAULT_SCOPE
    authority: str = DEFAULT_AUTHORITY

    @property
    def token_url(self) -> str:
        return f"{self.authority.rstrip('/')}/{self.tenant_id}/oauth2/v2.0/token"

    def form(self) -> bytes:
        return urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": self.scope,
            }
        ).encode()


Credential = ApiKey | StaticToken | ClientCredentials


@dataclass(frozen=True, slots=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: float  # on the clock's monotonic scale

    def fresh(self, now: float) -> bool:
        return now < self.expires_at


def _setting(deployment: Deployment, environ: Mapping[str, str], param: str, env: str) -> str:
    value: Any = deployment.params.get(param)
    if value:
        return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)
    return environ.get(env, "")


def _principal(setting: Callable[[str], str]) -> tuple[str, str, str]:
    """A service principal's tenant, client and secret, each read by ``setting``."""
    return setting("tenant_id"), setting("client_id"), setting("client_secret")


def _client_credentials(
    values: tuple[str, str, str], deployment: Deployment, environ: Mapping[str, str]
) -> ClientCredentials:
    tenant, client, secret = values
    return ClientCredentials(
        tenant_id=tenant,
        client_id=client,
        client_secret=secret,
        scope=_setting(deployment, environ, "azure_scope", "AZURE_SCOPE") or DEFAULT_SCOPE,
        authority=_setting(deployment, environ, "azure_authority_host", "AZURE_AUTHORITY_HOST") or DEFAULT_AUTHORITY,
    )


def azure_credential(deployment: Deployment, environ: Mapping[str, str], *, provider: str, key_env: str) -> Credential:
    """The deployment's credential; ``AuthenticationError`` naming the settings if there is none."""
    own = _principal(lambda name: str(deployment.params.get(name) or ""))
    token = str(deployment.params.get("azure_ad_token") or "")
    if deployment.key:
        return ApiKey(deployment.key)
    if token:
        return StaticToken(token.removeprefix("Bearer ").strip())
    if all(own):
        return _client_credentials(own, deployment, environ)
    if environ.get(key_env):
        return ApiKey(environ[key_env])
    if environ.get("AZURE_AD_TOKEN"):
        return StaticToken(environ["AZURE_AD_TOKEN"].removeprefix("Bearer ").strip())
    from_env = _principal(lambda name: environ.get(f"AZURE_{name.upper()}", ""))
    if all(from_env):
        return _client_credentials(from_env, deployment, environ)
    raise AuthenticationError(
        f"No credential for {provider}: set api_key, azure_ad_token, or tenant_id + client_id + "
        f"client_secret on the deployment, or {key_env} / AZURE_AD_TOKEN / AZURE_TENANT_ID + "
        "AZURE_CLIENT_ID + AZURE_CLIENT_SECRET in the environment.",
        provider=provider,
        deployment=deployment.id,
    )


def token_from_reply(
    status: int,
    body: bytes,
    now: float,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> AccessToken:
    """The token in Entra ID's answer, valid until ``RENEW_BEFORE`` (or half its life, if that is
    shorter) before it expires; a refusal raises ``AuthenticationError``."""
    payload = json_body(body)
    if status >= 400:
        raise _refusal(status, payload, provider, deployment, secrets)
    if not isinstance(payload, dict) or not payload.get("access_token"):
        raise protocol_error(provider, "a token response we could not read", deployment)
    try:
        lifetime = float(payload.get("expires_in", 3600))
    except (TypeError, ValueError):
        raise protocol_error(provider, "a token response we could not read", deployment) from None
    margin = min(RENEW_BEFORE, lifetime / 2)
    return AccessToken(str(payload["access_token"]), now + lifetime - margin)


def _refusal(
    status: int, payload: Any, provider: str, deployment: str | None, secrets: Iterable[str]
) -> SwitchboardError:
    error = payload if isinstance(payload, dict) else {}
    code = str(error.get("error") or f"HTTP {status}")
    # The description's first line says what is wrong; the rest are trace and correlation ids.
    description = str(error.get("error_description") or "").splitlines()[0:1]
    detail = redact(f"{code}: {description[0]}" if description else code, secrets)
    message = f"{provider}: Entra ID refused the client credentials ({detail})"
    if status >= 500:
        return ProviderUnavailable(message, provider=provider, deployment=deployment, status=status)
    return AuthenticationError(message, provider=provider, deployment=deployment, status=status)
