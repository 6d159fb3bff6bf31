"""The switchboard command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.bootstrap.cli import check_config, open_client

CONFIG = """
model_list:
  - model_name: mock
    litellm_params: {model: mock/mock, mock_response: "streamed reply here"}
"""


@pytest.fixture
def cli() -> click.Group:
    def serve(*args: object) -> None:
        raise AssertionError("serve is not under test here")

    return build_cli(CliServices(serve=serve, open_client=open_client, check_config=check_config, version="9"))


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG)
    return str(path)


def test_chat_streams_the_reply_to_the_terminal(cli: click.Group, config: str) -> None:
    result = CliRunner().invoke(cli, ["chat", "-c", config, "-m", "mock", "say", "hi"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "streamed reply here"


def test_chat_json_prints_the_whole_response(cli: click.Group, config: str) -> None:
    result = CliRunner().invoke(cli, ["chat", "-c", config, "-m", "mock", "--json", "hi"])
    assert json.loads(result.output)["choices"][0]["message"]["content"] == "streamed reply here"


def test_chat_with_an_unknown_model_exits_non_zero_with_the_reason(cli: click.Group, config: str) -> None:
    result = CliRunner().invoke(cli, ["chat", "-c", config, "-m", "nope", "hi"])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_models_json_lists_the_groups(cli: click.Group, config: str) -> None:
    result = CliRunner().invoke(cli, ["models", "-c", config, "--json"])
    assert json.loads(result.output) == ["mock"]


def test_config_check_reports_each_problem_with_its_path(cli: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a, rpm: lots}\n    extra: 1\n")
    result = CliRunner().invoke(cli, ["config", "check", str(path), "--json"])
    assert result.exit_code == 1
    problems = {(p["path"], p["severity"]) for p in json.loads(result.output)}
    assert problems == {("model_list[0].extra", "warning"), ("model_list[0].litellm_params.rpm", "error")}


def test_config_check_of_a_good_file_says_ok(cli: click.Group, config: str) -> None:
    result = CliRunner().invoke(cli, ["config", "check", config])
    assert result.exit_code == 0
    assert "ok" in result.output
