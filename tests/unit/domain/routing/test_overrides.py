"""Per-request routing overrides: LiteLLM's ``timeout``, ``num_retries``, ``fallbacks``, ``tags``."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.routing.overrides import RequestOverrides, overrides_of


def request(**extra: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra})


def test_a_request_without_extras_overrides_nothing() -> None:
    assert overrides_of(request()) == RequestOverrides()


def test_timeouts_retries_and_fallbacks_are_read_from_the_body() -> None:
    found = overrides_of(request(timeout=3, stream_timeout=1.5, num_retries=0, fallbacks=["b", "c"]))
    assert found == RequestOverrides(timeout=3.0, stream_timeout=1.5, num_retries=0, fallbacks=("b", "c"))


def test_request_timeout_is_litellms_other_name_for_timeout() -> None:
    assert overrides_of(request(request_timeout=7)).timeout == 7.0


def test_tags_come_from_the_top_level_or_from_metadata() -> None:
    assert overrides_of(request(tags=["eu"])).tags == ("eu",)
    assert overrides_of(request(metadata={"tags": ["free"]})).tags == ("free",)


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "soon"}, "timeout"),
        ({"num_retries": -1}, "num_retries"),
        ({"num_retries": 1.5}, "num_retries"),
        ({"fallbacks": [1]}, "fallbacks"),
        ({"metadata": {"tags": ["x", 3]}}, "metadata.tags"),
    ],
)
def test_a_malformed_override_is_a_bad_request_naming_it(extra: dict[str, Any], param: str) -> None:
    with pytest.raises(BadRequest) as caught:
        overrides_of(request(**extra))
    assert caught.value.param == param
