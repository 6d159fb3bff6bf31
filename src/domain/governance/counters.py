"""Counter claims: what one call takes from the rate-limit and budget counters, and gives back.

A counter holds entries, each with a weight and an expiry, and a running total of the live
ones. A budget counter also holds ``spent``, the money settled in its period. Claims are
all-or-nothing: the store admits a call only if every claim fits.

Money is counted in integer nano-dollars, so sums are exact and never drift. The values are
named tuples: several are made for every call, and a frozen dataclass costs ten times more to
build.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

NANOS_PER_DOLLAR = 1_000_000_000
WINDOW_SECONDS = 60.0


def to_units(dollars: float) -> int:
    return round(dollars * NANOS_PER_DOLLAR)


def to_dollars(units: int) -> float:
    return units / NANOS_PER_DOLLAR


# A budget claim's ``spent`` when this instance does not know what the period spent: a counter
# that does not exist (new, expired, or lost with Redis) is not made from it; the store answers
# ``Missing`` and the caller rehydrates it from the database (``Claim.spent`` set) and asks again.
REHYDRATE = -2


class ClaimKind(StrEnum):
    REQUESTS = "requests"  # rpm: one entry per request, counted for a minute
    TOKENS = "tokens"  # tpm: the call's tokens, counted for a minute, resized to the actual
    PARALLEL = "parallel"  # one entry per call in flight, released when it ends
    BUDGET = "budget"  # the call's worst-case cost, reserved until it settles


class Claim(NamedTuple):
    """One counter a call must fit in.

    ``lifetime`` is how long the entry counts (the window, or the lease of a call in flight:
    a crashed instance's reservations expire on their own). For budgets, ``spent`` is what the
    period had spent when the counter was first made (read from the database) and ``keep`` how
    long the counter outlives its last use.
    """

    kind: ClaimKind
    key: str
    limit: int
    weight: int
    lifetime: float
    spent: int | None = None
    keep: float | None = None
    scope: str = ""  # "key", "team"... for messages
    scope_id: str = ""


class SettleAction(StrEnum):
    RELEASE = "release"  # drop the entry (a call in flight ended)
    RESIZE = "resize"  # keep the entry, with the actual weight (tokens used)
    SPEND = "spend"  # drop the reservation, add the actual cost to ``spent``


class Settlement(NamedTuple):
    action: SettleAction
    key: str
    weight: int = 0
    spent: int | None = None  # budgets: as in ``Claim.spent``, if the counter must be remade
    keep: float | None = None


class Granted(NamedTuple):
    """Every claim fitted. ``used[i]``: claim i's counter after adding (``spent`` included);
    ``resets_in[i]``: seconds until its oldest entry expires (0 when it has none)."""

    used: tuple[int, ...]
    resets_in: tuple[float, ...]


class Refused(NamedTuple):
    """Claim number ``at`` did not fit; nothing was taken. ``retry_after`` is when enough of its
    entries expire for it to fit (``None``: never by waiting, e.g. a budget)."""

    at: int  # which claim
    used: int
    retry_after: float | None


class Missing(NamedTuple):
    """Budget counters (claims number ``at``) that do not exist and whose claim says ``REHYDRATE``:
    nothing was taken; ask again with their ``spent`` known."""

    at: tuple[int, ...]
