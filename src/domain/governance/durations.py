"""Budget durations (``30d``, ``1h``...) and the budget periods they cut time into."""

from __future__ import annotations

import math
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")


def parse_duration(text: str) -> int:
    """``"30d"`` -> seconds. Units: ``s``, ``m``, ``h``, ``d``, ``w``; raises ``ValueError`` otherwise."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"invalid duration {text!r}: write a positive number and a unit s, m, h, d or w (e.g. '30d')")
    return int(match.group(1)) * _UNITS[match.group(2)]


def period_end(anchor: float, duration: float, now: float) -> float:
    """The end of the budget period ``now`` falls in.

    Periods are ``duration`` long and one of them ends at ``anchor`` (an entity's
    ``budget_reset_at``), so every instance computes the same boundaries from the same facts,
    however stale its copy of the anchor is.
    """
    if now < anchor:
        return anchor - (math.ceil((anchor - now) / duration) - 1) * duration
    return anchor + (math.floor((now - anchor) / duration) + 1) * duration
