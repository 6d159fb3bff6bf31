from __future__ import annotations

from datetime import UTC, datetime

import pytest

from switchboard.domain.governance.durations import Months, add_months, after, parse_duration, parse_period, period_end


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("30d", 2_592_000), ("2w", 1_209_600)]
)
def test_durations_read_as_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    assert parse_period(text) == seconds


@pytest.mark.parametrize(("text", "months"), [("1mo", 1), ("3mo", 3), (" 12 mo ", 12)])
def test_months_read_as_calendar_months(text: str, months: int) -> None:
    assert parse_period(text) == Months(months)


def test_a_fixed_duration_refuses_calendar_months() -> None:
    with pytest.raises(ValueError, match="fixed length"):
        parse_duration("1mo")


@pytest.mark.parametrize("text", ["", "30", "d", "0d", "-1d", "0mo", "1month", "1.5h", "forever"])
def test_other_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_period(text)


def test_the_period_before_the_anchor_ends_where_the_anchor_says() -> None:
    assert period_end(anchor=100, duration=10, now=95) == 100
    assert period_end(anchor=100, duration=10, now=75) == 80


def test_a_period_end_belongs_to_the_next_period() -> None:
    assert period_end(anchor=100, duration=10, now=80) == 90
    assert period_end(anchor=100, duration=10, now=100) == 110


def test_periods_after_a_stale_anchor_keep_their_rhythm() -> None:
    assert period_end(anchor=100, duration=10, now=1234.5) == 1240


def at(year: int, month: int, day: int, hour: int = 0) -> float:
    return datetime(year, month, day, hour, tzinfo=UTC).timestamp()


def test_a_month_ends_on_the_anchors_day_or_the_months_last() -> None:
    anchor = at(2026, 1, 31, 9)
    assert period_end(anchor, Months(1), at(2026, 2, 15)) == at(2026, 2, 28, 9)
    assert period_end(anchor, Months(1), at(2026, 3, 1)) == at(2026, 3, 31, 9)
    assert period_end(anchor, Months(1), at(2028, 2, 10)) == at(2028, 2, 29, 9)  # a leap year


def test_a_month_boundary_belongs_to_the_next_month() -> None:
    anchor = at(2026, 1, 15)
    assert period_end(anchor, Months(1), anchor) == at(2026, 2, 15)
    assert period_end(anchor, Months(1), at(2026, 2, 15)) == at(2026, 3, 15)


def test_months_before_the_anchor_end_where_the_anchor_says() -> None:
    anchor = at(2026, 3, 10)
    assert period_end(anchor, Months(1), at(2026, 3, 1)) == anchor
    assert period_end(anchor, Months(1), at(2025, 12, 20)) == at(2026, 1, 10)


def test_several_months_keep_their_rhythm_from_a_stale_anchor() -> None:
    anchor = at(2024, 1, 1)
    assert period_end(anchor, Months(3), at(2026, 11, 27)) == at(2027, 1, 1)
    assert period_end(anchor, Months(3), at(2026, 9, 30)) == at(2026, 10, 1)


def test_without_an_anchor_months_end_on_the_first() -> None:
    assert period_end(0.0, Months(1), at(2026, 11, 27, 13)) == at(2026, 12, 1)


def test_adding_months_clamps_to_the_month_and_crosses_years() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 3, 31, tzinfo=UTC), -1) == datetime(2026, 2, 28, tzinfo=UTC)


def test_after_adds_a_period_of_either_kind() -> None:
    start = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert after(start, 3600) == datetime(2026, 1, 31, 13, tzinfo=UTC)
    assert after(start, Months(1)) == datetime(2026, 2, 28, 12, tzinfo=UTC)
