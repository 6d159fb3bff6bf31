"""Prices from configuration (``litellm_settings.model_cost_map``) and ``completion_cost``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from switchboard import Client, completion_cost
from switchboard.bootstrap.catalog import build_catalog
from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings
from switchboard.domain.chat import ChatResponse, RouteInfo
from switchboard.domain.deployments import Deployment

CURATED = Path(__file__).parents[3] / "src/adapters/outbound/catalog/models.json"
FILE_PRICES = {"mock/custom": {"litellm_provider": "mock", "input_cost_per_token": 1e-6, "output_cost_per_token": 3e-6}}


def response(model: str, prompt: int, completion: int, *, cost: float | None = None) -> ChatResponse:
    return ChatResponse.model_validate(
        {
            "id": "r",
            "created": 1,
            "model": model,
            "choices": [{"message": {"content": "x"}}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }
    ).model_copy(update={"route": RouteInfo(cost=cost) if cost is not None else None})


def write_config(directory: Path, cost_map: Any) -> Path:
    path = directory / "config.yaml"
    config = {
        "model_list": [{"model_name": "custom", "litellm_params": {"model": "mock/custom", "mock_response": "a b c"}}],
        "litellm_settings": {"model_cost_map": cost_map},
    }
    path.write_text(yaml.safe_dump(config))
    return path


def test_completion_cost_is_the_cost_the_gateway_already_worked_out() -> None:
    assert completion_cost(response("whatever", 10, 10, cost=0.25)) == 0.25


def test_completion_cost_prices_other_responses_with_the_curated_table() -> None:
    price = json.loads(CURATED.read_text())["providers"]["openai"]["gpt-4o-mini"]["price"]
    expected = (1000 * price["input"] + 200 * price["output"]) / 1_000_000
    assert completion_cost(response("gpt-4o-mini", 1000, 200)) == pytest.approx(expected)


def test_completion_cost_prices_a_provider_prefixed_model() -> None:
    price = json.loads(CURATED.read_text())["providers"]["groq"]["llama-3.1-8b-instant"]["price"]
    expected = (100 * price["input"] + 100 * price["output"]) / 1_000_000
    assert completion_cost(response("x", 100, 100), model="groq/llama-3.1-8b-instant") == pytest.approx(expected)


def test_completion_cost_of_an_unknown_model_is_an_error() -> None:
    with pytest.raises(ValueError, match="no-such-model"):
        completion_cost(response("no-such-model", 1, 1))


def test_a_cost_map_file_prices_models_the_curated_table_lacks(tmp_path: Path) -> None:
    (tmp_path / "prices.json").write_text(json.dumps(FILE_PRICES))
    settings = load_settings(write_config(tmp_path, "prices.json"), known_providers())
    info = build_catalog(settings.model_cost_map).info(settings.deployments[0])
    assert info is not None and info.prices.output == 3e-6


def test_a_cost_map_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "prices.json").write_text(json.dumps(FILE_PRICES))
    settings = load_settings(write_config(tmp_path, "prices.json"), known_providers())
    assert settings.model_cost_map == tmp_path / "prices.json"


def test_a_missing_cost_map_file_is_a_config_problem(tmp_path: Path) -> None:
    loaded, problems = check_config(write_config(tmp_path, "missing.json"), known_providers=known_providers())
    assert loaded is None
    assert [(p.path, p.severity) for p in problems] == [("litellm_settings.model_cost_map", "error")]


def test_cost_map_entries_win_over_the_curated_table() -> None:
    catalog = build_catalog({"gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 9e-6}})
    info = catalog.info(Deployment(id="d", model_name="g", provider="openai", model="gpt-4o"))
    assert info is not None and info.prices.input == 9e-6


def test_the_facade_prices_answers_with_the_configured_file(tmp_path: Path) -> None:
    (tmp_path / "prices.json").write_text(json.dumps(FILE_PRICES))
    client = Client(write_config(tmp_path, "prices.json"))
    try:
        answer = client.chat(model="custom", messages=[{"role": "user", "content": "hi"}])
    finally:
        client.close()
    assert answer.usage is not None
    expected = answer.usage.prompt_tokens * 1e-6 + answer.usage.completion_tokens * 3e-6
    assert completion_cost(answer) == pytest.approx(expected)
