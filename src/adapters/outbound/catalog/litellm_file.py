"""LiteLLM-format price files (``model_prices_and_context_window.json``) -> model infos.

Each top-level key is a model name (``gpt-4o``, ``groq/llama-3.1-8b-instant``) mapped to
LiteLLM's fields; ``sample_spec`` documents the format and is skipped, as is any entry that
is not an object. Field meanings are LiteLLM's (``domain.catalog.info_from_fields``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from switchboard.domain.catalog import ModelInfo, info_from_fields

_NOT_MODELS = frozenset({"sample_spec"})

# LiteLLM's ``litellm_provider`` values that name a provider differently from model strings.
_PROVIDER_NAMES = {
    "bedrock_converse": "bedrock",
    "cohere_chat": "cohere",
    "text-completion-openai": "openai",
    "text-completion-codestral": "codestral",
}


def provider_name(litellm_provider: str) -> str:
    """The provider prefix of model strings for a ``litellm_provider`` value
    (``vertex_ai-language-models`` -> ``vertex_ai``)."""
    if litellm_provider.startswith("vertex_ai-"):
        return "vertex_ai"
    return _PROVIDER_NAMES.get(litellm_provider, litellm_provider)


def parse_litellm(data: Mapping[str, Any]) -> Iterator[ModelInfo]:
    """Every model entry of a LiteLLM-format mapping, in file order, with ``provider`` as
    model strings name it."""
    for name, fields in data.items():
        if name in _NOT_MODELS or not isinstance(fields, Mapping):
            continue
        info = info_from_fields(name, fields)
        if info.provider:
            info = replace(info, provider=provider_name(info.provider))
        yield info


def load_litellm_file(path: str | Path) -> list[ModelInfo]:
    """The model entries of the LiteLLM-format JSON file at ``path``.

    Raises ``OSError`` when it cannot be read and ``ValueError`` when it is not a JSON object.
    """
    data = orjson.loads(Path(path).read_bytes())
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a LiteLLM price file is a JSON object of model entries")
    return list(parse_litellm(data))
