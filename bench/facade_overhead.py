"""In-process facade overhead: ``AsyncClient.chat`` against a raw aiohttp call and a raw call on
the gateway's own transport, to the same mock upstream (``mock_upstream.py`` from the shared
harness), sequential calls, CPU and wall per call.

    .venv/bin/python bench/facade_overhead.py --harness ../shared/bench [--n 2000]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import orjson

from switchboard import AsyncClient

MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Say hello to the benchmark in one short sentence, please."},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def measure(name: str, call: Callable[[], Awaitable[None]], n: int) -> float:
    for _ in range(100):
        await call()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await call()
    wall_us = (time.perf_counter() - wall) / n * 1e6
    cpu_us = (time.process_time() - cpu) / n * 1e6
    print(f"{name:34s} {wall_us:8.1f} us/call wall {cpu_us:8.1f} us/call CPU")
    return wall_us


async def run(base: str, n: int) -> None:
    body = orjson.dumps({"model": "mock", "messages": MESSAGES, "max_tokens": 64})
    async with aiohttp.ClientSession() as session:

        async def raw() -> None:
            async with session.post(
                f"{base}/chat/completions", data=body, headers={"content-type": "application/json"}
            ) as response:
                orjson.loads(await response.read())

        raw_us = await measure("raw aiohttp post + json", raw, n)
    from switchboard.adapters.outbound.transport.http1 import Http1Transport

    transport = Http1Transport()

    async def own() -> None:
        reply = await transport.send(
            "POST", f"{base}/chat/completions", headers={"content-type": "application/json"}, body=body, timeout=60
        )
        orjson.loads(reply.body)

    own_us = await measure("raw Http1Transport post + json", own, n)
    await transport.aclose()
    config = {
        "model_list": [
            {"model_name": "mock", "litellm_params": {"model": "openai/mock", "api_base": base, "api_key": "x"}}
        ]
    }
    async with AsyncClient(config) as client:

        async def facade() -> None:
            await client.chat(model="mock", messages=MESSAGES, max_tokens=64)

        facade_us = await measure("switchboard AsyncClient.chat", facade, n)
    print(f"facade over a raw aiohttp call: {facade_us - raw_us:+.1f} us per call")
    print(f"facade over its own transport alone: {facade_us - own_us:+.1f} us per call")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    port = free_port()
    mock = subprocess.Popen(
        [sys.executable, os.path.join(args.harness, "mock_upstream.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        import uvloop

        uvloop.run(run(f"http://127.0.0.1:{port}/v1", args.n))
    finally:
        mock.terminate()
        mock.wait(timeout=5)


if __name__ == "__main__":
    main()
