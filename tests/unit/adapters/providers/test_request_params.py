from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.request_params import copy_params, output_limit, param, stop_list
from switchboard.domain.chat import ChatRequest


def request(**fields: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "hi"}], **fields})


def test_the_callers_value_wins_over_the_deployment_default() -> None:
    assert param(request(temperature=0.5), {"temperature": 0.1}, "temperature") == 0.5


def test_a_parameter_the_caller_leaves_out_takes_the_deployment_default() -> None:
    assert param(request(), {"temperature": 0.1}, "temperature") == 0.1
    assert param(request(), {}, "temperature") is None


def test_a_provider_parameter_arrives_as_an_extra_field() -> None:
    assert param(request(top_k=5), {"top_k": 1}, "top_k") == 5
    assert param(request(), {"top_k": 1}, "top_k") == 1


def test_copy_params_sets_only_what_is_given_under_the_wires_names() -> None:
    body: dict[str, Any] = {}
    copy_params(body, request(top_p=0.9), {"seed": 7}, {"top_p": "p", "seed": "seed", "temperature": "temperature"})
    assert body == {"p": 0.9, "seed": 7}
    copy_params(body, request(top_k=3), {}, ("top_k", "min_p"))
    assert body == {"p": 0.9, "seed": 7, "top_k": 3}


def test_the_output_limit_is_the_callers_else_the_deployments() -> None:
    assert output_limit(request(max_tokens=10), {"max_completion_tokens": 99}) == 10
    assert output_limit(request(max_completion_tokens=20, max_tokens=10), {}) == 20
    assert output_limit(request(), {"max_completion_tokens": 99, "max_tokens": 5}) == 99
    assert output_limit(request(), {"max_tokens": 5}) == 5
    assert output_limit(request(), {}) is None


def test_one_stop_string_becomes_a_list_of_one() -> None:
    assert stop_list("END") == ["END"]
    assert stop_list(("a", "b")) == ["a", "b"]
