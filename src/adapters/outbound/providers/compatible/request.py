"""An OpenAI wire body and target, adapted to one compatible provider's profile (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from switchboard.adapters.outbound.providers import access
from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile, Setting
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError, BadRequest, UnsupportedParameter
from switchboard.domain.params import OPENAI_CHAT_PARAMS, OpenParams


def supported_params(profile: ProviderProfile, model: str) -> frozenset[str]:
    """The parameters ``profile``'s API takes for ``model``: its OpenAI ones, minus what it
    refuses (for every model, then per model), plus its own."""
    known = profile.only if profile.only is not None else OPENAI_CHAT_PARAMS
    refused = set(profile.rejects)
    for rule in profile.model_rules:
        if rule.applies_to(model):
            refused |= rule.rejects
    if profile.extra_params == "any":
        return OpenParams(known - refused, refused=refused)
    return (known - refused) | profile.extra_params


def adapt_chat_body(
    body: dict[str, Any],
    profile: ProviderProfile,
    *,
    stream: bool,
    defaults: Mapping[str, Any],
) -> dict[str, Any]:
    """``body`` (an OpenAI chat body) as ``profile``'s API wants it. Changes ``body`` in place.

    Deployment defaults (``litellm_params``) for the provider's own parameters are added first,
    then renames apply; a renamed parameter never overwrites one the caller set under the
    provider's name.
    """
    if isinstance(profile.extra_params, frozenset):
        for name in profile.extra_params:
            if name in defaults and name not in body:
                body[name] = defaults[name]
    for source, target in profile.renames.items():
        if source in body:
            value = body.pop(source)
            body.setdefault(target, value)
    if profile.single_choice and "n" in body:
        if body["n"] != 1:
            raise UnsupportedParameter(
                f"{profile.name} returns one choice per request; 'n' must be 1.",
                param="n",
                provider=profile.name,
                code="unsupported_parameter",
            )
        del body["n"]
    if stream and not profile.stream_options:
        body.pop("stream_options", None)
    return body


def setting(value: Setting, deployment: Deployment, environ: Mapping[str, str]) -> str:
    """The setting's value from the deployment's params, else the environment, else ``""``."""
    if value.param:
        found = deployment.params.get(value.param)
        if found:
            return str(found)
    if value.env:
        return environ.get(value.env, "")
    return ""


_PLACEHOLDER = re.compile(r"{(\w+)}")


def _where(source: Setting) -> str:
    places = [
        f"litellm_params.{source.param}" if source.param else "",
        f"the {source.env} variable" if source.env else "",
    ]
    return " or ".join(p for p in places if p)


def _filled(template: str, profile: ProviderProfile, deployment: Deployment, environ: Mapping[str, str]) -> str:
    """``template`` (the profile's default base URL) with its ``{placeholders}`` filled."""

    def fill(match: re.Match[str]) -> str:
        source = profile.base_params[match.group(1)]
        value = setting(source, deployment, environ)
        if not value:
            raise BadRequest(
                f"{profile.name} needs {match.group(1)}: set {_where(source)}.",
                param=source.param or match.group(1),
                provider=profile.name,
                deployment=deployment.id,
            )
        return value

    return _PLACEHOLDER.sub(fill, template)


def api_base(profile: ProviderProfile, deployment: Deployment, environ: Mapping[str, str]) -> str:
    """The base URL: the deployment's ``api_base``, else ``api_base_env``, else the profile's
    default with its placeholders filled. Raises ``BadRequest`` naming what is missing."""
    base = deployment.api_base or (environ.get(profile.api_base_env, "") if profile.api_base_env else "")
    if not base and profile.api_base:
        base = _filled(profile.api_base, profile, deployment, environ)
    if not base:
        where = f" or the {profile.api_base_env} variable" if profile.api_base_env else ""
        raise BadRequest(
            f"{profile.name} has no default address: set api_base on the deployment{where}.",
            param="api_base",
            provider=profile.name,
            deployment=deployment.id,
        )
    base = base.rstrip("/")
    if profile.base_suffix and not base.endswith(profile.base_suffix):
        base += profile.base_suffix
    return base


def api_key(profile: ProviderProfile, deployment: Deployment, environ: Mapping[str, str]) -> str:
    """The deployment's key, else the first set variable of ``key_env``; ``""`` when the API
    needs none. Raises ``AuthenticationError`` when a required key is missing."""
    key = access.api_key(deployment, environ, profile.key_env)
    if not key and profile.key_required:
        names = " or ".join(profile.key_env)
        raise AuthenticationError(
            f"No API key for {profile.name}: set api_key on the deployment"
            + (f" or the {names} variable." if names else "."),
            provider=profile.name,
            deployment=deployment.id,
        )
    return key


def profile_headers(profile: ProviderProfile, deployment: Deployment, environ: Mapping[str, str]) -> dict[str, str]:
    """The profile's extra headers that have a value, lower-cased."""
    headers = {}
    for name, source in profile.headers.items():
        value = setting(source, deployment, environ)
        if value:
            headers[name.lower()] = value
    return headers
