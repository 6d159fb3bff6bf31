"""Real servers on 127.0.0.1 for acceptance tests: the gateway, and any ASGI app as a fake upstream.

In-process test clients buffer streams, so anything about streaming or disconnects needs these.
Each server runs uvicorn in a daemon thread with its own event loop, on a free port.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_asgi(
    app: Any, *, port: int | None = None, tls: tuple[Path, Path] | None = None, http: Any = "h11"
) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1; yields its base URL (``http://127.0.0.1:PORT``, or https with
    ``tls``: a certificate file and its key). ``http``: uvicorn's protocol (a name or a class)."""
    port = port or free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        loop="asyncio",
        http=http,
        timeout_graceful_shutdown=2,
        ssl_certfile=str(tls[0]) if tls else None,
        ssl_keyfile=str(tls[1]) if tls else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"server on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_gateway(config: Mapping[str, Any]) -> Iterator[str]:
    """The real gateway app for ``config`` (a config dict) on 127.0.0.1; yields its base URL.

    With a master key and no ``database_url``, the database is a SQLite file in a fresh
    temporary directory (not ``./switchboard.db``)."""
    from switchboard.bootstrap.http import create_app

    config = dict(config)
    general = dict(config.get("general_settings") or {})
    with tempfile.TemporaryDirectory() as folder:
        if general.get("master_key") and not general.get("database_url"):
            general["database_url"] = f"sqlite:///{folder}/switchboard.db"
            config["general_settings"] = general
        with serve_asgi(create_app(config)) as url:
            yield url


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Run an ASGI app's start-up and shut-down in this event loop (for in-process clients that
    must send requests concurrently, which Litestar's test client does not)."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def receive() -> dict[str, Any]:
        return await to_app.get()

    async def send(message: dict[str, Any]) -> None:
        await from_app.put(message)

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send))
    await to_app.put({"type": "lifespan.startup"})
    started = await from_app.get()
    if started["type"] != "lifespan.startup.complete":
        task.cancel()
        raise RuntimeError(f"start-up failed: {started.get('message')}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await from_app.get()
        await task


def in_process(app: Any) -> httpx.ASGITransport:
    """httpx's in-process transport to an ASGI app (such as Litestar, whose ASGI types httpx's
    annotations do not name)."""
    return httpx.ASGITransport(app=app)
