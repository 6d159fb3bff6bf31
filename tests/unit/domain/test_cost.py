"""The cost policy: USD from usage and per-token prices."""

from __future__ import annotations

import pytest

from switchboard.domain.catalog import Prices, PriceTier
from switchboard.domain.cost import embedding_cost, usage_cost
from switchboard.domain.embeddings import EmbeddingUsage
from switchboard.domain.usage import CompletionTokensDetails, PromptTokensDetails, Usage

PRICES = Prices(input=2e-6, output=8e-6, cached_input=0.5e-6, cache_write=2.5e-6)


def test_plain_tokens_cost_their_input_and_output_rates() -> None:
    assert usage_cost(Usage.of(1000, 100), PRICES) == pytest.approx(1000 * 2e-6 + 100 * 8e-6)


def test_cached_prompt_tokens_cost_the_cached_rate() -> None:
    cost = usage_cost(Usage.of(1000, 0, cached=600), PRICES)
    assert cost == pytest.approx(400 * 2e-6 + 600 * 0.5e-6)


def test_tokens_written_to_the_cache_cost_the_cache_write_rate() -> None:
    cost = usage_cost(Usage.of(1000, 0, cached=100, cache_creation=300), PRICES)
    assert cost == pytest.approx(600 * 2e-6 + 100 * 0.5e-6 + 300 * 2.5e-6)


def test_cached_tokens_cost_the_input_rate_when_the_model_has_no_cached_rate() -> None:
    assert usage_cost(Usage.of(1000, 0, cached=600), Prices(input=2e-6, output=8e-6)) == pytest.approx(1000 * 2e-6)


def test_reasoning_tokens_are_output_tokens() -> None:
    assert usage_cost(Usage.of(0, 500, reasoning=400), PRICES) == pytest.approx(500 * 8e-6)


def test_reasoning_tokens_cost_their_own_rate_when_the_model_has_one() -> None:
    prices = Prices(input=1e-6, output=4e-6, reasoning=10e-6)
    assert usage_cost(Usage.of(0, 500, reasoning=400), prices) == pytest.approx(100 * 4e-6 + 400 * 10e-6)


def test_audio_tokens_cost_the_audio_rates_when_the_model_has_them() -> None:
    prices = Prices(input=1e-6, output=2e-6, input_audio=10e-6, output_audio=20e-6)
    usage = Usage(
        prompt_tokens=100,
        completion_tokens=50,
        total_tokens=150,
        prompt_tokens_details=PromptTokensDetails(audio_tokens=40),
        completion_tokens_details=CompletionTokensDetails(audio_tokens=30),
    )
    assert usage_cost(usage, prices) == pytest.approx(60 * 1e-6 + 40 * 10e-6 + 20 * 2e-6 + 30 * 20e-6)


def test_a_cost_needing_an_unknown_price_is_unknown() -> None:
    assert usage_cost(Usage.of(10, 10), Prices(input=1e-6)) is None


def test_tokens_that_were_not_used_need_no_price() -> None:
    assert usage_cost(Usage.of(10, 0), Prices(input=1e-6)) == pytest.approx(10e-6)


def test_a_free_model_costs_nothing() -> None:
    assert usage_cost(Usage.of(10, 10), Prices(input=0.0, output=0.0)) == 0.0


def test_long_prompts_cost_the_tier_above_their_length() -> None:
    prices = Prices(input=1e-6, output=10e-6, tiers=(PriceTier(200_000, input=2e-6, output=15e-6),))
    assert usage_cost(Usage.of(200_000, 10), prices) == pytest.approx(200_000 * 1e-6 + 10 * 10e-6)
    assert usage_cost(Usage.of(200_001, 10), prices) == pytest.approx(200_001 * 2e-6 + 10 * 15e-6)


def test_the_highest_tier_passed_applies() -> None:
    prices = Prices(input=1e-6, output=1e-6, tiers=(PriceTier(128_000, input=2e-6), PriceTier(200_000, input=3e-6)))
    assert usage_cost(Usage.of(300_000, 0), prices) == pytest.approx(300_000 * 3e-6)


def test_embeddings_cost_their_input_tokens() -> None:
    usage = EmbeddingUsage(prompt_tokens=1000, total_tokens=1000)
    assert embedding_cost(usage, Prices(input=0.02e-6)) == pytest.approx(1000 * 0.02e-6)


def test_embeddings_without_an_input_price_cost_is_unknown() -> None:
    assert embedding_cost(EmbeddingUsage(prompt_tokens=5, total_tokens=5), Prices(output=1e-6)) is None
