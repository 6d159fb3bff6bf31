"""Model strings, wildcard deployments and the weighted pick."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from switchboard.domain.deployments import Deployment, split_model
from switchboard.domain.ports.randomness import RandomSource
from switchboard.domain.routing import weighted_pick

KNOWN = {"openai", "anthropic", "bedrock", "mock"}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("anthropic/claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        (
            "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
            ("bedrock", "anthropic.claude-3-haiku-20240307-v1:0"),
        ),
        ("gpt-4o", ("openai", "gpt-4o")),
        ("claude-3-5-haiku", ("anthropic", "claude-3-5-haiku")),
        ("gemini-2.5-flash", ("gemini", "gemini-2.5-flash")),
        ("anthropic.claude-3-haiku-20240307-v1:0", ("bedrock", "anthropic.claude-3-haiku-20240307-v1:0")),
        ("us.amazon.nova-pro-v1:0", ("bedrock", "us.amazon.nova-pro-v1:0")),
        ("mistral.mistral-large-2407-v1:0", ("bedrock", "mistral.mistral-large-2407-v1:0")),
        ("mistral-large-latest", ("mistral", "mistral-large-latest")),
    ],
)
def test_model_strings_name_their_provider(model: str, expected: tuple[str, str]) -> None:
    assert split_model(model, KNOWN) == expected


def test_an_unknown_bare_name_asks_for_a_provider_prefix() -> None:
    with pytest.raises(ValueError, match="provider/model"):
        split_model("llama-3-8b", KNOWN)


def test_a_prefix_wildcard_binds_the_requested_model() -> None:
    wildcard = Deployment(id="w", model_name="openai/*", provider="openai", model="*")
    bound = wildcard.for_model("openai/gpt-4o")
    assert (bound.model, bound.model_name) == ("gpt-4o", "openai/gpt-4o")


def test_a_catch_all_wildcard_serves_any_name_as_itself() -> None:
    wildcard = Deployment(id="w", model_name="*", provider="openai", model="*")
    assert wildcard.for_model("gpt-4o-mini").model == "gpt-4o-mini"


def test_a_deployment_key_never_shows_in_its_repr() -> None:
    deployment = Deployment(id="d", model_name="m", provider="openai", model="m", api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(deployment)
    assert deployment.key == "sk-very-secret"


class SeededRandom(RandomSource):
    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def random(self) -> float:
        return self._random.random()


def test_weighted_pick_follows_the_weights() -> None:
    heavy = Deployment(id="heavy", model_name="m", provider="p", model="m", weight=3)
    light = Deployment(id="light", model_name="m", provider="p", model="m", weight=1)
    rng = SeededRandom(7)
    picks = Counter(weighted_pick([heavy, light], rng).id for _ in range(4000))
    assert 2850 < picks["heavy"] < 3150  # 3000 expected; the seed makes this exact run repeatable


def test_rpm_stands_in_for_a_missing_weight() -> None:
    busy = Deployment(id="busy", model_name="m", provider="p", model="m", rpm=900)
    small = Deployment(id="small", model_name="m", provider="p", model="m", rpm=100)
    picks = Counter(weighted_pick([busy, small], SeededRandom(1)).id for _ in range(2000))
    assert picks["busy"] > 1700
