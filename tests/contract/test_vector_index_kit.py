"""The vector index contract (semantic cache): in memory and in plain Redis, the same answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.cache.harness import IndexHarness, open_index

INDEXES = ["memory", "redis"]


@pytest.fixture(params=INDEXES)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[IndexHarness]:
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    async with open_index(request.param, redis_url=redis_url, max_entries=3) as opened:
        yield opened


async def test_an_empty_scope_has_no_nearest(harness: IndexHarness) -> None:
    assert await harness.index.nearest("scope", [1.0, 0.0]) is None


async def test_the_nearest_is_the_most_similar_with_its_cosine(harness: IndexHarness) -> None:
    await harness.index.add("s", [1.0, 0.0, 0.0], "east")
    await harness.index.add("s", [0.0, 1.0, 0.0], "north")
    found = await harness.index.nearest("s", [2.0, 1.0, 0.0])  # cos to east = 2/sqrt(5)
    assert found is not None
    assert found[0] == "east"
    assert found[1] == pytest.approx(2 / 5**0.5, abs=1e-6)


async def test_an_identical_vector_scores_one(harness: IndexHarness) -> None:
    await harness.index.add("s", [0.3, -0.2, 0.9], "k")
    found = await harness.index.nearest("s", [0.3, -0.2, 0.9])
    assert found is not None and found[1] == pytest.approx(1.0, abs=1e-6)


async def test_scopes_are_kept_apart(harness: IndexHarness) -> None:
    await harness.index.add("team-a", [1.0, 0.0], "a")
    assert await harness.index.nearest("team-b", [1.0, 0.0]) is None


async def test_re_adding_a_key_replaces_its_vector(harness: IndexHarness) -> None:
    await harness.index.add("s", [1.0, 0.0], "k")
    await harness.index.add("s", [0.0, 1.0], "k")
    found = await harness.index.nearest("s", [0.0, 1.0])
    assert found is not None and found[1] == pytest.approx(1.0, abs=1e-6)


async def test_an_expired_vector_never_matches(harness: IndexHarness) -> None:
    await harness.index.add("s", [1.0, 0.0], "old", ttl=10)
    harness.clock.advance(11)
    assert await harness.index.nearest("s", [1.0, 0.0]) is None


async def test_a_vector_of_another_length_never_matches(harness: IndexHarness) -> None:
    await harness.index.add("s", [1.0, 0.0, 0.0], "three")
    assert await harness.index.nearest("s", [1.0, 0.0]) is None


async def test_past_the_bound_the_oldest_added_is_dropped(harness: IndexHarness) -> None:
    for name, vector in [("a", [1.0, 0.0]), ("b", [0.0, 1.0]), ("c", [-1.0, 0.0]), ("d", [0.0, -1.0])]:
        await harness.index.add("s", vector, name)
    found = await harness.index.nearest("s", [1.0, 0.0])
    assert found is not None and found[0] != "a"
