"""Budget durations (``30d``, ``1h``, ``1mo``...) and the budget periods they cut time into."""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*(mo|[smhdw])\s*$")


@dataclass(frozen=True, slots=True)
class Months:
    """A calendar period of ``count`` months (LiteLLM's ``1mo``): it ends on its anchor's day of
    the month at the anchor's time of day (UTC), or on the month's last day when it is shorter."""

    count: int


Period = int | Months  # seconds, or calendar months


def parse_period(text: str) -> Period:
    """``"30d"`` -> seconds, ``"1mo"`` -> ``Months(1)``. Units: ``s``, ``m`` (minutes), ``h``,
    ``d``, ``w``, ``mo`` (calendar months); raises ``ValueError`` otherwise."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(
            f"invalid duration {text!r}: write a positive number and a unit s, m, h, d, w or mo (e.g. '30d', '1mo')"
        )
    count, unit = int(match.group(1)), match.group(2)
    return Months(count) if unit == "mo" else count * _UNITS[unit]


def parse_duration(text: str) -> int:
    """A fixed length in seconds; ``ValueError`` for anything else, calendar months included."""
    period = parse_period(text)
    if isinstance(period, Months):
        raise ValueError(f"invalid duration {text!r}: a fixed length is needed here (s, m, h, d or w)")
    return period


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` later (or earlier), its day of the month kept or clamped to the end."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def after(moment: datetime, period: Period) -> datetime:
    """``moment`` one ``period`` later."""
    if isinstance(period, Months):
        return add_months(moment, period.count)
    return moment + timedelta(seconds=period)


def period_end(anchor: float, duration: Period, now: float) -> float:
    """The end of the budget period ``now`` falls in.

    Periods are ``duration`` long and one of them ends at ``anchor`` (an entity's
    ``budget_reset_at``), so every instance computes the same boundaries from the same facts,
    however stale its copy of the anchor is. Calendar months count from the anchor's date.
    """
    if isinstance(duration, Months):
        return _months_end(anchor, duration.count, now)
    if now < anchor:
        return anchor - (math.ceil((anchor - now) / duration) - 1) * duration
    return anchor + (math.floor((now - anchor) / duration) + 1) * duration


def _months_end(anchor: float, months: int, now: float) -> float:
    start, moment = datetime.fromtimestamp(anchor, UTC), datetime.fromtimestamp(now, UTC)
    step = ((moment.year - start.year) * 12 + moment.month - start.month) // months
    while add_months(start, step * months) > moment:
        step -= 1
    while add_months(start, step * months) <= moment:
        step += 1
    return add_months(start, step * months).timestamp()
