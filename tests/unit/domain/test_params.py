"""Which parameters reach a provider."""

from __future__ import annotations

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.params import enforce_supported, params_set


def request(**fields: object) -> ChatRequest:
    return ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "x"}], **fields})


def test_params_set_counts_declared_fields_with_values_and_extra_fields() -> None:
    assert params_set(request(temperature=0.5, top_k=4, seed=None)) == {
        "model",
        "messages",
        "temperature",
        "top_k",
    }


def test_a_supported_parameter_passes_untouched() -> None:
    sent, dropped = enforce_supported(request(temperature=0.5), frozenset({"temperature"}), provider="p", drop=False)
    assert (sent.temperature, dropped) == (0.5, [])


def test_an_unsupported_parameter_is_refused_naming_parameter_and_provider() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        enforce_supported(request(seed=1), frozenset(), provider="acme", drop=False)
    assert caught.value.param == "seed"
    assert "acme" in caught.value.message
    assert caught.value.code == "unsupported_parameter"


def test_drop_removes_unsupported_parameters_and_reports_them() -> None:
    sent, dropped = enforce_supported(request(seed=1, top_k=2), frozenset(), provider="p", drop=True)
    assert dropped == ["seed", "top_k"]
    assert sent.seed is None
    assert "top_k" not in (sent.model_extra or {})


def test_gateway_parameters_never_reach_the_provider() -> None:
    sent, dropped = enforce_supported(
        request(metadata={"tags": ["a"]}, num_retries=2), frozenset(), provider="p", drop=False
    )
    assert sent.metadata is None
    assert "num_retries" not in (sent.model_extra or {})
    assert dropped == []


def test_user_is_dropped_quietly_where_the_provider_has_no_place_for_it() -> None:
    sent, _ = enforce_supported(request(user="u-1"), frozenset(), provider="p", drop=False)
    assert sent.user is None
    kept, _ = enforce_supported(request(user="u-1"), frozenset({"user"}), provider="p", drop=False)
    assert kept.user == "u-1"
