"""A request's gateway parameters, parsed once (``options_of``), and the rules that read them with
a deployment and the gateway's defaults (``call_timeouts``, ``drops_unsupported``)."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.caching.controls import CacheControls
from switchboard.domain.call_options import (
    NO_OPTIONS,
    CallDefaults,
    CallOptions,
    Timeouts,
    call_timeouts,
    drops_unsupported,
    options_of,
)
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest


def request(**extra: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra})


def deployment(**fields: Any) -> Deployment:
    return Deployment(id="d1", model_name="m", provider="p", model="up", **fields)


# --- options_of ------------------------------------------------------------------------------------


def test_a_request_without_gateway_parameters_has_no_options() -> None:
    assert options_of(request()) is NO_OPTIONS
    assert options_of(request(metadata={"session_id": "s"})) is NO_OPTIONS


def test_every_gateway_parameter_is_read_from_the_body() -> None:
    found = options_of(
        request(
            timeout=3,
            stream_timeout=1.5,
            num_retries=0,
            fallbacks=["b", "c"],
            tags=["eu"],
            drop_params=True,
            mock_response="canned",
            cache={"no-store": True},
        )
    )
    assert found == CallOptions(
        timeout=3.0,
        stream_timeout=1.5,
        num_retries=0,
        fallbacks=("b", "c"),
        tags=("eu",),
        drop_params=True,
        mock_response="canned",
        cache=CacheControls(no_store=True),
    )


def test_request_timeout_is_litellms_other_name_for_timeout() -> None:
    assert options_of(request(request_timeout=7)).timeout == 7.0


def test_tags_come_from_the_top_level_or_from_metadata() -> None:
    assert options_of(request(tags=["eu"])).tags == ("eu",)
    assert options_of(request(metadata={"tags": ["free"]})).tags == ("free",)
    assert options_of(request(tags=["eu"], metadata={"tags": ["free"]})).tags == ("eu",)


def test_a_kind_without_a_metadata_field_reads_it_from_its_extra_fields() -> None:
    embedding = EmbeddingRequest.model_validate({"model": "m", "input": "x", "metadata": {"tags": ["eu"]}})
    assert options_of(embedding).tags == ("eu",)


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "soon"}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"stream_timeout": -1}, "stream_timeout"),
        ({"num_retries": -1}, "num_retries"),
        ({"num_retries": 1.5}, "num_retries"),
        ({"fallbacks": [1]}, "fallbacks"),
        ({"tags": 3}, "tags"),
        ({"metadata": {"tags": ["x", 3]}}, "metadata.tags"),
        ({"drop_params": "yes"}, "drop_params"),
        ({"mock_response": {"content": "x"}}, "mock_response"),
        ({"cache": {"ttl": -1}}, "cache.ttl"),
    ],
)
def test_a_malformed_gateway_parameter_is_a_bad_request_naming_it(extra: dict[str, Any], param: str) -> None:
    with pytest.raises(BadRequest) as caught:
        options_of(request(**extra))
    assert caught.value.param == param


# --- call_timeouts ---------------------------------------------------------------------------------

DEFAULTS = CallDefaults(timeout=600.0, stream_timeout=None)


def test_an_answer_waits_the_gateways_timeout_by_default() -> None:
    assert call_timeouts(deployment(), DEFAULTS, NO_OPTIONS, stream=False) == Timeouts(600.0, None)


def test_a_deployments_timeout_wins_over_the_gateways() -> None:
    assert call_timeouts(deployment(timeout=30.0), DEFAULTS, NO_OPTIONS, stream=False) == Timeouts(30.0, None)


def test_the_requests_timeout_wins_over_the_deployments() -> None:
    options = CallOptions(timeout=5.0)
    assert call_timeouts(deployment(timeout=30.0), DEFAULTS, options, stream=False) == Timeouts(5.0, None)


def test_an_answer_ignores_stream_timeout() -> None:
    options = CallOptions(stream_timeout=2.0)
    assert call_timeouts(deployment(), DEFAULTS, options, stream=False) == Timeouts(600.0, None)


def test_a_stream_waits_the_lesser_for_its_first_piece_and_stream_timeout_for_the_others() -> None:
    assert call_timeouts(deployment(stream_timeout=10.0), DEFAULTS, NO_OPTIONS, stream=True) == Timeouts(10.0, 10.0)
    slow_first = call_timeouts(deployment(timeout=5.0, stream_timeout=10.0), DEFAULTS, NO_OPTIONS, stream=True)
    assert slow_first == Timeouts(5.0, 10.0)


def test_a_requests_stream_timeout_wins_over_the_deployments() -> None:
    options = CallOptions(stream_timeout=2.0)
    assert call_timeouts(deployment(stream_timeout=10.0), DEFAULTS, options, stream=True) == Timeouts(2.0, 2.0)


def test_without_any_timeout_a_call_waits_for_ever() -> None:
    unbounded = CallDefaults(timeout=None, stream_timeout=None)
    assert call_timeouts(deployment(), unbounded, NO_OPTIONS, stream=True) == Timeouts(None, None)
    assert call_timeouts(deployment(stream_timeout=3.0), unbounded, NO_OPTIONS, stream=True) == Timeouts(3.0, 3.0)


# --- drops_unsupported -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "on_deployment", "default", "dropped"),
    [
        (None, None, False, False),
        (None, None, True, True),
        (None, True, False, True),
        (False, True, True, False),
        (True, False, False, True),
    ],
)
def test_drop_params_is_the_requests_else_the_deployments_else_the_gateways(
    requested: bool | None, on_deployment: bool | None, default: bool, dropped: bool
) -> None:
    found = drops_unsupported(
        deployment(drop_params=on_deployment), CallDefaults(drop_params=default), CallOptions(drop_params=requested)
    )
    assert found is dropped
