"""Fallbacks: which other model groups to try after a group failed, by class of error."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    ContentPolicyViolation,
    ContextWindowExceeded,
    NotFound,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
    Timeout,
)
from switchboard.domain.routing import Fallbacks

FALLBACKS = Fallbacks(
    general={"gpt-4o": ("gpt-4o-mini", "claude")},
    default=("cheap",),
    context_window={"gpt-4o": ("gpt-4.1",)},
    content_policy={"gpt-4o": ("claude",)},
)


@pytest.mark.parametrize(
    "err", [RateLimited("x"), Timeout("x"), ProviderUnavailable("x"), AuthenticationError("x"), NotFound("x")]
)
def test_failures_of_the_deployment_use_the_general_fallbacks(err: SwitchboardError) -> None:
    assert FALLBACKS.after("gpt-4o", err) == ("gpt-4o-mini", "claude")


def test_a_group_without_general_fallbacks_uses_the_default_ones() -> None:
    assert FALLBACKS.after("mistral", Timeout("x")) == ("cheap",)


def test_a_context_window_error_uses_the_context_window_fallbacks() -> None:
    assert FALLBACKS.after("gpt-4o", ContextWindowExceeded("x")) == ("gpt-4.1",)


def test_a_content_policy_error_uses_the_content_policy_fallbacks() -> None:
    assert FALLBACKS.after("gpt-4o", ContentPolicyViolation("x")) == ("claude",)


def test_context_window_and_content_policy_errors_fall_back_to_the_general_list() -> None:
    fallbacks = Fallbacks(general={"gpt-4o": ("claude",)}, default=("cheap",))
    assert fallbacks.after("gpt-4o", ContextWindowExceeded("x")) == ("claude",)
    assert fallbacks.after("gpt-4o", ContentPolicyViolation("x")) == ("claude",)
    assert fallbacks.after("other", ContextWindowExceeded("x")) == ()


def test_any_other_bad_request_has_no_fallback() -> None:
    assert FALLBACKS.after("gpt-4o", BadRequest("x")) == ()


def test_a_group_is_never_its_own_fallback() -> None:
    fallbacks = Fallbacks(general={"a": ("a", "b", "b")}, default=("a", "c"))
    assert fallbacks.after("a", Timeout("x")) == ("b",)
    assert fallbacks.after("x", Timeout("x")) == ("a", "c")
    assert not Fallbacks(default=("a",)).has_any("a")


def test_at_most_max_fallbacks_are_tried() -> None:
    fallbacks = Fallbacks(general={"a": ("b", "c", "d", "e")}, max_fallbacks=2)
    assert fallbacks.after("a", Timeout("x")) == ("b", "c")


def test_has_any_says_whether_a_group_has_somewhere_to_go() -> None:
    assert Fallbacks(context_window={"a": ("b",)}).has_any("a")
    assert Fallbacks(default=("b",)).has_any("a")
    assert not Fallbacks(general={"x": ("b",)}).has_any("a")
    assert not Fallbacks(general={"a": ("b",)}, max_fallbacks=0).has_any("a")


def test_litellm_fallback_lists_map_to_the_fallbacks() -> None:
    fallbacks = Fallbacks.from_litellm(
        [{"gpt-4o": ["gpt-4o-mini", "claude"]}, {"claude": "gpt-4o"}],
        ["cheap"],
        [{"gpt-4o": ["gpt-4.1"]}],
        {"gpt-4o": "claude"},
        max_fallbacks=3,
    )
    assert fallbacks == Fallbacks(
        general={"gpt-4o": ("gpt-4o-mini", "claude"), "claude": ("gpt-4o",)},
        default=("cheap",),
        context_window={"gpt-4o": ("gpt-4.1",)},
        content_policy={"gpt-4o": ("claude",)},
        max_fallbacks=3,
    )


def test_unset_litellm_fallbacks_mean_none() -> None:
    assert Fallbacks.from_litellm(None, None, None, None) == Fallbacks()
    assert Fallbacks.from_litellm(None, "cheap", None, None).default == ("cheap",)


@pytest.mark.parametrize(
    "bad",
    [
        "gpt-4o",
        [["gpt-4o", "claude"]],
        [{}],
        [{"gpt-4o": 3}],
        [{"gpt-4o": ["claude", 7]}],
        [{"gpt-4o": ["claude"]}, {"gpt-4o": ["other"]}],
        [{"": ["claude"]}],
    ],
)
def test_badly_shaped_litellm_fallbacks_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="fallbacks"):
        Fallbacks.from_litellm(bad, None, None, None)


def test_a_negative_max_fallbacks_is_refused() -> None:
    with pytest.raises(ValueError, match="max_fallbacks"):
        Fallbacks.from_litellm(None, None, None, None, max_fallbacks=-1)
