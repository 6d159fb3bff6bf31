"""Optional extras: a setting whose extra is not installed is a configuration problem at that
setting, naming the extra to install; the facade's defaults need none."""

from __future__ import annotations

import sys

import pytest

from switchboard.bootstrap.config.check import check_config, load_config
from switchboard.bootstrap.config.extras import (
    REDIS,
    SERVER,
    MissingExtra,
    extras_problems,
    installed,
    require,
)
from switchboard.bootstrap.config.problems import ConfigError
from switchboard.bootstrap.config.schema import Config


def _nothing_installed(_module: str) -> bool:
    return False


def test_the_default_configuration_needs_no_extra() -> None:
    assert extras_problems(Config(), environ={}, available=_nothing_installed) == []


def test_a_redis_url_without_the_redis_extra_is_a_problem_at_that_setting() -> None:
    config = Config.model_validate({"general_settings": {"redis_url": "redis://127.0.0.1:6379/0"}})

    [problem] = extras_problems(config, environ={}, available=lambda module: module != "redis")

    assert problem.path == "general_settings.redis_url"
    assert "`redis` extra" in problem.message
    assert "pip install 'switchboard-gateway[redis]'" in problem.message


def test_a_master_key_needs_the_database_extra() -> None:
    config = Config.model_validate({"general_settings": {"master_key": "sk-master"}})

    [problem] = extras_problems(config, environ={}, available=lambda module: module != "alembic")

    assert problem.path == "general_settings.master_key"
    assert "`db` extra (alembic not installed)" in problem.message


def test_a_postgres_database_needs_the_postgres_extra() -> None:
    config = Config.model_validate(
        {"general_settings": {"master_key": "sk-master", "database_url": "postgresql://db/switchboard"}}
    )

    problems = extras_problems(config, environ={}, available=lambda module: module != "asyncpg")

    assert [(p.path, "`postgres` extra" in p.message) for p in problems] == [("general_settings.database_url", True)]


def test_a_prometheus_callback_needs_the_prometheus_extra() -> None:
    config = Config.model_validate({"litellm_settings": {"callbacks": ["prometheus"]}})

    [problem] = extras_problems(config, environ={}, available=lambda module: module != "prometheus_client")

    assert problem.path == "litellm_settings.callbacks[0]"
    assert "`prometheus` extra" in problem.message


def test_check_config_reports_a_missing_extra_as_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if redis were not installed

    loaded, problems = check_config({"router_settings": {"redis_host": "127.0.0.1"}}, environ={})

    assert loaded is None
    assert [(p.path, p.severity) for p in problems] == [("router_settings.redis_host", "error")]


def test_load_config_refuses_to_start_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)

    with pytest.raises(ConfigError, match=r"switchboard-gateway\[redis\]"):
        load_config({"general_settings": {"redis_url": "redis://127.0.0.1:6379/0"}}, environ={})


def test_require_names_the_extra_of_a_missing_feature() -> None:
    with pytest.raises(MissingExtra, match=r"`switchboard serve` needs the `server` extra") as raised:
        require(SERVER, "`switchboard serve`", available=lambda module: module != "litestar")

    assert raised.value.extra is SERVER


def test_require_passes_when_the_extra_is_installed() -> None:
    require(REDIS, "Shared state in Redis")  # the dev install has every extra


def test_installed_tells_a_blocked_module_from_a_present_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert installed("json")
    monkeypatch.setitem(sys.modules, "json", None)
    assert not installed("json")
    assert not installed("no_such_module_anywhere")


def test_a_redis_cache_needs_the_redis_extra() -> None:
    config = Config.model_validate({"litellm_settings": {"cache": True, "cache_params": {"type": "redis"}}})

    [problem] = extras_problems(config, environ={}, available=lambda module: module != "redis")

    assert problem.path == "litellm_settings.cache_params.type"


def test_a_local_cache_needs_no_extra() -> None:
    config = Config.model_validate({"litellm_settings": {"cache": True}})

    assert extras_problems(config, environ={}, available=_nothing_installed) == []
