"""Upstream certificates through the whole facade, on either upstream transport
(``general_settings.upstream_transport``): verified against the system's authorities by default,
against a CA bundle named by ``litellm_settings.ssl_verify``, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from switchboard import Client
from switchboard.domain.errors import SwitchboardError
from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi
from tests.support.tls import self_signed

MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def upstream(certificate: tuple[Path, Path]) -> Iterator[str]:
    with serve_asgi(OpenAIUpstream(), tls=certificate) as url:
        yield url


@pytest.fixture(params=["http1", "aiohttp"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def config(url: str, transport: str, **litellm: Any) -> dict[str, Any]:
    return {
        "general_settings": {"upstream_transport": transport},
        "model_list": [
            {
                "model_name": "m",
                "litellm_params": {"model": "openai/gpt-test", "api_base": f"{url}/v1", "api_key": "sk-up"},
            }
        ],
        "litellm_settings": {"num_retries": 0, **litellm},
    }


def test_a_ca_bundle_named_by_ssl_verify_is_trusted(
    upstream: str, certificate: tuple[Path, Path], transport: str
) -> None:
    with Client(config(upstream, transport, ssl_verify=str(certificate[0]))) as client:
        assert client.chat(model="m", messages=MESSAGES).text == "echo: hi"


def test_by_default_an_unknown_authority_is_refused(upstream: str, transport: str) -> None:
    with Client(config(upstream, transport)) as client, pytest.raises(SwitchboardError, match="certificate"):
        client.chat(model="m", messages=MESSAGES)


def test_verification_can_be_turned_off(upstream: str, transport: str) -> None:
    with Client(config(upstream, transport, ssl_verify=False)) as client:
        assert client.chat(model="m", messages=MESSAGES).text == "echo: hi"
