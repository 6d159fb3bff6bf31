"""Small honest implementations of ports, for tests."""

from tests.fakes.catalog import FakeModelCatalog
from tests.fakes.system import FakeClock, FakeIds, FakeRandom, FakeTokenCounter

__all__ = ["FakeClock", "FakeIds", "FakeModelCatalog", "FakeRandom", "FakeTokenCounter"]
