from __future__ import annotations

import pytest

from switchboard.domain.deployments import split_model

KNOWN = frozenset({"openai", "cohere", "mistral", "ollama", "ollama_chat"})


@pytest.mark.parametrize(
    ("model", "provider"),
    [
        ("command-a-03-2025", "cohere"),
        ("embed-v4.0", "cohere"),
        ("mistral-large-latest", "mistral"),
        ("codestral-latest", "mistral"),
        ("magistral-medium-latest", "mistral"),
        ("ministral-8b-latest", "mistral"),
        ("pixtral-large-latest", "mistral"),
        ("devstral-small-latest", "mistral"),
        ("open-mistral-nemo", "mistral"),
    ],
)
def test_bare_cohere_and_mistral_model_names_infer_their_provider(model: str, provider: str) -> None:
    assert split_model(model, KNOWN) == (provider, model)


@pytest.mark.parametrize("prefix", ["ollama", "ollama_chat"])
def test_ollama_models_are_named_with_their_provider(prefix: str) -> None:
    assert split_model(f"{prefix}/llama3.2:3b", KNOWN) == (prefix, "llama3.2:3b")
