from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from switchboard.adapters.outbound.providers.mistral import MistralProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import AuthenticationError
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"


def upstream(fixture: str) -> RecordingUpstream:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(200, stream=TrackedStream([(FIXTURES / fixture).read_bytes()], counter))

    return RecordingUpstream(handler)


def deployment(**fields: object) -> Deployment:
    values = {"id": "d1", "model_name": "m", "provider": "mistral", "model": "mistral-small-latest", **fields}
    return Deployment.model_validate(values)


def chat(target: Deployment, **request: object) -> ChatCall:
    body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], **request}
    return ChatCall(request=ChatRequest.model_validate(body), deployment=target)


async def test_the_default_base_and_the_environment_key_are_used() -> None:
    fake = upstream("chat_text.json")
    await MistralProvider(fake.transport(), environ={"MISTRAL_API_KEY": "k-env"}).complete(chat(deployment()))
    assert str(fake.requests[0].url) == "https://api.mistral.ai/v1/chat/completions"
    assert fake.requests[0].headers["authorization"] == "Bearer k-env"


async def test_no_key_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError):
        await MistralProvider(upstream("chat_text.json").transport(), environ={}).complete(chat(deployment()))


async def test_a_stream_goes_through_the_mistral_decoder_and_closes() -> None:
    fake = upstream("stream_text.sse")
    provider = MistralProvider(fake.transport(), environ={"MISTRAL_API_KEY": "k"})
    async with provider.stream(chat(deployment(), stream=True)) as chunks:
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "Hello from Mistral é!"
    assert received[-1].choices == [] and received[-1].usage is not None
    assert fake.counter.open == 0
    assert "stream_options" not in fake.bodies()[0]


async def test_embeddings_go_to_v1_embeddings() -> None:
    fake = upstream("embeddings.json")
    provider = MistralProvider(fake.transport(), environ={"MISTRAL_API_KEY": "k"})
    call = EmbeddingCall(request=EmbeddingRequest(model="e", input="hi"), deployment=deployment(model="mistral-embed"))
    response = await provider.embed(call)
    assert str(fake.requests[0].url) == "https://api.mistral.ai/v1/embeddings"
    assert fake.bodies()[0] == {"model": "mistral-embed", "input": ["hi"]}
    assert response.model == "mistral-embed"
