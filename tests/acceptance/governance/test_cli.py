"""``switchboard keys|teams|users|orgs|budgets|spend|db`` against a database file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.adapters.inbound.cli.management import ManagementServices, build_management
from switchboard.bootstrap.cli import open_governance, upgrade_database


def _not_here(*_: object) -> Any:
    raise AssertionError("only the management commands are under test here")


@pytest.fixture
def cli() -> click.Group:
    group = build_cli(CliServices(serve=_not_here, open_client=_not_here, check_config=_not_here))
    build_management(ManagementServices(open=open_governance, upgrade=upgrade_database), group)
    return group


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "config.yaml"
    settings = {
        "general_settings": {
            "master_key": "sk-m",
            "database_url": f"sqlite:///{tmp_path}/cli.db",
            "auto_migrate": False,
        }
    }
    path.write_text(
        yaml.safe_dump({"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/mock"}}], **settings})
    )
    return str(path)


def run(cli: click.Group, *args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_the_cli_manages_the_database(cli: click.Group, config: str) -> None:
    assert "up to date" in run(cli, "db", "upgrade", "--config", config)
    run(cli, "orgs", "new", "--config", config, "--id", "acme", "--json")
    run(cli, "budgets", "new", "--config", config, "--id", "small", "--max-budget", "5", "--json")
    user = run(cli, "users", "new", "--config", config, "--id", "ann", "--role", "internal_user", "--json")
    assert user["key"].startswith("sk-")
    team = run(cli, "teams", "new", "--config", config, "--id", "core", "--org", "acme", "--admin", "ann", "--json")
    assert team["members"] == [{"user_id": "ann", "role": "admin"}]
    run(cli, "teams", "member-add", "--config", config, "core", "bob", "--json")
    key = run(
        cli,
        "keys",
        "generate",
        "--config",
        config,
        "--team",
        "core",
        "--models",
        "m,n",
        "--rpm",
        "5",
        "--metadata",
        '{"app": "x"}',
        "--json",
    )
    assert (key["models"], key["rpm_limit"], key["metadata"]) == (["m", "n"], 5, {"app": "x"})
    listed = run(cli, "keys", "list", "--config", config, "--team", "core", "--json")
    assert [k["token"] for k in listed["items"]] == [key["token"]]
    assert run(cli, "keys", "block", "--config", config, key["key"], "--json")["blocked"] is True
    updated = run(cli, "keys", "update", "--config", config, key["token"], "--max-budget", "2", "--json")
    assert updated["max_budget"] == 2
    assert [t["team_id"] for t in run(cli, "teams", "list", "--config", config, "--json")["items"]] == ["core"]
    assert run(cli, "spend", "logs", "--config", config, "--json")["items"] == []
    assert run(cli, "spend", "report", "--config", config, "--group-by", "model", "--json") == []
    table = run(cli, "keys", "list", "--config", config)
    assert key["key_name"] in table


def test_errors_are_one_line_and_exit_1(cli: click.Group, config: str) -> None:
    run(cli, "db", "upgrade", "--config", config)
    result = CliRunner().invoke(cli, ["keys", "info", "--config", config, "sk-nope"])
    assert result.exit_code == 1
    assert "No such key" in result.output
    bad = CliRunner().invoke(cli, ["keys", "generate", "--config", config, "--budget-duration", "forever"])
    assert bad.exit_code == 1
    assert "budget_duration" in bad.output
