"""Model rules told from Claude model ids."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.anthropic.capabilities import (
    CURRENT_API_VERSION,
    LEGACY_API_VERSION,
    generation,
    rules,
    version_accepts_sampling,
)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("claude-3-haiku-20240307", 3.0),
        ("claude-3-5-sonnet-20241022", 3.5),
        ("claude-3-7-sonnet-latest", 3.7),
        ("claude-sonnet-4-20250514", 4.0),
        ("claude-opus-4-1", 4.1),
        ("claude-haiku-4-5-20251001", 4.5),
        ("claude-opus-4-7", 4.7),
        ("claude-sonnet-5", 5.0),
        ("claude-opus-5-5", 5.5),
        ("anthropic/claude-fable-5-2", 5.2),
        ("claude-mythos-preview", None),
        ("claude-sonnet-20250514", None),
    ],
)
def test_the_generation_is_read_from_either_naming_style(model: str, expected: float | None) -> None:
    assert generation(model) == expected


def test_models_before_4_7_accept_sampling_on_the_legacy_version() -> None:
    assert rules("claude-sonnet-4-6").accepts_sampling
    assert rules("claude-sonnet-4-6").default_api_version == LEGACY_API_VERSION
    assert not rules("claude-opus-4-7").accepts_sampling
    assert rules("claude-opus-4-7").default_api_version == CURRENT_API_VERSION


def test_an_unreadable_name_gets_the_current_rules() -> None:
    current = rules("claude-mythos-preview")
    assert (current.accepts_sampling, current.thinking, current.structured_output) == (
        False,
        "adaptive",
        True,
    )


@pytest.mark.parametrize(
    ("model", "style"),
    [
        ("claude-3-5-haiku-latest", "none"),
        ("claude-3-7-sonnet-latest", "budget"),
        ("claude-opus-4-5", "budget"),
        ("claude-sonnet-4-6", "adaptive"),
        ("claude-opus-5", "adaptive"),
    ],
)
def test_the_thinking_form_follows_the_generation(model: str, style: str) -> None:
    assert rules(model).thinking == style


def test_structured_outputs_start_with_4_5() -> None:
    assert not rules("claude-opus-4-1").structured_output
    assert rules("claude-haiku-4-5").structured_output


def test_only_versions_before_2026_10_21_take_sampling() -> None:
    assert version_accepts_sampling(LEGACY_API_VERSION)
    assert not version_accepts_sampling(CURRENT_API_VERSION)
    assert not version_accepts_sampling("2027-01-01")
