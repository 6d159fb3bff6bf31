"""A canary listener: a TCP port that counts every connection made to it. A test points request
fields at it; if the gateway ever connects there, the count says so."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Canary:
    port: int
    hits: list[bytes] = field(default_factory=list)  # the first bytes each connection sent

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def canary_listener() -> Iterator[Canary]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    canary = Canary(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    canary.hits.append(connection.recv(4096))
                except OSError:
                    canary.hits.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
