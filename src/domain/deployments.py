"""Deployments: one upstream model behind one provider account, and how callers name them.

A deployment is what a ``model_list`` entry describes. Entries that share a ``model_name`` form a
model group; the router picks one deployment of the group per attempt.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from switchboard.domain.errors import BadRequest


class Deployment(BaseModel):
    """One upstream target. ``params`` holds every other ``litellm_params`` entry, unchanged."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    model_name: str
    provider: str
    model: str
    api_base: str | None = None
    api_key: SecretStr | None = None
    api_version: str | None = None
    params: Mapping[str, Any] = Field(default_factory=dict)
    model_info: Mapping[str, Any] = Field(default_factory=dict)
    rpm: int | None = None
    tpm: int | None = None
    weight: float | None = None
    order: int | None = None
    tags: tuple[str, ...] = ()
    timeout: float | None = None
    stream_timeout: float | None = None
    max_parallel_requests: int | None = None
    drop_params: bool | None = None
    # ``model: "*"``: the provider comes from each requested name, one of these (LiteLLM's quick start)
    any_provider: frozenset[str] = frozenset()
    num_retries: int | None = None  # retries of a failed attempt on this deployment (else the router's)

    @property
    def key(self) -> str:
        """The API key in clear, or an empty string. Only adapters building a request call this."""
        return self.api_key.get_secret_value() if self.api_key else ""

    @property
    def is_wildcard(self) -> bool:
        return self.model_name.endswith("*")

    def for_model(self, requested: str) -> Deployment:
        """This wildcard deployment bound to a concrete requested model name.

        ``openai/*`` with upstream ``openai/*`` serves ``openai/gpt-4o`` as upstream ``gpt-4o``;
        ``*`` serves any name as itself.
        """
        if not self.is_wildcard:
            return self
        if self.any_provider:
            try:
                provider, model = split_model(requested, self.any_provider)
            except ValueError as exc:
                raise BadRequest(str(exc), param="model", code="model_not_found") from None
            return self.model_copy(update={"provider": provider, "model": model, "model_name": requested})
        prefix = self.model_name[:-1]
        tail = requested[len(prefix) :]
        upstream = self.model[:-1] + tail if self.model.endswith("*") else self.model
        return self.model_copy(update={"model": upstream, "model_name": requested})


# Bedrock model ids are ``[region.]vendor.model`` (``anthropic.claude-…``, ``us.amazon.nova-pro-v1:0``);
# the dot tells them apart from the vendors' own names (``mistral-large`` is Mistral's API).
_BEDROCK_VENDORS = ("anthropic.", "amazon.", "cohere.", "meta.", "mistral.", "ai21.", "deepseek.", "writer.")
_BEDROCK_REGIONS = ("", "us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca.")

# Bare model names whose provider is well known. Checked in order: first match wins.
_WELL_KNOWN_PREFIXES: tuple[tuple[str, str], ...] = (
    *((region + vendor, "bedrock") for region in _BEDROCK_REGIONS for vendor in _BEDROCK_VENDORS),
    ("gpt-", "openai"),
    ("chatgpt-", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("text-embedding-", "openai"),
    ("dall-e", "openai"),
    ("gpt-image", "openai"),
    ("whisper", "openai"),
    ("tts-", "openai"),
    ("davinci", "openai"),
    ("babbage", "openai"),
    ("claude", "anthropic"),
    ("gemini", "gemini"),
    ("command", "cohere"),
    ("embed-", "cohere"),
    ("mistral", "mistral"),
    ("codestral", "mistral"),
    ("magistral", "mistral"),
    ("ministral", "mistral"),
    ("pixtral", "mistral"),
    ("devstral", "mistral"),
    ("open-mistral", "mistral"),
    ("open-mixtral", "mistral"),
    ("mock", "mock"),
)


def split_model(model: str, known_providers: Container[str]) -> tuple[str, str]:
    """``provider/model`` into its parts; a bare well-known name infers its provider.

    ``anthropic/claude-sonnet-4-5`` -> (``anthropic``, ``claude-sonnet-4-5``);
    ``bedrock/anthropic.claude-3-haiku`` -> (``bedrock``, ``anthropic.claude-3-haiku``);
    ``gpt-4o`` -> (``openai``, ``gpt-4o``). An unknown bare name raises ``ValueError``.
    """
    head, sep, tail = model.partition("/")
    if sep and head in known_providers:
        return head, tail
    lowered = model.lower()
    for prefix, provider in _WELL_KNOWN_PREFIXES:
        if lowered.startswith(prefix):
            return provider, model
    if sep and isinstance(known_providers, Iterable):
        supported = ", ".join(f"{name}/" for name in sorted(known_providers))
        raise ValueError(f"provider {head!r} is not supported by Switchboard; supported prefixes: {supported}")
    raise ValueError(f"cannot tell the provider of model {model!r}; write it as 'provider/model'")


ANY_PROVIDER = "*"  # ``model: "*"``: the provider is taken from each requested model name
