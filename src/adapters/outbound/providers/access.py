"""What a deployment adds to every request it sends: its API key (the deployment's own, else
the provider's environment variables) and its extra headers, as LiteLLM's params name them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError


def api_key(deployment: Deployment, environ: Mapping[str, str], variables: Iterable[str]) -> str:
    """The deployment's key, else the first of ``variables`` set in ``environ``, else ``""``."""
    return deployment.key or next((value for name in variables if (value := environ.get(name))), "")


def missing_key(provider: str, deployment: str, variable: str | None) -> AuthenticationError:
    """The error for a provider that needs a key and has none; it says where to put one."""
    where = f" or the {variable} environment variable." if variable else "."
    return AuthenticationError(
        f"No API key for {provider}: set api_key on the deployment{where}", provider=provider, deployment=deployment
    )


def extra_headers(deployment: Deployment) -> dict[str, str]:
    """``extra_headers`` (or ``headers``) from the deployment's ``litellm_params``, lower-cased."""
    extra = deployment.params.get("extra_headers") or deployment.params.get("headers")
    if isinstance(extra, Mapping):
        return {str(k).lower(): str(v) for k, v in extra.items()}
    return {}
