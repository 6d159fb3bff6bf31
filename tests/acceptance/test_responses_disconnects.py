"""A Responses client that leaves before the upstream's first byte closes the upstream request
and the call is settled (issue 12: "disconnects that leave the upstream open")."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIUpstream, str]) -> Iterator[str]:
    params = {"model": "openai/hang", "api_base": f"{upstream[1]}/v1", "api_key": "sk-upstream"}
    with serve_gateway({"model_list": [{"model_name": "hang", "litellm_params": params}]}) as base:
        yield base


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("stream", [False, True])
def test_leaving_before_the_first_byte_cancels_the_upstream_request(
    gateway: str, upstream: tuple[OpenAIUpstream, str], stream: bool
) -> None:
    app, _ = upstream
    before = app.state.cancelled
    body = {"model": "hang", "input": "hello", "stream": stream}
    with httpx.Client(timeout=httpx.Timeout(10, read=0.5)) as client, pytest.raises(httpx.ReadTimeout):
        client.post(f"{gateway}/v1/responses", json=body)  # the client gives up and closes the socket
    assert wait_until(lambda: app.state.cancelled > before and app.state.hanging == 0)
