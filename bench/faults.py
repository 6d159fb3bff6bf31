"""`make bench-faults`: what faults cost, as figures (the fault tests assert the counts).

    spend rows lost to kill -9        answered calls whose row is missing after a restart,
                                      with the journal (the default) and without it
    recovery after a Redis pause      from SIGCONT to the first budgeted call admitted again
    recovery after a Redis restart    from the restart to the first budgeted call admitted
    recovery after a database outage  from the database's restart to the first new key served
    cancellation latency              from a client's disconnect to the upstream seeing its
                                      request cancelled (a stream before its first byte, and a
                                      call that never answers), the client leaving at once or
                                      0.2 s in (a call is watched after 50 ms at most)

Each gateway is a real `switchboard serve` process; Redis and PostgreSQL are servers of this
script's own on free ports (never the shared ones). Run from the repository root:

    .venv/bin/python bench/faults.py [--calls 200]
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' support: real servers, fakes

from tests.support.asgi import lifespan, read_body
from tests.support.disposable import disposable_postgres, disposable_redis
from tests.support.processes import LAUNCHER, RunningGateway, serving, write_config
from tests.support.servers import serve_asgi

MASTER = "sk-master-bench-faults"
ADMIN = {"authorization": f"Bearer {MASTER}"}
CHAT = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
PRICED = {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}


def _config(folder: Path, **general: Any) -> Path:
    return write_config(
        folder,
        {
            "model_list": [
                {
                    "model_name": "m",
                    "litellm_params": {"model": "mock/mock", "mock_response": "ok"},
                    "model_info": PRICED,
                }
            ],
            "general_settings": {"master_key": MASTER, "database_url": f"sqlite:///{folder}/gw.db", **general},
        },
    )


@contextmanager
def _gateway(config: Path, log: Path) -> Iterator[RunningGateway]:
    with serving([*LAUNCHER, "serve", "--config", str(config)], log) as gateway:
        yield gateway


def _key(url: str, **limits: Any) -> str:
    return str(httpx.post(f"{url}/key/generate", json=limits, headers=ADMIN, timeout=30).json()["key"])


def _chat(url: str, key: str, body: dict[str, Any] = CHAT) -> int:
    try:
        return httpx.post(
            f"{url}/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}, timeout=30
        ).status_code
    except httpx.HTTPError:
        return 0


def _until_served(call: Callable[[], int], limit: float = 60.0) -> float:
    """Seconds until ``call`` answers 200 (polled as fast as it answers)."""
    start = time.monotonic()
    while call() != 200:
        if time.monotonic() - start > limit:
            return float("inf")
    return time.monotonic() - start


def kill9_loss(calls: int, journal: bool) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        config = _config(base, proxy_batch_write_at=0.5, **({} if journal else {"spend_journal_dir": False}))
        with _gateway(config, base / "a.log") as first:
            key = _key(first.url)
            answered = sum(_chat(first.url, key) == 200 for _ in range(calls))
            first.kill()
        with _gateway(config, base / "b.log"):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with sqlite3.connect(base / "gw.db") as db:
                    rows = db.execute("SELECT count(*) FROM sb_spend_logs").fetchone()[0]
                if rows >= answered:
                    break
                time.sleep(0.1)
        return answered, answered - rows


def redis_recovery(restart: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with disposable_redis(base / "redis") as redis:
            config = _config(base, redis_url=redis.url)
            with _gateway(config, base / "gw.log") as gateway:
                key = _key(gateway.url, max_budget=100)
                assert _chat(gateway.url, key) == 200
                if restart:
                    redis.stop()
                    _chat(gateway.url, key)  # fails: the breaker opens
                    redis.start()
                else:
                    redis.pause()
                    _chat(gateway.url, key)
                    redis.resume()
                return _until_served(lambda: _chat(gateway.url, key))


def database_recovery() -> float:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        with disposable_postgres() as postgres:
            config = _config(base, database_url=postgres.url, auto_migrate=True, user_api_key_cache_ttl=0.01)
            with _gateway(config, base / "gw.log") as gateway:
                key = _key(gateway.url)
                assert _chat(gateway.url, key) == 200
                postgres.stop()
                _chat(gateway.url, key)
                postgres.start()
                return _until_served(lambda: _chat(gateway.url, key))


class _Hanging:
    """An upstream that never answers and records when the gateway gives up each request it
    holds: when the request's connection closes (the server says ``http.disconnect``)."""

    def __init__(self) -> None:
        self.arrived = threading.Semaphore(0)
        self.cancelled_at: list[float] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        await read_body(receive)
        self.arrived.release()
        while (await receive())["type"] != "http.disconnect":
            pass
        self.cancelled_at.append(time.monotonic())


def cancellation_latency(stream: bool, rounds: int, after: float = 0.0) -> list[float]:
    """Seconds from each client's disconnect to its upstream request's connection closing; the
    client leaves ``after`` seconds after the upstream has its request."""
    upstream = _Hanging()
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder, serve_asgi(upstream) as upstream_url:
        base = Path(folder)
        config = write_config(
            base,
            {
                "model_list": [
                    {
                        "model_name": "m",
                        "litellm_params": {"model": "openai/m", "api_base": f"{upstream_url}/v1", "api_key": "k"},
                    }
                ]
            },
        )
        with _gateway(config, base / "gw.log") as gateway:
            port = int(gateway.url.rsplit(":", 1)[1])
            body = orjson.dumps({**CHAT, "stream": stream})
            for _ in range(rounds):
                seen = len(upstream.cancelled_at)
                client = socket.create_connection(("127.0.0.1", port))
                client.sendall(
                    b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                upstream.arrived.acquire(timeout=30)
                time.sleep(after)
                left = time.monotonic()
                client.close()
                deadline = left + 30
                while len(upstream.cancelled_at) == seen and time.monotonic() < deadline:
                    time.sleep(0.001)
                latencies.append(
                    upstream.cancelled_at[-1] - left if len(upstream.cancelled_at) > seen else float("inf")
                )
    return latencies


def _ms(seconds: float) -> str:
    return "never" if seconds == float("inf") else f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20, help="client disconnects timed, of each kind")
    args = parser.parse_args()
    for journal in (True, False):
        answered, lost = kill9_loss(args.calls, journal)
        print(f"kill -9 after {answered} answered calls, journal {'on ' if journal else 'off'}: {lost} rows lost")
    print(f"recovery after a Redis pause:     {_ms(redis_recovery(restart=False))}")
    print(f"recovery after a Redis restart:   {_ms(redis_recovery(restart=True))}")
    print(f"recovery after a database outage: {_ms(database_recovery())}")
    for stream, after in ((False, 0.0), (True, 0.0), (False, 0.2), (True, 0.2)):
        latencies = cancellation_latency(stream, args.rounds, after)
        what = "a stream before its first byte" if stream else "a call that never answers   "
        what += f", client leaving {after:.1f} s in"
        finite = [x for x in latencies if x != float("inf")]
        median = statistics.median(finite) if finite else float("inf")
        print(
            f"cancellation of {what}: p50 {_ms(median)}, max {_ms(max(latencies))}"
            f" ({len(finite)}/{len(latencies)} upstream requests closed after the client left)"
        )


if __name__ == "__main__":
    main()
