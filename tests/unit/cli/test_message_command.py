"""``switchboard message`` on the mock model (translated: the mock does not speak Messages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.bootstrap.cli import check_config, open_client

CONFIG = {"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m", "mock_response": "Canned."}}]}


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG))
    return str(path)


def run(*args: str) -> tuple[int, str]:
    cli = build_cli(CliServices(serve=lambda *a: None, open_client=open_client, check_config=check_config))
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_message_streams_the_reply(config: str) -> None:
    assert run("message", "-c", config, "-m", "m", "-s", "Be brief.", "Hello", "there") == (0, "Canned.\n")


def test_message_json_prints_the_anthropic_message(config: str) -> None:
    code, output = run("message", "-c", config, "-m", "m", "--json", "x")
    reply = json.loads(output)
    assert code == 0 and reply["type"] == "message" and reply["content"][0]["text"] == "Canned."


def test_an_unknown_model_is_an_error_line(config: str) -> None:
    cli = build_cli(CliServices(serve=lambda *a: None, open_client=open_client, check_config=check_config))
    result = CliRunner().invoke(cli, ["message", "-c", config, "-m", "nope", "x"])
    assert result.exit_code == 1 and "error" in result.output
