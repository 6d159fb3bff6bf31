"""The server process collects garbage less often than CPython's default; the facade does not
touch its host's collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from switchboard.bootstrap.http import SERVER_GC_THRESHOLD, create_app_from_env
from switchboard.bootstrap.settings import CONFIG_ENV


@pytest.fixture
def saved_threshold() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


async def test_the_server_raises_the_collection_threshold_once_started(
    saved_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    gc.set_threshold(700, 10, 10)
    app = create_app_from_env()
    assert gc.get_threshold() == (700, 10, 10)
    async with app.lifespan():
        assert gc.get_threshold() == SERVER_GC_THRESHOLD


def test_a_facade_client_leaves_the_collector_alone(saved_threshold: None) -> None:
    from switchboard import Client

    gc.set_threshold(700, 10, 10)
    Client({"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m"}}]}).close()
    assert gc.get_threshold() == (700, 10, 10)
