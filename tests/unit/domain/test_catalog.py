"""Model infos from LiteLLM's field names: price files and ``model_info`` overrides."""

from __future__ import annotations

from switchboard.domain.catalog import ModelInfo, Prices, PriceTier, describes_a_model, info_from_fields, with_overrides

BASE = ModelInfo(
    name="m",
    provider="acme",
    max_input_tokens=1000,
    max_output_tokens=100,
    prices=Prices(input=1e-6, output=2e-6),
    capabilities=frozenset({"tools", "vision"}),
)


def test_litellm_fields_become_prices_limits_and_capabilities() -> None:
    info = info_from_fields(
        "gpt-x",
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 2.5e-06,
            "output_cost_per_token": 1e-05,
            "cache_read_input_token_cost": 1.25e-06,
            "cache_creation_input_token_cost": 3e-06,
            "max_input_tokens": 128000,
            "max_output_tokens": 16384,
            "supports_function_calling": True,
            "supports_response_schema": True,
            "supports_vision": True,
            "supports_reasoning": False,
        },
    )
    assert info == ModelInfo(
        name="gpt-x",
        provider="openai",
        mode="chat",
        max_input_tokens=128000,
        max_output_tokens=16384,
        prices=Prices(input=2.5e-06, output=1e-05, cached_input=1.25e-06, cache_write=3e-06),
        capabilities=frozenset({"tools", "json_schema", "vision"}),
    )


def test_prices_above_a_prompt_length_become_tiers() -> None:
    info = info_from_fields(
        "g",
        {
            "input_cost_per_token": 1e-6,
            "input_cost_per_token_above_200k_tokens": 2e-6,
            "output_cost_per_token_above_200k_tokens": 3e-6,
        },
    )
    assert info.prices.tiers == (PriceTier(200_000, input=2e-6, output=3e-6),)


def test_litellms_image_generation_mode_is_image() -> None:
    assert info_from_fields("d", {"mode": "image_generation"}).mode == "image"


def test_an_override_replaces_only_the_fields_it_names() -> None:
    info = with_overrides(BASE, {"input_cost_per_token": 5e-6, "max_input_tokens": 2000})
    assert info.prices == Prices(input=5e-6, output=2e-6)
    assert (info.max_input_tokens, info.max_output_tokens) == (2000, 100)


def test_legacy_max_tokens_sets_the_output_limit() -> None:
    assert with_overrides(BASE, {"max_tokens": 50}).max_output_tokens == 50


def test_max_output_tokens_wins_over_legacy_max_tokens() -> None:
    assert with_overrides(BASE, {"max_tokens": 50, "max_output_tokens": 70}).max_output_tokens == 70


def test_a_false_supports_flag_removes_the_capability() -> None:
    info = with_overrides(BASE, {"supports_vision": False, "supports_reasoning": True})
    assert info.capabilities == {"tools", "reasoning"}


def test_fields_without_meaning_for_the_catalog_change_nothing() -> None:
    assert with_overrides(BASE, {"id": "dep-1", "description": "prod"}) is BASE


def test_prices_given_as_strings_are_read() -> None:
    assert with_overrides(BASE, {"output_cost_per_token": "4e-6"}).prices.output == 4e-6


def test_only_prices_limits_and_capabilities_describe_a_model() -> None:
    assert not describes_a_model({"id": "x", "base_model": "gpt-4o"})
    assert describes_a_model({"supports_vision": True})
    assert describes_a_model({"input_cost_per_token": 0})
