"""LiteLLM keys Switchboard honours, each doing what LiteLLM's docs say it does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.models import list_models
from switchboard.application.pricing import Pricing
from switchboard.bootstrap.config.check import check_config, load_config
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings, runtime_settings, to_deployment
from switchboard.domain.deployments import Deployment, split_model
from switchboard.domain.errors import BadRequest
from switchboard.domain.usage import Usage

KNOWN = known_providers()


def deployments(config: dict[str, Any], environ: dict[str, str] | None = None) -> list[Deployment]:
    loaded = load_config(config, environ=environ or {}, known_providers=KNOWN)
    return list(runtime_settings(loaded, KNOWN).deployments)


def one_model(**params: Any) -> dict[str, Any]:
    return {"model_list": [{"model_name": "m", "litellm_params": {"model": "openai/my-model", **params}}]}


# --- prices ----------------------------------------------------------------------------------


def test_a_price_in_litellm_params_prices_the_calls() -> None:
    [deployment] = deployments(one_model(input_cost_per_token=0.000001, output_cost_per_token=0.000002))
    cost = Pricing().chat_cost(deployment, Usage.of(1000, 500))
    assert cost == pytest.approx(0.002)


def test_a_cache_read_price_in_litellm_params_prices_cached_tokens() -> None:
    [deployment] = deployments(
        one_model(input_cost_per_token=0.000001, output_cost_per_token=0.0, cache_read_input_token_cost=0.0000001)
    )
    cost = Pricing().chat_cost(deployment, Usage.of(1000, 0, cached=1000))
    assert cost == pytest.approx(0.0001)


def test_model_info_prices_win_over_litellm_params() -> None:
    config = one_model(input_cost_per_token=0.5, output_cost_per_token=0.5)
    config["model_list"][0]["model_info"] = {"input_cost_per_token": 0.000001, "output_cost_per_token": 0.000001}
    [deployment] = deployments(config)
    assert Pricing().chat_cost(deployment, Usage.of(1000, 1000)) == pytest.approx(0.002)


def test_prices_are_not_sent_to_the_provider() -> None:
    [deployment] = deployments(one_model(input_cost_per_token=0.000001, temperature=0.2))
    assert "input_cost_per_token" not in deployment.params
    assert deployment.params["temperature"] == 0.2


def test_per_second_prices_are_refused_naming_the_missing_feature() -> None:
    _, problems = check_config(one_model(input_cost_per_second=0.0004), environ={}, known_providers=KNOWN)
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path == "model_list[0].litellm_params.input_cost_per_second"
    assert "per-second" in problem.message


# --- model_group_alias -------------------------------------------------------------------------


def alias_config(alias: Any) -> dict[str, Any]:
    return {
        "model_list": [{"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"}}],
        "router_settings": {"model_group_alias": {"gpt-4": alias}},
    }


def directory_of(config: dict[str, Any]) -> DeploymentDirectory:
    settings = runtime_settings(load_config(config, environ={}, known_providers=KNOWN), KNOWN)
    return DeploymentDirectory(settings.deployments, settings.aliases)


def test_an_alias_routes_to_its_model_group() -> None:
    directory = directory_of(alias_config("gpt-4o"))
    [deployment] = directory.candidates("gpt-4")
    assert deployment.model == "gpt-4o"


def test_an_alias_is_listed_in_the_models() -> None:
    directory = directory_of(alias_config("gpt-4o"))
    assert [m.id for m in list_models(directory)] == ["gpt-4o", "gpt-4"]


def test_a_hidden_alias_routes_but_is_not_listed() -> None:
    directory = directory_of(alias_config({"model": "gpt-4o", "hidden": True}))
    assert directory.candidates("gpt-4")
    assert [m.id for m in list_models(directory)] == ["gpt-4o"]


def test_an_alias_to_no_model_group_is_an_error() -> None:
    _, problems = check_config(alias_config("gpt-5"), environ={}, known_providers=KNOWN)
    assert [p.path for p in problems if p.severity == "error"] == ["router_settings.model_group_alias.gpt-4"]


# --- credential_list ---------------------------------------------------------------------------


def credentials_config(**params: Any) -> dict[str, Any]:
    return {
        "credential_list": [
            {
                "credential_name": "azure-eu",
                "credential_values": {
                    "api_key": "os.environ/AZURE_EU_KEY",
                    "api_base": "https://eu.example.com",
                    "api_version": "2024-06-01",
                },
            }
        ],
        "model_list": [
            {
                "model_name": "gpt-4o",
                "litellm_params": {"model": "azure/gpt-4o", "litellm_credential_name": "azure-eu", **params},
            }
        ],
    }


def test_a_named_credential_reaches_the_deployment() -> None:
    [deployment] = deployments(credentials_config(), environ={"AZURE_EU_KEY": "key-eu"})
    assert deployment.key == "key-eu"
    assert deployment.api_base == "https://eu.example.com"
    assert deployment.api_version == "2024-06-01"
    assert "litellm_credential_name" not in deployment.params


def test_the_deployments_own_values_win_over_the_credential() -> None:
    [deployment] = deployments(credentials_config(api_base="https://own.example.com"), environ={"AZURE_EU_KEY": "k"})
    assert deployment.api_base == "https://own.example.com"


def test_an_unknown_credential_name_is_an_error() -> None:
    config = credentials_config()
    config["model_list"][0]["litellm_params"]["litellm_credential_name"] = "azure-us"
    _, problems = check_config(config, environ={"AZURE_EU_KEY": "k"}, known_providers=KNOWN)
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path == "model_list[0].litellm_params.litellm_credential_name"
    assert "azure-eu" in problem.message


# --- model: "*" and providers ------------------------------------------------------------------


def any_model_directory() -> DeploymentDirectory:
    config = {"model_list": [{"model_name": "*", "litellm_params": {"model": "*"}}]}
    return DeploymentDirectory(deployments(config))


def test_the_quick_starts_any_model_entry_serves_a_bare_model_by_its_provider() -> None:
    [deployment] = any_model_directory().candidates("gpt-4o")
    assert (deployment.provider, deployment.model) == ("openai", "gpt-4o")


def test_the_quick_starts_any_model_entry_serves_a_provider_prefixed_model() -> None:
    [deployment] = any_model_directory().candidates("anthropic/claude-sonnet-4-5")
    assert (deployment.provider, deployment.model) == ("anthropic", "claude-sonnet-4-5")


def test_the_any_model_entry_refuses_a_provider_switchboard_does_not_have() -> None:
    with pytest.raises(BadRequest, match="provider 'sagemaker' is not supported"):
        any_model_directory().candidates("sagemaker/my-endpoint")


def test_an_unsupported_provider_is_named_with_the_supported_prefixes() -> None:
    with pytest.raises(ValueError, match="provider 'xinference' is not supported") as raised:
        split_model("xinference/bge-base-en", KNOWN)
    assert "openai/" in str(raised.value)
    assert "anthropic/" in str(raised.value)


def test_custom_llm_provider_names_the_provider_of_a_bare_model() -> None:
    [deployment] = deployments(
        {"model_list": [{"model_name": "m", "litellm_params": {"model": "my-model", "custom_llm_provider": "openai"}}]}
    )
    assert (deployment.provider, deployment.model) == ("openai", "my-model")


def test_default_litellm_params_reach_every_deployment_that_lacks_them() -> None:
    config = {
        "model_list": [
            {"model_name": "a", "litellm_params": {"model": "openai/a"}},
            {"model_name": "b", "litellm_params": {"model": "openai/b", "temperature": 0.9}},
        ],
        "router_settings": {"default_litellm_params": {"temperature": 0.1}},
    }
    a, b = deployments(config)
    assert (a.params["temperature"], b.params["temperature"]) == (0.1, 0.9)


def test_a_stored_models_litellm_params_prices_are_kept() -> None:
    from switchboard.bootstrap.config.models import ModelEntry

    entry = ModelEntry.model_validate(
        {"model_name": "m", "litellm_params": {"model": "openai/x", "input_cost_per_token": 1e-6}}
    )
    deployment = to_deployment(entry, 0, KNOWN)
    assert deployment.model_info["input_cost_per_token"] == 1e-6


# --- environment_variables ---------------------------------------------------------------------


def test_environment_variables_reach_the_process_for_providers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWITCHBOARD_TEST_PROVIDER_KEY", raising=False)
    path = tmp_path / "config.yaml"
    path.write_text(
        "environment_variables:\n  SWITCHBOARD_TEST_PROVIDER_KEY: sk-file\n"
        "model_list:\n  - model_name: m\n    litellm_params: {model: openai/gpt-4o}\n"
    )
    try:
        load_settings(path, KNOWN)
        assert os.environ["SWITCHBOARD_TEST_PROVIDER_KEY"] == "sk-file"
    finally:
        os.environ.pop("SWITCHBOARD_TEST_PROVIDER_KEY", None)


def test_the_master_key_only_in_litellm_master_key_is_refused() -> None:
    config = {"environment_variables": {"LITELLM_MASTER_KEY": "sk-1"}, **one_model()}
    _, problems = check_config(config, environ={}, known_providers=KNOWN)
    assert [p.path for p in problems if p.severity == "error"] == ["environment_variables.LITELLM_MASTER_KEY"]


@pytest.mark.parametrize("key", ["disable_master_key_return", "store_model_in_db"])
def test_turning_off_a_fixed_behaviour_is_warned_about(key: str) -> None:
    config = {**one_model(), "general_settings": {key: False}}
    _, problems = check_config(config, environ={}, known_providers=KNOWN)
    assert [(p.path, p.severity) for p in problems] == [(f"general_settings.{key}", "warning")]


def test_a_stored_model_with_a_refused_key_is_not_served_without_it() -> None:
    from switchboard.bootstrap.config.models import ModelEntry

    entry = ModelEntry.model_validate(
        {"model_name": "m", "litellm_params": {"model": "bedrock/x", "aws_role_name": "arn:aws:iam::1:role/r"}}
    )
    with pytest.raises(ValueError, match="aws_role_name"):
        to_deployment(entry, 0, KNOWN)


def test_a_stored_model_naming_a_credential_is_refused() -> None:
    from switchboard.bootstrap.config.models import ModelEntry

    entry = ModelEntry.model_validate(
        {"model_name": "m", "litellm_params": {"model": "azure/x", "litellm_credential_name": "azure-eu"}}
    )
    with pytest.raises(ValueError, match="credential_list"):
        to_deployment(entry, 0, KNOWN)


def test_litellm_master_key_read_by_general_settings_is_fine() -> None:
    config = {
        "environment_variables": {"LITELLM_MASTER_KEY": "sk-1"},
        "general_settings": {"master_key": "os.environ/LITELLM_MASTER_KEY"},
        **one_model(),
    }
    loaded = load_config(config, environ={}, known_providers=KNOWN)
    master = loaded.config.general_settings.master_key
    assert master is not None
    assert master.get_secret_value() == "sk-1"


async def test_a_named_credential_is_what_the_provider_sends() -> None:
    import httpx

    from switchboard.adapters.outbound.providers.azure import AzureOpenAIProvider
    from switchboard.domain.chat import ChatRequest
    from switchboard.domain.ports.providers import ChatCall
    from tests.fakes import FakeClock
    from tests.support.upstream import RecordingUpstream, StreamCounter

    answer = {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }

    def handle(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(200, json=answer)

    upstream = RecordingUpstream(handle)
    [deployment] = deployments(credentials_config(), environ={"AZURE_EU_KEY": "key-eu"})
    provider = AzureOpenAIProvider(upstream.transport(), FakeClock(), environ={})
    request = ChatRequest.model_validate({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]})
    await provider.complete(ChatCall(request=request, deployment=deployment))
    [sent] = upstream.requests
    assert sent.headers["api-key"] == "key-eu"
    assert str(sent.url).startswith("https://eu.example.com/openai/deployments/gpt-4o/chat/completions")
