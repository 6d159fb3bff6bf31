"""Where a Bedrock deployment sends its requests, and with which credential (pure).

Everything here is resolved once per deployment from its ``litellm_params`` and the environment,
with LiteLLM's keys and precedence so its configurations carry over:

- model id: ``model_id`` param (a provisioned-throughput or imported-model ARN), else the model
  with LiteLLM's route prefix (``converse/``, ``invoke/``) removed.
- region: ``aws_region_name``, else the region inside an ARN model id, else ``AWS_REGION_NAME``,
  ``AWS_REGION``, ``AWS_DEFAULT_REGION``, else ``us-west-2`` (LiteLLM's default).
- endpoint: ``api_base``, else ``aws_bedrock_runtime_endpoint``, else ``AWS_BEDROCK_RUNTIME_ENDPOINT``,
  else ``https://bedrock-runtime.{region}.amazonaws.com``.
- credential: a Bedrock API key (``api_key``, else ``AWS_BEARER_TOKEN_BEDROCK``) is sent as
  ``Authorization: Bearer``; else access keys (``aws_access_key_id`` / ``aws_secret_access_key`` /
  ``aws_session_token``, else ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` /
  ``AWS_SESSION_TOKEN``) sign with SigV4; else, with ``aws_profile_name`` or nothing else set,
  the AWS credential chain (profiles, SSO, web identity, container and instance roles).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from switchboard.adapters.outbound.providers.access import extra_headers
from switchboard.adapters.outbound.providers.bedrock.signing import AwsCredentials
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest

DEFAULT_REGION = "us-west-2"
_ROUTE_PREFIXES = ("converse/", "invoke/")
_REGION_PREFIXES = ("us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca.")


@dataclass(frozen=True, slots=True)
class BearerToken:
    token: str

    def __repr__(self) -> str:
        return "BearerToken(***)"


@dataclass(frozen=True, slots=True)
class CredentialChain:
    """Credentials found at call time by the AWS SDK's chain, for ``profile`` (or the default)."""

    profile: str | None = None


Auth = BearerToken | AwsCredentials | CredentialChain


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved deployment: ``origin`` (scheme://host), the Host header, and the path of the
    model's operations (with any path prefix of the endpoint), already percent-encoded."""

    origin: str
    host: str
    region: str
    model_id: str
    model_path: str
    auth: Auth
    extra_headers: Mapping[str, str]

    def path(self, operation: str) -> str:
        """``/prefix/model/{id}/{operation}`` (``converse``, ``converse-stream``, ``invoke``)."""
        return f"{self.model_path}/{operation}"

    def url(self, operation: str) -> str:
        return f"{self.origin}{self.model_path}/{operation}"


def without_route(model: str) -> str:
    """The model id without LiteLLM's route prefix (``converse/``, ``invoke/``)."""
    for prefix in _ROUTE_PREFIXES:
        if model.startswith(prefix):
            return model[len(prefix) :]
    return model


def model_id(deployment: Deployment) -> str:
    """The id in the request URL: the ``model_id`` param (an ARN), else the bare model."""
    explicit = deployment.params.get("model_id")
    return str(explicit) if explicit else without_route(deployment.model)


def bare_model(model_id: str) -> str:
    """``us.anthropic.claude-...`` -> ``anthropic.claude-...``; ARNs keep their last path part."""
    name = model_id.rsplit("/", 1)[-1]
    for prefix in _REGION_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def arn_region(identifier: str) -> str | None:
    """The region inside ``arn:aws:bedrock:us-east-1:123456789012:...``, if it is an ARN."""
    parts = identifier.split(":")
    if len(parts) > 4 and parts[0] == "arn" and parts[3]:
        return parts[3]
    return None


def region(params: Mapping[str, Any], identifier: str, environ: Mapping[str, str]) -> str:
    chosen = params.get("aws_region_name") or arn_region(identifier)
    if chosen:
        return str(chosen)
    for name in ("AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"):
        if environ.get(name):
            return environ[name]
    return DEFAULT_REGION


def auth(deployment: Deployment, environ: Mapping[str, str]) -> Auth:
    params = deployment.params
    if deployment.key:
        return BearerToken(deployment.key)
    access, secret = params.get("aws_access_key_id"), params.get("aws_secret_access_key")
    if access or secret:
        if not (access and secret):
            raise BadRequest(
                "bedrock: set both aws_access_key_id and aws_secret_access_key on the deployment.",
                param="aws_secret_access_key" if access else "aws_access_key_id",
                provider="bedrock",
                deployment=deployment.id,
            )
        token = params.get("aws_session_token")
        return AwsCredentials(str(access), str(secret), str(token) if token else None)
    if params.get("aws_profile_name"):
        return CredentialChain(str(params["aws_profile_name"]))
    if environ.get("AWS_BEARER_TOKEN_BEDROCK"):
        return BearerToken(environ["AWS_BEARER_TOKEN_BEDROCK"])
    if environ.get("AWS_ACCESS_KEY_ID") and environ.get("AWS_SECRET_ACCESS_KEY"):
        return AwsCredentials(
            environ["AWS_ACCESS_KEY_ID"],
            environ["AWS_SECRET_ACCESS_KEY"],
            environ.get("AWS_SESSION_TOKEN") or None,
        )
    return CredentialChain(environ.get("AWS_PROFILE") or None)


def resolve(deployment: Deployment, environ: Mapping[str, str]) -> Target:
    params = deployment.params
    identifier = model_id(deployment)
    chosen_region = region(params, identifier, environ)
    endpoint = (
        deployment.api_base
        or params.get("aws_bedrock_runtime_endpoint")
        or environ.get("AWS_BEDROCK_RUNTIME_ENDPOINT")
        or f"https://bedrock-runtime.{chosen_region}.amazonaws.com"
    )
    parts = urlsplit(str(endpoint).rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest(
            f"bedrock: the endpoint {endpoint!r} is not an http(s) URL.",
            param="api_base",
            provider="bedrock",
            deployment=deployment.id,
        )
    return Target(
        origin=f"{parts.scheme}://{parts.netloc}",
        host=parts.netloc,
        region=chosen_region,
        model_id=identifier,
        model_path=f"{parts.path}/model/{quote(identifier, safe='')}",
        auth=auth(deployment, environ),
        extra_headers=extra_headers(deployment),
    )
