"""The Azure providers over a fake upstream: addresses, credentials, Entra ID tokens, streams."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.azure import AZURE_AI, AzureAIProvider, AzureOpenAIProvider
from switchboard.domain.audio import AudioFile, TranscriptionRequest
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import AuthenticationError, BadRequest
from switchboard.domain.ports.endpoints import TranscriptionCall
from switchboard.domain.ports.providers import ChatCall
from tests.fakes import FakeClock
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN_URL = "https://login.test/tenant-1/oauth2/v2.0/token"
PRINCIPAL = {
    "tenant_id": "tenant-1",
    "client_id": "client-1",
    "client_secret": "s3cret-value",
    "azure_authority_host": "https://login.test",
}
CHAT = (FIXTURES / "chat_filtered.json").read_bytes()


class FakeAzure:
    """Answers chat from the fixture and issues numbered tokens at the token URL."""

    def __init__(self) -> None:
        self.tokens_issued = 0
        self.upstream = RecordingUpstream(self.handle)

    def handle(self, request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.tokens_issued += 1
            token = {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": f"token-{self.tokens_issued}",
            }
            return httpx.Response(200, json=token)
        if request.url.path.endswith("/audio/transcriptions"):
            return httpx.Response(200, json={"text": "hello"})
        return httpx.Response(200, content=CHAT)

    def chat_requests(self) -> list[httpx.Request]:
        return [r for r in self.upstream.requests if str(r.url) != TOKEN_URL]


def deployment(**fields: object) -> Deployment:
    base: dict[str, object] = {
        "id": "d1",
        "model_name": "gpt-4o",
        "provider": "azure",
        "model": "gpt4o-prod",
        "api_base": "https://res.openai.azure.test",
    }
    return Deployment.model_validate({**base, **fields})


def chat(dep: Deployment, **body: object) -> ChatCall:
    request = ChatRequest.model_validate({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], **body})
    return ChatCall(request=request, deployment=dep)


async def test_a_key_goes_in_the_api_key_header_to_the_deployment_url() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    await provider.complete(chat(deployment(api_key="azure-key", api_version="2024-10-21")))
    sent = fake.chat_requests()[0]
    assert str(sent.url) == (
        "https://res.openai.azure.test/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"
    )
    assert sent.headers["api-key"] == "azure-key"
    assert "authorization" not in sent.headers


async def test_the_environment_gives_base_key_and_version() -> None:
    fake = FakeAzure()
    environ = {
        "AZURE_API_BASE": "https://env.openai.azure.test",
        "AZURE_API_KEY": "env-key",
        "AZURE_API_VERSION": "2024-06-01",
    }
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ=environ)
    await provider.complete(chat(deployment(api_base=None)))
    sent = fake.chat_requests()[0]
    assert str(sent.url).startswith("https://env.openai.azure.test/openai/deployments/gpt4o-prod/")
    assert sent.url.params["api-version"] == "2024-06-01"
    assert sent.headers["api-key"] == "env-key"


async def test_without_a_version_the_documented_default_is_used() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    await provider.complete(chat(deployment(api_key="k")))
    assert fake.chat_requests()[0].url.params["api-version"] == "2025-04-01-preview"


async def test_no_api_base_is_a_clear_error() -> None:
    provider = AzureOpenAIProvider(FakeAzure().upstream.transport(), FakeClock(), environ={})
    with pytest.raises(BadRequest) as caught:
        await provider.complete(chat(deployment(api_base=None, api_key="k")))
    assert "AZURE_API_BASE" in caught.value.message


async def test_the_v1_api_names_the_deployment_in_the_body() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    await provider.complete(chat(deployment(api_key="k", api_version="v1")))
    sent = fake.chat_requests()[0]
    assert str(sent.url) == "https://res.openai.azure.test/openai/v1/chat/completions"
    assert orjson.loads(sent.content)["model"] == "gpt4o-prod"


async def test_a_fixed_entra_token_is_a_bearer_token() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    await provider.complete(chat(deployment(params={"azure_ad_token": "eyJfixed"})))
    sent = fake.chat_requests()[0]
    assert sent.headers["authorization"] == "Bearer eyJfixed"
    assert "api-key" not in sent.headers


async def test_client_credentials_fetch_one_token_and_reuse_it() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    dep = deployment(params=PRINCIPAL)
    await provider.complete(chat(dep))
    await provider.complete(chat(dep))
    assert fake.tokens_issued == 1
    assert [r.headers["authorization"] for r in fake.chat_requests()] == ["Bearer token-1", "Bearer token-1"]
    token_request = next(r for r in fake.upstream.requests if str(r.url) == TOKEN_URL)
    form = parse_qs(token_request.content.decode())
    assert form["grant_type"] == ["client_credentials"] and form["client_id"] == ["client-1"]
    assert form["scope"] == ["https://cognitiveservices.azure.com/.default"]


async def test_a_token_near_its_expiry_is_renewed() -> None:
    fake, clock = FakeAzure(), FakeClock()
    provider = AzureOpenAIProvider(fake.upstream.transport(), clock, environ={})
    dep = deployment(params=PRINCIPAL)
    await provider.complete(chat(dep))
    clock.advance(3600 - 299)
    await provider.complete(chat(dep))
    assert fake.tokens_issued == 2
    assert fake.chat_requests()[-1].headers["authorization"] == "Bearer token-2"


async def test_concurrent_calls_share_one_token_request() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    dep = deployment(params=PRINCIPAL)
    await asyncio.gather(*(provider.complete(chat(dep)) for _ in range(5)))
    assert fake.tokens_issued == 1


async def test_a_refused_principal_fails_the_call_without_showing_the_secret() -> None:
    def refuse(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        error = {
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.",
        }
        return httpx.Response(401, json=error)

    provider = AzureOpenAIProvider(RecordingUpstream(refuse).transport(), FakeClock(), environ={})
    with pytest.raises(AuthenticationError) as caught:
        await provider.complete(chat(deployment(params=PRINCIPAL)))
    assert "s3cret-value" not in str(caught.value)


async def test_a_content_filter_finish_reason_is_kept() -> None:
    provider = AzureOpenAIProvider(FakeAzure().upstream.transport(), FakeClock(), environ={})
    response = await provider.complete(chat(deployment(api_key="k")))
    assert response.choices[0].finish_reason == "content_filter"
    assert response.usage is not None and response.usage.total_tokens == 12


def split_once(data: bytes, at: int) -> list[bytes]:
    return [piece for piece in (data[:at], data[at:]) if piece]


async def test_an_azure_stream_reads_the_same_whatever_the_byte_boundaries() -> None:
    recorded = (FIXTURES / "chat_stream.sse").read_bytes()
    splits = iter(range(0, len(recorded) + 1, 7))
    upstream = RecordingUpstream(
        lambda request, counter: httpx.Response(200, stream=TrackedStream(split_once(recorded, next(splits)), counter))
    )
    provider = AzureOpenAIProvider(upstream.transport(), FakeClock(), environ={})
    for at in range(0, len(recorded) + 1, 7):  # one request per split, in order, over one kept-alive connection
        async with provider.stream(chat(deployment(api_key="k"), stream=True)) as chunks:
            received = [c async for c in chunks]
        assert "".join(c.text for c in received) == "Hello", at
        assert all(c.object == "chat.completion.chunk" for c in received)  # the prompt-filter chunk is dropped
        assert received[-1].usage is not None and received[-1].usage.total_tokens == 9
        assert upstream.counter.open == 0


async def test_a_transcription_goes_to_the_deployment() -> None:
    fake = FakeAzure()
    provider = AzureOpenAIProvider(fake.upstream.transport(), FakeClock(), environ={})
    request = TranscriptionRequest(file=AudioFile(filename="a.wav", content=b"RIFF"), model="whisper")
    dep = deployment(model="whisper-prod", api_key="k", api_version="2024-10-21")
    transcription = await provider.transcribe(TranscriptionCall(request=request, deployment=dep))
    sent = fake.chat_requests()[0]
    assert sent.url.path == "/openai/deployments/whisper-prod/audio/transcriptions"
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert sent.headers["api-key"] == "k"
    assert transcription.text == "hello"


async def test_foundry_inference_sends_the_key_both_ways_and_the_model_by_name() -> None:
    fake = FakeAzure()
    provider = AzureAIProvider(fake.upstream.transport(), FakeClock(), environ={"AZURE_AI_API_KEY": "ai-key"})
    dep = deployment(provider="azure_ai", model="Mistral-large", api_base="https://res.services.ai.azure.test/models")
    await provider.complete(chat(dep, temperature=0.2))
    sent = fake.chat_requests()[0]
    assert str(sent.url) == "https://res.services.ai.azure.test/models/chat/completions?api-version=2024-05-01-preview"
    assert sent.headers["api-key"] == "ai-key" and sent.headers["authorization"] == "Bearer ai-key"
    assert orjson.loads(sent.content)["model"] == "Mistral-large"


def test_foundry_inference_offers_chat_and_embeddings_only() -> None:
    assert AZURE_AI.endpoints == {Endpoint.CHAT, Endpoint.EMBEDDINGS}
    assert "logprobs" not in AZURE_AI.chat_params("Mistral-large")
