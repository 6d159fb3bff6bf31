"""A blocking ``Client`` runs its own event loop on a thread: closing it, or dropping it, ends
that thread and closes the loop, so nothing outlives the client."""

from __future__ import annotations

import gc
import threading

from switchboard import Client

HI = [{"role": "user", "content": "hi"}]


def _client_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "switchboard-client"]


def test_a_closed_client_leaves_no_thread_behind() -> None:
    before = _client_threads()
    client = Client()
    client.chat(model="mock", messages=HI)

    client.close()

    assert _client_threads() == before


def test_closing_twice_is_harmless() -> None:
    client = Client()
    client.close()
    client.close()


def test_a_client_dropped_without_close_leaves_no_thread_behind() -> None:
    before = _client_threads()
    client = Client()
    client.chat(model="mock", messages=HI)

    del client
    gc.collect()

    assert _client_threads() == before
