from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from switchboard.adapters.outbound.providers.ollama import OllamaProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import NotFound, UpstreamProtocolError
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes import FakeClock, FakeIds
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"


def upstream(content: bytes, status: int = 200) -> RecordingUpstream:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(status, stream=TrackedStream([content], counter))

    return RecordingUpstream(handler)


def provider(fake: RecordingUpstream, environ: dict[str, str] | None = None) -> OllamaProvider:
    return OllamaProvider(fake.transport(), FakeClock(), FakeIds(), environ=environ or {})


def deployment(**fields: object) -> Deployment:
    return Deployment.model_validate(
        {"id": "d1", "model_name": "l", "provider": "ollama", "model": "llama3.2", **fields}
    )


def chat(target: Deployment, **request: object) -> ChatCall:
    body = {"model": "l", "messages": [{"role": "user", "content": "Hi"}], **request}
    return ChatCall(request=ChatRequest.model_validate(body), deployment=target)


async def test_a_local_server_needs_no_key_and_gets_no_authorization_header() -> None:
    fake = upstream((FIXTURES / "chat_text.json").read_bytes())
    response = await provider(fake).complete(chat(deployment()))
    assert str(fake.requests[0].url) == "http://localhost:11434/api/chat"
    assert "authorization" not in fake.requests[0].headers
    assert response.id == "chatcmpl-1"


async def test_the_api_base_and_key_may_come_from_the_environment() -> None:
    fake = upstream((FIXTURES / "chat_text.json").read_bytes())
    environ = {"OLLAMA_API_BASE": "https://ollama.example/", "OLLAMA_API_KEY": "k-env"}
    await provider(fake, environ).complete(chat(deployment()))
    assert str(fake.requests[0].url) == "https://ollama.example/api/chat"
    assert fake.requests[0].headers["authorization"] == "Bearer k-env"


async def test_a_model_that_is_not_pulled_is_not_found() -> None:
    fake = upstream(b'{"error":"model \\"llama9\\" not found, try pulling it first"}', status=404)
    with pytest.raises(NotFound):
        await provider(fake).complete(chat(deployment(model="llama9")))


async def test_a_stream_is_read_as_ndjson_and_closed() -> None:
    fake = upstream((FIXTURES / "stream_text.ndjson").read_bytes())
    async with provider(fake).stream(chat(deployment(), stream=True)) as chunks:
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "Hello from Ollama é!"
    assert received[-1].usage is not None
    assert fake.counter.open == 0


async def test_a_stream_line_that_is_not_json_is_a_protocol_error() -> None:
    fake = upstream(b'{"message":{"role":"assistant","content":"Hi"},"done":false}\nnot json\n')
    with pytest.raises(UpstreamProtocolError):
        async with provider(fake).stream(chat(deployment(), stream=True)) as chunks:
            async for _ in chunks:
                pass


async def test_embeddings_go_to_api_embed() -> None:
    fake = upstream((FIXTURES / "embed.json").read_bytes())
    call = EmbeddingCall(
        request=EmbeddingRequest(model="e", input=["a", "b"]), deployment=deployment(model="all-minilm")
    )
    response = await provider(fake).embed(call)
    assert str(fake.requests[0].url) == "http://localhost:11434/api/embed"
    assert fake.bodies()[0] == {"model": "all-minilm", "input": ["a", "b"]}
    assert len(response.data) == 2
