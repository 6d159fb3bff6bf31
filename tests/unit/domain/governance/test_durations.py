from __future__ import annotations

import pytest

from domain.governance.durations import parse_duration, period_end


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("30d", 2_592_000), ("2w", 1_209_600)]
)
def test_durations_read_as_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "d", "0d", "-1d", "1mo", "1.5h", "forever"])
def test_other_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_the_period_before_the_anchor_ends_where_the_anchor_says() -> None:
    assert period_end(anchor=100, duration=10, now=95) == 100
    assert period_end(anchor=100, duration=10, now=75) == 80


def test_a_period_end_belongs_to_the_next_period() -> None:
    assert period_end(anchor=100, duration=10, now=80) == 90
    assert period_end(anchor=100, duration=10, now=100) == 110


def test_periods_after_a_stale_anchor_keep_their_rhythm() -> None:
    assert period_end(anchor=100, duration=10, now=1234.5) == 1240
