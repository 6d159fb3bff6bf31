"""Where Azure requests go (pure): deployment URLs with a dated ``api-version``, the v1 API, and
Azure AI Foundry's model inference endpoint.

- dated versions: ``{api_base}/openai/deployments/{deployment}/chat/completions?api-version=DATE``
- ``api_version: v1``: ``{api_base}/openai/v1/chat/completions`` (the deployment name goes in ``model``)
- ``api_version: preview`` or ``latest``: the v1 paths with ``?api-version=preview`` (or ``latest``)

``api_base`` is the resource endpoint (``https://NAME.openai.azure.com``); a pasted base ending in
``/openai``, ``/openai/v1`` or ``/openai/deployments/...`` is understood too.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# The last dated version: it has every endpoint served here (speech, gpt-image-1, reasoning).
DEFAULT_API_VERSION = "2025-04-01-preview"
# The Foundry model inference endpoint (``.../models``) needs a version; this is its current one.
DEFAULT_AI_INFERENCE_VERSION = "2024-05-01-preview"
_V1_QUERIES = {"v1": "", "preview": "?api-version=preview", "latest": "?api-version=latest"}


@dataclass(frozen=True, slots=True)
class Address:
    """Requests go to ``base + path + query`` (``path`` such as ``/chat/completions``)."""

    base: str
    query: str


def azure_openai_address(api_base: str, deployment: str, api_version: str) -> Address:
    root = api_base.strip().rstrip("/")
    v1 = api_version in _V1_QUERIES
    cut = root.find("/openai/deployments/")
    if cut >= 0:
        root = root[:cut]
    elif root.endswith("/openai/v1"):
        root, v1 = root.removesuffix("/openai/v1"), True
    else:
        root = root.removesuffix("/openai")
    if v1:
        return Address(f"{root}/openai/v1", _V1_QUERIES.get(api_version, ""))
    return Address(f"{root}/openai/deployments/{quote(deployment, safe='')}", f"?api-version={quote(api_version)}")


def azure_ai_address(api_base: str, api_version: str | None) -> Address:
    """Foundry's OpenAI-style endpoints take the base as given and the model by name in the body."""
    root = api_base.strip().rstrip("/")
    if api_version:
        return Address(root, f"?api-version={quote(api_version)}")
    if root.endswith("/models"):
        return Address(root, f"?api-version={DEFAULT_AI_INFERENCE_VERSION}")
    return Address(root, "")
