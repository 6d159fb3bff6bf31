"""Small honest implementations of ports, for tests."""

from tests.fakes.system import FakeClock, FakeIds, FakeRandom, FakeTokenCounter

__all__ = ["FakeClock", "FakeIds", "FakeRandom", "FakeTokenCounter"]
