"""GeminiProvider's I/O shell against a fake upstream on 127.0.0.1: URLs, keys, streams, embeddings."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.gemini import GeminiProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, RateLimited
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.support.google_schema import validate_batch_embed_request, validate_request
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream
from tests.unit.adapters.providers.gemini.recorded import load, raw


def provider(answer: Any, environ: dict[str, str] | None = None) -> tuple[GeminiProvider, RecordingUpstream]:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return answer(request, counter) if callable(answer) else httpx.Response(200, json=answer)

    upstream = RecordingUpstream(handler)
    return (
        GeminiProvider(upstream.transport(), FakeClock(), FakeIds(), FakeTokenCounter(), environ=environ or {}),
        upstream,
    )


def deployment(**fields: Any) -> Deployment:
    return Deployment(id="d1", model_name="g", provider="gemini", model="gemini-2.5-flash", **fields)


def chat(d: Deployment, **params: Any) -> ChatCall:
    request = ChatRequest.model_validate({"model": "g", "messages": [{"role": "user", "content": "Hi"}], **params})
    return ChatCall(request=request, deployment=d)


async def test_complete_posts_to_generate_content_with_the_key_header() -> None:
    gemini, upstream = provider(load("text_response.json"))
    response = await gemini.complete(chat(deployment(api_key="AIza-deployment-key")))
    sent = upstream.requests[0]
    assert str(sent.url) == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
    assert sent.headers["x-goog-api-key"] == "AIza-deployment-key"
    assert "authorization" not in sent.headers
    validate_request(orjson.loads(sent.content))
    assert response.text == "The capital of France is Paris."
    assert response.created == 1_700_000_000


@pytest.mark.parametrize("variable", ["GEMINI_API_KEY", "GOOGLE_API_KEY"])
async def test_the_key_falls_back_to_the_environment(variable: str) -> None:
    gemini, upstream = provider(load("text_response.json"), environ={variable: "AIza-env-key"})
    await gemini.complete(chat(deployment()))
    assert upstream.requests[0].headers["x-goog-api-key"] == "AIza-env-key"


async def test_without_any_key_nothing_is_sent() -> None:
    gemini, upstream = provider(load("text_response.json"))
    with pytest.raises(AuthenticationError):
        await gemini.complete(chat(deployment()))
    assert upstream.requests == []


async def test_a_custom_api_base_may_go_without_a_key_and_gets_extra_headers() -> None:
    gemini, upstream = provider(load("text_response.json"))
    d = deployment(api_base="https://gw.example/google", params={"extra_headers": {"X-Team": "a"}})
    await gemini.complete(chat(d))
    sent = upstream.requests[0]
    assert str(sent.url) == "https://gw.example/google/models/gemini-2.5-flash:generateContent"
    assert sent.headers["x-team"] == "a" and "x-goog-api-key" not in sent.headers


async def test_a_response_id_missing_from_the_answer_comes_from_the_id_source() -> None:
    payload = load("text_response.json")
    del payload["responseId"]
    gemini, _ = provider(payload)
    assert (await gemini.complete(chat(deployment(api_key="k-123456")))).id == "chatcmpl-1"


async def test_a_stream_reads_server_sent_events_and_ends_with_usage() -> None:
    def answer(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        assert request.url.params["alt"] == "sse"
        body = raw("stream_text.sse")
        return httpx.Response(200, stream=TrackedStream([body[:50], body[50:]], counter))

    gemini, upstream = provider(answer)
    async with gemini.stream(chat(deployment(api_key="k-123456"), stream=True)) as chunks:
        received = [c async for c in chunks]
    assert "".join(c.text for c in received).startswith("Autumn moonlight")
    assert received[-1].usage is not None
    assert upstream.counter.open == 0


async def test_an_error_event_mid_stream_raises_while_iterating() -> None:
    event = b'data: {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}\r\n\r\n'

    def answer(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        first = raw("stream_text.sse").split(b"\r\n\r\n")[0] + b"\r\n\r\n"
        return httpx.Response(200, stream=TrackedStream([first, event], counter))

    gemini, upstream = provider(answer)
    with pytest.raises(ProviderUnavailable):
        async with gemini.stream(chat(deployment(api_key="k-123456"), stream=True)) as chunks:
            async for _ in chunks:
                pass
    assert upstream.counter.open == 0


async def test_a_rate_limited_stream_raises_on_enter_with_retry_after() -> None:
    gemini, _ = provider(lambda r, c: httpx.Response(429, content=raw("error_rate_limit.json")))
    with pytest.raises(RateLimited) as caught:
        async with gemini.stream(chat(deployment(api_key="k-123456"), stream=True)):
            pass
    assert caught.value.retry_after == 37


async def test_embeddings_use_batch_embed_contents_and_estimate_usage() -> None:
    gemini, upstream = provider(load("batch_embed_response.json"))
    request = EmbeddingRequest(model="e", input=["hello world", "bye"], dimensions=3)
    d = Deployment(id="e1", model_name="e", provider="gemini", model="gemini-embedding-001", api_key="k-123456")
    response = await gemini.embed(EmbeddingCall(request=request, deployment=d))
    sent = upstream.requests[0]
    assert str(sent.url).endswith("/v1beta/models/gemini-embedding-001:batchEmbedContents")
    body = orjson.loads(sent.content)
    validate_batch_embed_request(body)
    assert [r["outputDimensionality"] for r in body["requests"]] == [3, 3]
    assert [d.index for d in response.data] == [0, 1]
    assert response.usage.prompt_tokens == 3  # estimated: the fake counts words


async def test_embeddings_use_the_token_count_google_reports() -> None:
    payload = {**load("batch_embed_response.json"), "usageMetadata": {"promptTokenCount": 9}}
    gemini, _ = provider(payload)
    d = Deployment(id="e1", model_name="e", provider="gemini", model="gemini-embedding-001", api_key="k-123456")
    response = await gemini.embed(EmbeddingCall(request=EmbeddingRequest(model="e", input=["a", "b"]), deployment=d))
    assert response.usage.prompt_tokens == 9
