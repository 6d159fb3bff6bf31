"""Vertex AI endpoint URLs (pure).

Without ``api_base``: ``https://{location}-aiplatform.googleapis.com/{api_version or v1}/projects/
{project}/locations/{location}/publishers/google/models/{model}:{method}``; the ``global``
location is served from ``https://aiplatform.googleapis.com``. A custom ``api_base`` is read as
LiteLLM reads it, so configs carry over:

- a host only, ``https://vertex-proxy.internal``: it replaces Google's host, the path stays
- anything with a path is the model's own URL (a gateway route, a private endpoint): ``:{method}``
  is appended to it, as LiteLLM does

Express mode (an API key instead of credentials) has no project or location in its URLs:
``https://aiplatform.googleapis.com/v1/publishers/google/models/{model}:{method}``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from switchboard.adapters.outbound.providers.gemini.urls import model_id, with_method

DEFAULT_LOCATION = "us-central1"
DEFAULT_VERSION = "v1"


def vertex_host(location: str) -> str:
    if location == "global":
        return "https://aiplatform.googleapis.com"
    return f"https://{location}-aiplatform.googleapis.com"


def vertex_prefix(
    api_base: str | None, api_version: str | None, project: str, location: str, model: str, publisher: str = "google"
) -> str:
    """The model's URL, to which ``:generateContent`` (or another method) is appended;
    ``publisher`` ``anthropic`` for Claude."""
    resource = (
        f"{api_version or DEFAULT_VERSION}/projects/{project}/locations/{location}"
        f"/publishers/{publisher}/models/{model_id(model)}"
    )
    return _on_base(api_base, vertex_host(location), resource)


def express_prefix(api_base: str | None, api_version: str | None, model: str) -> str:
    """The model's URL in express mode."""
    resource = f"{api_version or DEFAULT_VERSION}/publishers/google/models/{model_id(model)}"
    return _on_base(api_base, vertex_host("global"), resource)


def _on_base(api_base: str | None, host: str, resource: str) -> str:
    if not api_base:
        return f"{host}/{resource}"
    base = api_base.rstrip("/")
    if urlsplit(base).path in ("", "/"):
        return f"{base}/{resource}"
    return base


def vertex_url(prefix: str, method: str) -> str:
    return with_method(prefix, method)
