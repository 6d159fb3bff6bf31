"""OpenParams: a provider that takes any parameter except the ones it refuses."""

from __future__ import annotations

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.params import OPENAI_CHAT_PARAMS, OpenParams, enforce_supported


def request(**params: object) -> ChatRequest:
    return ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "x"}], **params})


def test_unknown_parameters_pass_an_open_provider() -> None:
    sent, dropped = enforce_supported(
        request(top_k=20, chat_template_kwargs={"a": 1}), OpenParams(OPENAI_CHAT_PARAMS), provider="p", drop=False
    )
    assert dropped == []
    assert sent.model_extra == {"top_k": 20, "chat_template_kwargs": {"a": 1}}


def test_an_open_provider_still_refuses_what_it_refuses() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        enforce_supported(request(logit_bias={"1": 2}), OpenParams(refused={"logit_bias"}), provider="p", drop=False)
    assert caught.value.param == "logit_bias"
