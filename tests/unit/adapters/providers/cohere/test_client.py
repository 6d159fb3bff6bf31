from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from switchboard.adapters.outbound.providers.cohere import CohereProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import AuthenticationError
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes import FakeClock
from tests.support.upstream import RecordingUpstream, StreamCounter

FIXTURES = Path(__file__).parent / "fixtures"


def upstream(fixture: str) -> RecordingUpstream:
    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(200, content=(FIXTURES / fixture).read_bytes())

    return RecordingUpstream(handler)


def deployment(**fields: object) -> Deployment:
    return Deployment.model_validate(
        {"id": "d1", "model_name": "c", "provider": "cohere", "model": "command-a", **fields}
    )


def chat(model_deployment: Deployment) -> ChatCall:
    request = ChatRequest.model_validate({"model": "c", "messages": [{"role": "user", "content": "Hi"}]})
    return ChatCall(request=request, deployment=model_deployment)


@pytest.mark.parametrize(
    "api_base",
    [None, "https://api.cohere.com", "https://api.cohere.com/v2", "https://api.cohere.com/v2/chat/"],
)
async def test_every_spelling_of_the_api_base_reaches_v2_chat(api_base: str | None) -> None:
    fake = upstream("chat_text.json")
    provider = CohereProvider(fake.transport(), FakeClock(), environ={"COHERE_API_KEY": "k-env"})
    await provider.complete(chat(deployment(api_base=api_base)))
    assert str(fake.requests[0].url) == "https://api.cohere.com/v2/chat"


@pytest.mark.parametrize("variable", ["COHERE_API_KEY", "CO_API_KEY"])
async def test_the_key_falls_back_to_the_environment(variable: str) -> None:
    fake = upstream("chat_text.json")
    provider = CohereProvider(fake.transport(), FakeClock(), environ={variable: "k-env"})
    await provider.complete(chat(deployment()))
    assert fake.requests[0].headers["authorization"] == "Bearer k-env"


async def test_the_deployment_key_wins_over_the_environment() -> None:
    fake = upstream("chat_text.json")
    provider = CohereProvider(fake.transport(), FakeClock(), environ={"COHERE_API_KEY": "k-env"})
    await provider.complete(chat(deployment(api_key="k-deployment")))
    assert fake.requests[0].headers["authorization"] == "Bearer k-deployment"


async def test_no_key_at_all_is_an_authentication_error_before_any_request() -> None:
    fake = upstream("chat_text.json")
    with pytest.raises(AuthenticationError):
        await CohereProvider(fake.transport(), FakeClock(), environ={}).complete(chat(deployment()))
    assert fake.requests == []


async def test_embeddings_go_to_v2_embed_and_come_back_in_openai_shape() -> None:
    fake = upstream("embed.json")
    provider = CohereProvider(fake.transport(), FakeClock(), environ={})
    call = EmbeddingCall(
        request=EmbeddingRequest(model="e", input=["hello", "goodbye"]),
        deployment=deployment(model="embed-v4.0", api_key="k", params={"input_type": "search_query"}),
    )
    response = await provider.embed(call)
    assert str(fake.requests[0].url) == "https://api.cohere.com/v2/embed"
    assert fake.bodies()[0]["input_type"] == "search_query"
    assert [d.index for d in response.data] == [0, 1]
    assert response.model == "embed-v4.0"
