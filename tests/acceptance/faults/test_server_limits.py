"""`switchboard serve` applies its connection limits from the configuration: a slowloris client
is answered 408 and disconnected, and one address cannot hold more than its share."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.support.processes import gateway_process, write_config

pytestmark = pytest.mark.server


def _read_all(client: socket.socket) -> bytes:
    data = b""
    while chunk := client.recv(65536):
        data += chunk
    return data


def test_the_served_gateway_cuts_off_slow_headers_and_extra_connections(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        {"general_settings": {"request_header_timeout": 0.5, "max_connections_per_client": 3}},
    )
    with gateway_process(config, tmp_path / "gateway.log") as url:
        address = ("127.0.0.1", int(url.rsplit(":", 1)[1]))
        with socket.create_connection(address, timeout=20) as slow:
            slow.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n")
            assert _read_all(slow).startswith(b"HTTP/1.1 408 ")

        held = [socket.create_connection(address, timeout=20) for _ in range(3)]
        try:
            with socket.create_connection(address, timeout=20) as extra:
                assert _read_all(extra) == b""
        finally:
            for client in held:
                client.close()

        live = httpx.get(f"{url}/health/liveliness", timeout=20)
        assert live.status_code == 200
