"""``supported_params(model, provider=None)``: which OpenAI parameters a provider accepts for a
model, answered by the provider's own declaration (the same answer the gateway enforces)."""

from __future__ import annotations

from switchboard.bootstrap.providers import declarations, known_providers
from switchboard.domain.deployments import split_model
from switchboard.domain.params import BASE_CHAT_PARAMS


def supported_params(model: str, provider: str | None = None) -> frozenset[str]:
    """The OpenAI chat parameters ``provider`` (or the one ``model`` names, as in
    ``anthropic/claude-sonnet-4-5``) accepts for ``model``, besides model, messages and stream.

    Raises ``ValueError`` for a model whose provider cannot be told, and ``BadRequest`` for an
    unknown provider or one without chat completions.
    """
    if provider is None:
        provider, model = split_model(model, known_providers())
    return declarations().chat_params(provider, model) - BASE_CHAT_PARAMS
