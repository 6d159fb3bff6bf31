"""Requests written byte by byte to a served gateway (uvicorn and httptools, as in production):
path and Host confusion never reach a management route without a credential, smuggling and
malformed framing are refused, and no header a client sends is echoed in a way that splits the
answer. Every answer is a well-formed HTTP response; none is a 5xx."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import gateway_process, write_config

pytestmark = pytest.mark.server

MASTER = "sk-master-raw-0123456789"


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("raw")
    config = write_config(
        folder,
        {
            "general_settings": {
                "master_key": MASTER,
                "database_url": f"sqlite:///{folder}/gateway.db",
                "request_header_timeout": 2,  # a request left incomplete is answered 408 soon
                "request_body_timeout": 2,
            }
        },
    )
    with gateway_process(config, folder / "gateway.log") as url:
        yield "127.0.0.1", int(url.rsplit(":", 1)[1])


def exchange(address: tuple[str, int], raw: bytes) -> bytes:
    """Send ``raw`` on a new connection; everything the server answers until it closes (each
    request says ``connection: close``, or is refused, or times out incomplete)."""
    with socket.create_connection(address, timeout=15) as client:
        client.sendall(raw)
        data = b""
        while chunk := client.recv(65536):
            data += chunk
    return data


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


PATH_TRICKS = [
    "/key/list/",
    "//key/list",
    "/./key/list",
    "/health/../key/list",
    "/health/%2e%2e/key/list",
    "/key%2flist",
    "/KEY/LIST",
    "/key/list%00",
    "/key/list;x=1",
    "/v1/../key/list",
    "/key/list?key=x#frag",
    "http://evil.example/key/list",
    "*",
]


@pytest.mark.parametrize("target", PATH_TRICKS)
def test_path_tricks_never_reach_a_management_route_without_a_credential(address: tuple[str, int], target: str) -> None:
    answer = exchange(address, f"GET {target} HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n\r\n".encode())

    assert status_of(answer) in (400, 401, 404, 405)


@pytest.mark.parametrize(
    "host_headers",
    [
        b"host: evil.example\r\n",
        b"host: gateway\r\nhost: evil.example\r\n",
        b"host: localhost:4000/health/liveliness?\r\n",
        b"host: a@b\r\n",
        b"x-forwarded-host: localhost\r\nx-forwarded-for: 127.0.0.1\r\nhost: gateway\r\n",
        b"x-original-url: /health/liveliness\r\nx-rewrite-url: /health/liveliness\r\nhost: gateway\r\n",
        b"",
    ],
)
def test_host_tricks_never_reach_a_management_route_without_a_credential(
    address: tuple[str, int], host_headers: bytes
) -> None:
    answer = exchange(address, b"GET /key/list HTTP/1.1\r\n" + host_headers + b"connection: close\r\n\r\n")

    assert status_of(answer) in (400, 401)


@pytest.mark.parametrize(
    "raw",
    [
        # CL.TE and TE.CL smuggling: a second request hidden in the body
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n"
        b"0\r\n\r\nGET /key/list HTTP/1.1\r\nhost: g\r\n\r\n",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ntransfer-encoding: chunked\r\ncontent-length: 60\r\n\r\n"
        b"0\r\n\r\nGET /key/list HTTP/1.1\r\nhost: g\r\n\r\n",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ntransfer-encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ncontent-length: 5\r\ncontent-length: 50\r\n\r\nhello",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: g\r\ncontent-length: -1\r\n\r\n",
        b"GET /health/liveliness HTTP/1.1\r\nhost: g\r\nx-bad\x00header: 1\r\n\r\n",
        b"GET /health/liveliness HTTP/1.1\r\nhost: g\r\n folded: continuation\r\n\r\n",
        b"GET /health/liveliness HTTP/9.9\r\nhost: g\r\n\r\n",
        b"GARBAGE\r\n\r\n",
    ],
)
def test_smuggling_and_malformed_framing_never_reach_a_management_route(address: tuple[str, int], raw: bytes) -> None:
    answer = exchange(address, raw)

    statuses = [int(part[:3]) for part in answer.split(b"HTTP/1.1 ")[1:] if part[:3].isdigit()]
    assert answer == b"" or statuses, answer[:300]
    assert 200 not in statuses[1:]  # no smuggled second request answered
    assert all(status < 500 for status in statuses), answer[:300]


@pytest.mark.parametrize(
    "request_id",
    [b"abc\r\nset-cookie: stolen=1", b"abc\rset-cookie: stolen=1", b"abc%0d%0aset-cookie:%20stolen=1", b"x" * 8000],
)
def test_a_request_id_cannot_split_the_answer(address: tuple[str, int], request_id: bytes) -> None:
    answer = exchange(
        address,
        b"GET /health/liveliness HTTP/1.1\r\nhost: g\r\nx-request-id: " + request_id + b"\r\nconnection: close\r\n\r\n",
    )

    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert b"\r\nset-cookie" not in head
    assert status_of(answer) in (200, 400, 431)


def test_the_gateway_still_answers_after_every_trick(address: tuple[str, int]) -> None:
    answer = exchange(address, b"GET /health/liveliness HTTP/1.1\r\nhost: g\r\nconnection: close\r\n\r\n")

    assert status_of(answer) == 200


def test_management_answers_the_master_key(address: tuple[str, int], tmp_path: Path) -> None:
    raw = f"GET /key/list HTTP/1.1\r\nhost: g\r\nauthorization: Bearer {MASTER}\r\nconnection: close\r\n\r\n"

    assert status_of(exchange(address, raw.encode())) == 200
