"""The in-memory catalog: the curated table, LiteLLM-format files, and lookup order."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from switchboard.adapters.outbound.catalog import (
    Layer,
    StaticModelCatalog,
    curated_models,
    load_litellm_file,
    parse_litellm,
)
from switchboard.adapters.outbound.catalog.curated import parse_curated
from switchboard.domain.catalog import ModelInfo, Prices
from switchboard.domain.deployments import Deployment

LITELLM_FILE = Path(os.environ.get("SWITCHBOARD_PRICE_FILE", "/work/shared/data/model_prices_and_context_window.json"))


def priced(name: str, provider: str | None, price: float) -> tuple[str | None, ModelInfo]:
    return provider, ModelInfo(name=name, provider=provider, prices=Prices(input=price, output=price))


def deployment(provider: str, model: str, **model_info: Any) -> Deployment:
    return Deployment(id="d", model_name="g", provider=provider, model=model, model_info=model_info)


def price_of(catalog: StaticModelCatalog, d: Deployment) -> float | None:
    info = catalog.info(d)
    return info.prices.input if info else None


@pytest.fixture(scope="module")
def litellm_file() -> dict[str, Any]:
    if not LITELLM_FILE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{LITELLM_FILE} is missing; CI needs a LiteLLM price file to test the loader")
        pytest.skip(f"{LITELLM_FILE} is not on this machine")
    data: dict[str, Any] = json.loads(LITELLM_FILE.read_text())
    return data


@pytest.fixture(scope="module")
def loaded(litellm_file: dict[str, Any]) -> list[ModelInfo]:
    return load_litellm_file(LITELLM_FILE)


def test_a_model_is_found_under_its_provider_before_its_bare_name() -> None:
    catalog = StaticModelCatalog([Layer([priced("m", "acme", 1.0), priced("m", "other", 2.0)])])
    assert price_of(catalog, deployment("other", "m")) == 2.0
    assert price_of(catalog, deployment("unknown", "m")) == 1.0


def test_a_provider_prefixed_model_is_found_by_its_full_name() -> None:
    catalog = StaticModelCatalog([Layer([priced("gpt-4o", "openai", 3.0)])])
    assert price_of(catalog, deployment("openrouter", "openai/gpt-4o")) == 3.0


def test_base_model_names_the_model_to_price() -> None:
    catalog = StaticModelCatalog([Layer([priced("gpt-4o", "openai", 3.0), priced("my-ft", "azure", 9.0)])])
    assert price_of(catalog, deployment("azure", "my-ft", base_model="gpt-4o")) == 3.0


def test_an_earlier_layer_wins() -> None:
    catalog = StaticModelCatalog([Layer([priced("m", None, 5.0)]), Layer([priced("m", "acme", 1.0)])])
    assert price_of(catalog, deployment("acme", "m")) == 5.0


def test_an_unknown_model_is_none() -> None:
    assert StaticModelCatalog([Layer(curated_models())]).info(deployment("acme", "no-such-model")) is None


def test_aliases_share_their_models_facts() -> None:
    text = json.dumps(
        {
            "$comment": "",
            "unit": "USD per 1M tokens",
            "sources": {},
            "providers": {"acme": {"m": {"price": {"input": 2, "output": 4}, "aliases": ["m-2025"]}}},
        }
    )
    (_, main), (_, alias) = parse_curated(text)
    assert (alias.name, alias.prices, alias.provider) == ("m-2025", main.prices, "acme")


def test_curated_prices_are_per_token() -> None:
    text = json.dumps(
        {
            "$comment": "",
            "unit": "USD per 1M tokens",
            "sources": {},
            "providers": {"acme": {"m": {"price": {"input": 2.5, "above": {"1000": {"input": 5}}}}}},
        }
    )
    ((_, info),) = parse_curated(text)
    assert info.prices.input == pytest.approx(2.5e-6)
    assert info.prices.tiers[0].above_tokens == 1000
    assert info.prices.tiers[0].input == pytest.approx(5e-6)


def test_the_curated_table_prices_every_chat_model_both_ways() -> None:
    unpriced = [
        i.name for _, i in curated_models() if i.mode == "chat" and (i.prices.input is None or i.prices.output is None)
    ]
    assert unpriced == []


def test_curated_cache_reads_cost_less_than_fresh_input() -> None:
    dearer = [
        i.name
        for _, i in curated_models()
        if i.prices.cached_input is not None and i.prices.input is not None and i.prices.cached_input >= i.prices.input
    ]
    assert dearer == []


def test_curated_limits_are_set_for_every_chat_model() -> None:
    assert [i.name for _, i in curated_models() if i.mode == "chat" and not i.max_input_tokens] == []


def test_litellm_entries_that_are_not_models_are_skipped() -> None:
    infos = list(parse_litellm({"sample_spec": {"input_cost_per_token": 0}, "note": "x", "m": {"mode": "chat"}}))
    assert [i.name for i in infos] == ["m"]


def test_litellm_provider_names_become_model_string_prefixes() -> None:
    infos = list(
        parse_litellm(
            {
                "a": {"litellm_provider": "vertex_ai-language-models"},
                "b": {"litellm_provider": "bedrock_converse"},
                "c": {"litellm_provider": "groq"},
            }
        )
    )
    assert [i.provider for i in infos] == ["vertex_ai", "bedrock", "groq"]


def test_the_litellm_loader_reads_every_model_of_a_real_file(
    litellm_file: dict[str, Any], loaded: list[ModelInfo]
) -> None:
    infos = loaded
    expected = [k for k, v in litellm_file.items() if k != "sample_spec" and isinstance(v, dict)]
    assert [i.name for i in infos] == expected


def test_the_litellm_loader_keeps_every_price_and_limit_of_a_real_file(
    litellm_file: dict[str, Any], loaded: list[ModelInfo]
) -> None:
    wrong = []
    for info in loaded:
        raw = litellm_file[info.name]
        seen = (info.prices.input, info.prices.output, info.prices.cached_input, info.max_input_tokens)
        want = (
            raw.get("input_cost_per_token"),
            raw.get("output_cost_per_token"),
            raw.get("cache_read_input_token_cost"),
            raw.get("max_input_tokens") if isinstance(raw.get("max_input_tokens"), int) else None,
        )
        if seen != want:
            wrong.append((info.name, seen, want))
    assert wrong == []


def test_a_real_file_prices_deployments_through_the_catalog(
    litellm_file: dict[str, Any], loaded: list[ModelInfo]
) -> None:
    name, raw = next(
        (k, v)
        for k, v in litellm_file.items()
        if isinstance(v, dict) and v.get("litellm_provider") == "openai" and v.get("input_cost_per_token")
    )
    catalog = StaticModelCatalog([Layer((i.provider, i) for i in loaded)])
    assert price_of(catalog, deployment("openai", name)) == raw["input_cost_per_token"]
