"""supported_params answers with the adapters' own rules, as the gateway enforces them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from switchboard import supported_params
from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.bootstrap.cli import check_config, open_client
from switchboard.bootstrap.cli import supported_params as cli_lookup


def test_a_provider_prefixed_model_is_answered_by_that_provider() -> None:
    assert "temperature" in supported_params("openai/gpt-4o")
    assert "temperature" not in supported_params("openai/o3-mini")


def test_the_provider_can_be_given_apart_from_the_model() -> None:
    assert supported_params("gpt-4o", provider="openai") == supported_params("openai/gpt-4o")


def test_base_parameters_are_not_listed() -> None:
    assert not {"model", "messages", "stream"} & supported_params("gpt-4o")


def test_a_model_without_a_known_provider_is_refused() -> None:
    with pytest.raises(ValueError, match="provider/model"):
        supported_params("llama-3-8b")


def test_the_cli_prints_the_parameters_as_json() -> None:
    cli = build_cli(
        CliServices(
            serve=lambda *a: None, open_client=open_client, check_config=check_config, supported_params=cli_lookup
        )
    )
    result = CliRunner().invoke(cli, ["params", "anthropic/claude-opus-4-7", "--json"])
    assert result.exit_code == 0, result.output
    names = json.loads(result.output)
    assert "tools" in names
    assert "temperature" not in names
