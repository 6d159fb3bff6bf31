"""Failed authentications are throttled per client address (issue 11, item 14)."""

from __future__ import annotations

import pytest

from switchboard.application.governance.auth_throttle import AuthFailureThrottle
from switchboard.domain.errors import RateLimited
from tests.fakes.system import FakeClock


def throttle(clock: FakeClock, limit: int = 3, window: float = 60.0, max_addresses: int = 100) -> AuthFailureThrottle:
    return AuthFailureThrottle(clock, limit=limit, window=window, max_addresses=max_addresses)


def test_an_address_is_refused_once_it_reaches_the_limit_within_the_window() -> None:
    clock = FakeClock()
    gate = throttle(clock)
    for _ in range(2):
        gate.failed("10.0.0.1")
    gate.check("10.0.0.1")  # two failures: still served
    gate.failed("10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        gate.check("10.0.0.1")
    assert refused.value.retry_after == pytest.approx(60.0)
    assert refused.value.code == "auth_throttled"


def test_retry_after_counts_down_to_the_end_of_the_window() -> None:
    clock = FakeClock()
    gate = throttle(clock)
    gate.failed("10.0.0.1")
    clock.advance(20)
    gate.failed("10.0.0.1")
    gate.failed("10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        gate.check("10.0.0.1")
    assert refused.value.retry_after == pytest.approx(40.0)


def test_the_refusal_ends_with_the_window() -> None:
    clock = FakeClock()
    gate = throttle(clock)
    for _ in range(3):
        gate.failed("10.0.0.1")
    clock.advance(60)
    gate.check("10.0.0.1")
    assert gate.blocked == {}


def test_failures_spread_over_more_than_a_window_are_never_refused() -> None:
    clock = FakeClock()
    gate = throttle(clock)
    for _ in range(10):
        gate.failed("10.0.0.1")
        clock.advance(31)
        gate.failed("10.0.0.1")
        clock.advance(31)
        gate.check("10.0.0.1")


def test_other_addresses_are_not_refused() -> None:
    clock = FakeClock()
    gate = throttle(clock)
    for _ in range(3):
        gate.failed("10.0.0.1")
    gate.check("10.0.0.2")


def test_no_address_is_blocked_until_one_fails_too_often() -> None:
    gate = throttle(FakeClock())
    gate.failed("10.0.0.1")
    assert gate.blocked == {}  # the request path reads this as "nothing to check"


def test_at_most_max_addresses_are_tracked_the_oldest_forgotten_first() -> None:
    clock = FakeClock()
    gate = throttle(clock, limit=2, max_addresses=3)
    gate.failed("a")
    for address in ("b", "c", "d"):
        gate.failed(address)
    gate.failed("a")  # "a" was forgotten: this is its first failure again
    gate.check("a")
    gate.failed("d")
    with pytest.raises(RateLimited):
        gate.check("d")
