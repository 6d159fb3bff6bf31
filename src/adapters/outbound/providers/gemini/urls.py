"""Gemini API endpoint URLs (pure).

Without ``api_base``: ``https://generativelanguage.googleapis.com/{api_version or v1beta}/models/
{model}:{method}``. A custom ``api_base`` is read as LiteLLM reads it, so configs carry over:

- a base such as ``https://proxy/v1beta``: ``https://proxy/v1beta/models/{model}:{method}``
- the model's own path, ``https://proxy/v1beta/models/gemini-2.5-flash`` (what older LiteLLM
  releases wanted): ``:{method}`` is appended, the model is not repeated
- a host only, ``https://proxy``: ``https://proxy/{api_version or v1beta}/models/{model}:{method}``

Streaming adds ``?alt=sse`` (server-sent events instead of one JSON array).
"""

from __future__ import annotations

from urllib.parse import urlsplit

GEMINI_API_BASE = "https://generativelanguage.googleapis.com"
DEFAULT_VERSION = "v1beta"


def model_id(model: str) -> str:
    """``models/gemini-2.5-flash`` and ``gemini-2.5-flash`` name the same model."""
    return model.removeprefix("models/")


def gemini_url(api_base: str | None, api_version: str | None, model: str, method: str) -> str:
    model = model_id(model)
    version = api_version or DEFAULT_VERSION
    if not api_base:
        prefix = f"{GEMINI_API_BASE}/{version}/models/{model}"
    else:
        base = api_base.rstrip("/")
        if base.endswith(f"/models/{model}"):
            prefix = base
        elif urlsplit(base).path in ("", "/"):
            prefix = f"{base}/{version}/models/{model}"
        else:
            prefix = f"{base}/models/{model}"
    return with_method(prefix, method)


def with_method(prefix: str, method: str) -> str:
    """``prefix:method``; the streaming method asks for server-sent events."""
    url = f"{prefix}:{method}"
    return url + "?alt=sse" if method == "streamGenerateContent" else url
