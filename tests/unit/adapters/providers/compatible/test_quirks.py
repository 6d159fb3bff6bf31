"""The profile flags, one behaviour each, on small hand-made profiles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from switchboard.adapters.outbound.providers.compatible import load_profiles, parse_profiles
from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile
from switchboard.adapters.outbound.providers.compatible.request import (
    adapt_chat_body,
    api_base,
    api_key,
    supported_params,
)
from switchboard.adapters.outbound.providers.compatible.response import move_chunk_reasoning, move_reasoning
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError, BadRequest, UnsupportedParameter


def profile(**fields: Any) -> ProviderProfile:
    return ProviderProfile.model_validate({"name": "acme", "title": "Acme", "docs": "https://acme.test", **fields})


def deployment(**fields: Any) -> Deployment:
    return Deployment(id="d1", model_name="m", provider="acme", model="m1", **fields)


def test_an_unknown_key_in_a_row_is_an_error() -> None:
    with pytest.raises(ValidationError):
        profile(renamez={"a": "b"})


def test_a_provider_named_twice_is_an_error() -> None:
    row = {"name": "acme", "title": "Acme", "docs": "https://acme.test"}
    with pytest.raises(ValueError, match="twice"):
        parse_profiles(json.dumps({"providers": [row, row]}))


def test_a_placeholder_without_a_source_is_an_error() -> None:
    with pytest.raises(ValidationError, match="account"):
        profile(api_base="https://acme.test/{account}/v1")


def test_every_packaged_row_parses() -> None:
    assert all(p.title and p.docs.startswith("http") for p in load_profiles().values())


def test_a_renamed_parameter_takes_the_providers_name() -> None:
    body = adapt_chat_body(
        {"max_completion_tokens": 5},
        profile(renames={"max_completion_tokens": "max_tokens"}),
        stream=False,
        defaults={},
    )
    assert body == {"max_tokens": 5}


def test_a_rename_never_overwrites_what_the_caller_set_under_the_providers_name() -> None:
    body = adapt_chat_body(
        {"max_completion_tokens": 5, "max_tokens": 9},
        profile(renames={"max_completion_tokens": "max_tokens"}),
        stream=False,
        defaults={},
    )
    assert body == {"max_tokens": 9}


def test_single_choice_providers_refuse_n_above_one() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        adapt_chat_body({"n": 2}, profile(single_choice=True), stream=False, defaults={})
    assert caught.value.param == "n"


def test_streams_lose_stream_options_where_the_provider_refuses_them() -> None:
    body = {"stream": True, "stream_options": {"include_usage": True}}
    assert adapt_chat_body(body, profile(stream_options=False), stream=True, defaults={}) == {"stream": True}


def test_deployment_defaults_for_provider_parameters_never_replace_the_callers() -> None:
    body = adapt_chat_body({"top_k": 3}, profile(extra_params=["top_k"]), stream=False, defaults={"top_k": 40})
    assert body == {"top_k": 3}


def test_model_rules_refuse_parameters_only_for_matching_models() -> None:
    rules = profile(model_rules=[{"match": "^think-", "rejects": ["temperature"]}])
    assert "temperature" not in supported_params(rules, "think-large")
    assert "temperature" in supported_params(rules, "chat-large")


def test_only_lists_every_openai_parameter_the_provider_takes() -> None:
    assert supported_params(profile(only=["temperature"], extra_params=["top_k"]), "m") == {
        "temperature",
        "top_k",
    }


def test_open_providers_accept_any_parameter_except_those_refused() -> None:
    supported = supported_params(profile(extra_params="any", rejects=["logit_bias"]), "m")
    assert "anything_at_all" in supported
    assert "logit_bias" not in supported


def test_the_deployments_api_base_wins_over_the_default() -> None:
    assert api_base(profile(api_base="https://acme.test/v1"), deployment(api_base="http://proxy/v1/"), {}) == (
        "http://proxy/v1"
    )


def test_the_api_base_variable_wins_over_the_default() -> None:
    found = api_base(
        profile(api_base="https://acme.test/v1", api_base_env="ACME_BASE"),
        deployment(),
        {"ACME_BASE": "http://e/v1"},
    )
    assert found == "http://e/v1"


def test_a_provider_without_a_default_address_needs_api_base() -> None:
    with pytest.raises(BadRequest) as caught:
        api_base(profile(api_base_env="ACME_BASE"), deployment(), {})
    assert caught.value.param == "api_base"
    assert "ACME_BASE" in caught.value.message


def test_placeholders_come_from_params_then_the_environment() -> None:
    row = profile(
        api_base="https://acme.test/{account}/v1",
        base_params={"account": {"param": "acme_account", "env": "ACME_ACCOUNT"}},
    )
    assert api_base(row, deployment(params={"acme_account": "p1"}), {"ACME_ACCOUNT": "e1"}) == "https://acme.test/p1/v1"
    assert api_base(row, deployment(), {"ACME_ACCOUNT": "e1"}) == "https://acme.test/e1/v1"


def test_a_missing_placeholder_names_both_places_to_set_it() -> None:
    row = profile(
        api_base="https://acme.test/{account}/v1",
        base_params={"account": {"param": "acme_account", "env": "ACME_ACCOUNT"}},
    )
    with pytest.raises(BadRequest) as caught:
        api_base(row, deployment(), {})
    assert "litellm_params.acme_account" in caught.value.message
    assert "ACME_ACCOUNT" in caught.value.message


def test_the_base_suffix_is_added_once() -> None:
    row = profile(api_base_env="X", base_suffix="/serving-endpoints")
    assert api_base(row, deployment(api_base="https://w.test"), {}) == "https://w.test/serving-endpoints"
    assert (
        api_base(row, deployment(api_base="https://w.test/serving-endpoints"), {}) == "https://w.test/serving-endpoints"
    )


def test_key_variables_are_tried_in_order() -> None:
    row = profile(key_env=["ACME_KEY", "ACME_TOKEN"])
    assert api_key(row, deployment(), {"ACME_TOKEN": "t", "ACME_KEY": "k"}) == "k"
    assert api_key(row, deployment(), {"ACME_TOKEN": "t"}) == "t"


def test_a_missing_required_key_names_every_variable() -> None:
    with pytest.raises(AuthenticationError) as caught:
        api_key(profile(key_env=["ACME_KEY", "ACME_TOKEN"]), deployment(), {})
    assert "ACME_KEY or ACME_TOKEN" in caught.value.message


def test_an_optional_key_may_be_missing() -> None:
    assert api_key(profile(key_required=False), deployment(), {}) == ""


def test_reasoning_under_another_name_becomes_reasoning_content() -> None:
    response = ChatResponse.model_validate(
        {
            "id": "r",
            "created": 1,
            "model": "m",
            "choices": [{"message": {"role": "assistant", "content": "4", "reasoning": "2+2"}}],
        }
    )
    message = move_reasoning(response, "reasoning").choices[0].message
    assert (message.reasoning_content, message.model_extra) == ("2+2", {})


def test_streamed_reasoning_under_another_name_becomes_reasoning_content() -> None:
    chunk = ChatChunk.model_validate(
        {"id": "c", "created": 1, "model": "m", "choices": [{"delta": {"reasoning": "hmm"}}]}
    )
    assert move_chunk_reasoning(chunk, "reasoning").choices[0].delta.reasoning_content == "hmm"
