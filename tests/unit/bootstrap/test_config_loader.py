"""The configuration file: LiteLLM's format, every problem reported with its YAML path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from switchboard.bootstrap.config.check import check_config, load_config
from switchboard.bootstrap.config.problems import ConfigError
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings

KNOWN = known_providers()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_a_litellm_config_loads_into_deployments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/TEST_OPENAI_KEY
      rpm: 100
      organization: org-1
    model_info:
      id: primary
general_settings:
  master_key: sk-master
""",
    )
    loaded = load_config(path, environ={"TEST_OPENAI_KEY": "sk-from-env"}, known_providers=KNOWN)
    entry = loaded.config.model_list[0]
    assert entry.litellm_params.api_key is not None
    assert entry.litellm_params.api_key.get_secret_value() == "sk-from-env"
    assert entry.litellm_params.rpm == 100


def test_deployments_keep_provider_settings_as_params(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEST_OPENAI_KEY", "sk-from-env")
    path = write(
        tmp_path,
        """
model_list:
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o, api_key: os.environ/TEST_OPENAI_KEY, rpm: 100, organization: org-1}
    model_info: {id: primary}
general_settings: {master_key: sk-master}
""",
    )
    settings = load_settings(str(path), KNOWN)
    [deployment] = settings.deployments
    assert (deployment.id, deployment.provider, deployment.model, deployment.rpm) == (
        "primary",
        "openai",
        "gpt-4o",
        100,
    )
    assert deployment.params == {"organization": "org-1"}
    assert deployment.key == "sk-from-env"
    assert settings.master_key == "sk-master"


def test_a_missing_environment_variable_is_an_error_at_its_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "model_list:\n  - model_name: a\n    litellm_params:\n"
        "      model: openai/a\n      api_key: os.environ/NOPE_X\n",
    )
    _, problems = check_config(path, environ={}, known_providers=KNOWN)
    [problem] = problems
    assert problem.path == "model_list[0].litellm_params.api_key"
    assert "NOPE_X" in problem.message
    assert problem.line == 5


def test_unknown_keys_are_warnings_with_their_path_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n    modle_info: {}\n"
        "general_settings:\n  colour: blue\n",
    )
    loaded, problems = check_config(path, environ={}, known_providers=KNOWN)
    assert loaded is not None
    assert {(p.path, p.line, p.severity) for p in problems} == {
        ("model_list[0].modle_info", 4, "warning"),
        ("general_settings.colour", 6, "warning"),
    }


def test_litellm_keys_without_effect_are_called_so(tmp_path: Path) -> None:
    path = write(tmp_path, "litellm_settings:\n  set_verbose: true\n")
    _, [problem] = check_config(path, environ={}, known_providers=KNOWN)
    assert "does not act on it" in problem.message


def test_wrong_values_are_errors_naming_the_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n      rpm: lots\n",
    )
    loaded, [problem] = check_config(path, environ={}, known_providers=KNOWN)
    assert loaded is None
    assert (problem.path, problem.line, problem.severity) == ("model_list[0].litellm_params.rpm", 5, "error")


def test_a_model_without_a_known_provider_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "model_list:\n  - model_name: a\n    litellm_params:\n      model: llama-3-8b\n")
    _, [problem] = check_config(path, environ={}, known_providers=KNOWN)
    assert problem.path == "model_list[0].litellm_params.model"
    assert "provider/model" in problem.message


def test_every_error_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a, rpm: x}\n"
        "  - model_name: b\n    litellm_params: {model: mock/b, tpm: y}\n",
    )
    _, problems = check_config(path, environ={}, known_providers=KNOWN)
    assert [p.path for p in problems] == [
        "model_list[0].litellm_params.rpm",
        "model_list[1].litellm_params.tpm",
    ]


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "model_list:\n  - model_name: a\n    litellm_params: {model: [\n")
    _, [problem] = check_config(path, environ={}, known_providers=KNOWN)
    assert problem.message.startswith("not valid YAML")
    assert problem.line is not None


def test_load_config_raises_with_every_error(tmp_path: Path) -> None:
    path = write(tmp_path, "model_list: 5\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={}, known_providers=KNOWN)
    assert caught.value.problems[0].path == "model_list"


def test_environment_variables_section_feeds_references(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "environment_variables: {UP_KEY: sk-inline}\n"
        "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: os.environ/UP_KEY}\n",
    )
    loaded = load_config(path, environ={}, known_providers=KNOWN)
    key = loaded.config.model_list[0].litellm_params.api_key
    assert key is not None and key.get_secret_value() == "sk-inline"


def test_without_a_config_the_mock_models_are_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWITCHBOARD_CONFIG", raising=False)
    settings = load_settings(None, KNOWN)
    assert [d.model_name for d in settings.deployments] == ["mock", "mock-embedding"]
    assert settings.master_key is None
