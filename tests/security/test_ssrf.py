"""No request field makes the gateway connect anywhere but the upstreams its configuration names.

Every field a client might use to redirect a call, its credentials or its logs (LiteLLM reads
several per request: ``api_base``, ``base_url``, ``user_config``, per-request callbacks and their
hosts) is sent pointing at a canary listener: at the top level, inside ``extra_body`` (as a raw
key; the SDKs merge it into the top level), inside ``metadata``, and nested deeper. Each request
is answered (200) or refused (400), never a 5xx, and the canary sees no connection at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.security.canary import Canary, canary_listener
from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway

KEY = "sk-upstream-key"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with canary_listener() as listener:
        yield listener


@pytest.fixture(scope="module", params=[False, True], ids=["refusing", "dropping"])
def gateway(canary: Canary, request: pytest.FixtureRequest) -> Iterator[str]:
    """The gateway refusing unknown parameters (400), and dropping them (the call goes on)."""
    with serve_asgi(OpenAIUpstream()) as upstream:
        config = {
            "model_list": [
                {
                    "model_name": "gpt",
                    "litellm_params": {"model": "openai/gpt-4o", "api_base": f"{upstream}/v1", "api_key": KEY},
                },
                {
                    "model_name": "embed",
                    "litellm_params": {
                        "model": "openai/text-embedding-3-small",
                        "api_base": f"{upstream}/v1",
                        "api_key": KEY,
                    },
                },
                {"model_name": "mock", "litellm_params": {"model": "mock/mock"}},
            ],
            "litellm_settings": {"drop_params": request.param},
        }
        with serve_gateway(config) as url:
            yield url


def _redirects(url: str) -> dict[str, Any]:
    """Every field that could name a place to connect to, a credential or a log sink."""
    return {
        "api_base": url,
        "base_url": url,
        "api_host": url,
        "azure_endpoint": url,
        "azure_ad_token_provider": url,
        "aws_bedrock_runtime_endpoint": url,
        "vertex_ai_base_url": url,
        "proxy": url,
        "http_proxy": url,
        "https_proxy": url,
        "webhook_url": url,
        "callback_url": url,
        "langfuse_host": url,
        "langfuse_public_key": "pk",
        "success_callback": ["webhook", url],
        "failure_callback": [url],
        "callbacks": [url],
        "logger_fn": url,
        "user_config": {
            "model_list": [{"model_name": "gpt", "litellm_params": {"model": "openai/x", "api_base": url}}]
        },
        "litellm_params": {"api_base": url},
        "extra_headers": {"host": f"127.0.0.1:{url.rsplit(':', 1)[1]}", "x-forwarded-host": url},
    }


def _bodies(model: str, base: dict[str, Any], url: str) -> list[dict[str, Any]]:
    fields = _redirects(url)
    bodies = [{**base, "model": model, name: value} for name, value in fields.items()]
    bodies.append({**base, "model": model, "extra_body": fields})
    bodies.append({**base, "model": model, "metadata": fields})
    bodies.append({**base, "model": model, "metadata": {"nested": {"deeper": fields}}, "user": url})
    return bodies


CHAT = {"messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize("model", ["gpt", "mock"])
def test_no_chat_field_reaches_the_canary(gateway: str, canary: Canary, model: str) -> None:
    statuses = set()
    for body in _bodies(model, CHAT, canary.url):
        statuses.add(httpx.post(f"{gateway}/v1/chat/completions", json=body, timeout=30).status_code)
        statuses.add(
            httpx.post(f"{gateway}/v1/chat/completions", json={**body, "stream": True}, timeout=30).status_code
        )

    assert statuses <= {200, 400}
    assert canary.hits == []


def test_no_field_of_the_other_endpoints_reaches_the_canary(gateway: str, canary: Canary) -> None:
    statuses = set()
    for body in _bodies("embed", {"input": ["a"]}, canary.url):
        statuses.add(httpx.post(f"{gateway}/v1/embeddings", json=body, timeout=30).status_code)
    for body in _bodies("mock", {"prompt": "hi"}, canary.url):
        statuses.add(httpx.post(f"{gateway}/v1/completions", json=body, timeout=30).status_code)
    for body in _bodies("mock", {"prompt": "a lighthouse"}, canary.url):
        statuses.add(httpx.post(f"{gateway}/v1/images/generations", json=body, timeout=30).status_code)
    form = {name: str(value) for name, value in _redirects(canary.url).items()}
    transcription = httpx.post(
        f"{gateway}/v1/audio/transcriptions",
        data={"model": "mock", **form},
        files={"file": ("a.wav", b"RIFF....WAVE", "audio/wav")},
        timeout=30,
    )
    statuses.add(transcription.status_code)

    assert statuses <= {200, 400}
    assert canary.hits == []


def test_image_urls_in_messages_are_never_fetched_by_the_gateway(gateway: str, canary: Canary) -> None:
    content = [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": f"{canary.url}/a.png"}},
    ]
    for model in ("gpt", "mock"):
        httpx.post(
            f"{gateway}/v1/chat/completions",
            json={"model": model, "messages": [{"role": "user", "content": content}]},
            timeout=30,
        )

    assert canary.hits == []
