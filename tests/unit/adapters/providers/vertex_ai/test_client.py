"""VertexProvider's I/O shell: URLs, project and location, credentials, tokens, predict embeddings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.vertex_ai import VertexProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import AuthenticationError, PermissionDenied, RateLimited
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.support.gemini_wire import google_error
from tests.support.google_auth import service_account, token_body, verify_token_request
from tests.support.google_schema import validate_predict_request, validate_request
from tests.support.upstream import RecordingUpstream, StreamCounter
from tests.unit.adapters.providers.gemini.recorded import load

TOKEN_URI = "https://oauth2.test/token"
CREDENTIALS = orjson.dumps(service_account(TOKEN_URI)).decode()


Reply = Callable[[httpx.Request], httpx.Response]


class FakeGoogle:
    """The token endpoint and Vertex AI; ``answer`` plays Vertex: a JSON body, or a function
    answering each request."""

    def __init__(self, answer: dict[str, Any] | Reply | None = None) -> None:
        self.clock = FakeClock()
        self.answer = answer if answer is not None else load("text_response.json")
        self.upstream = RecordingUpstream(self._handle)
        self.exchanges = 0

    def _handle(self, request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        if str(request.url) == TOKEN_URI:
            verify_token_request(request.content, TOKEN_URI, now=self.clock.now())
            self.exchanges += 1
            return httpx.Response(200, content=token_body("ya29.vertex-token"))
        assert request.headers["authorization"] == "Bearer ya29.vertex-token"
        if callable(self.answer):
            return self.answer(request)
        return httpx.Response(200, json=self.answer)

    def provider(self, environ: dict[str, str] | None = None, files: dict[str, str] | None = None) -> VertexProvider:
        def read(path: str) -> str:
            if files is None or path not in files:
                raise FileNotFoundError(2, "No such file or directory")
            return files[path]

        return VertexProvider(
            self.upstream.transport(),
            self.clock,
            FakeIds(),
            FakeTokenCounter(),
            environ=environ or {},
            read_file=read,
        )

    def calls(self) -> list[httpx.Request]:
        return [r for r in self.upstream.requests if str(r.url) != TOKEN_URI]


def deployment(model: str = "gemini-2.5-flash", id: str = "d1", **params: Any) -> Deployment:
    return Deployment(id=id, model_name="g", provider="vertex_ai", model=model, params=params)


def chat(d: Deployment) -> ChatCall:
    request = ChatRequest.model_validate({"model": "g", "messages": [{"role": "user", "content": "Hi"}]})
    return ChatCall(request=request, deployment=d)


async def test_chat_goes_to_the_project_and_location_with_a_bearer_token() -> None:
    google = FakeGoogle()
    d = deployment(vertex_project="proj", vertex_location="asia-northeast1", vertex_credentials=CREDENTIALS)
    response = await google.provider().complete(chat(d))
    sent = google.calls()[0]
    assert str(sent.url) == (
        "https://asia-northeast1-aiplatform.googleapis.com/v1/projects/proj/locations/asia-northeast1"
        "/publishers/google/models/gemini-2.5-flash:generateContent"
    )
    validate_request(orjson.loads(sent.content))
    assert response.text == "The capital of France is Paris."


async def test_project_and_location_default_to_the_credential_and_us_central1() -> None:
    google = FakeGoogle()
    await google.provider().complete(chat(deployment(vertex_credentials=CREDENTIALS)))
    assert google.calls()[0].url.path.startswith("/v1/projects/sa-project/locations/us-central1/")


async def test_the_environment_supplies_project_location_and_credentials_file() -> None:
    google = FakeGoogle()
    environ = {
        "VERTEXAI_PROJECT": "env-proj",
        "VERTEXAI_LOCATION": "global",
        "GOOGLE_APPLICATION_CREDENTIALS": "/secrets/sa.json",
    }
    await google.provider(environ, files={"/secrets/sa.json": CREDENTIALS}).complete(chat(deployment()))
    assert str(google.calls()[0].url).startswith(
        "https://aiplatform.googleapis.com/v1/projects/env-proj/locations/global/"
    )


async def test_litellm_s_vertex_ai_prefixed_names_are_understood() -> None:
    google = FakeGoogle()
    d = deployment(vertex_ai_project="p2", vertex_ai_location="europe-west1", vertex_ai_credentials=CREDENTIALS)
    await google.provider().complete(chat(d))
    assert google.calls()[0].url.host == "europe-west1-aiplatform.googleapis.com"
    assert "/projects/p2/" in google.calls()[0].url.path


async def test_vertex_credentials_may_be_a_file_path(tmp_path: Path) -> None:
    key_file = tmp_path / "sa.json"
    key_file.write_text(CREDENTIALS)
    google = FakeGoogle()
    provider = VertexProvider(google.upstream.transport(), google.clock, FakeIds(), FakeTokenCounter(), environ={})
    await provider.complete(chat(deployment(vertex_credentials=str(key_file))))
    assert google.exchanges == 1


async def test_without_credentials_nothing_is_sent() -> None:
    google = FakeGoogle()
    with pytest.raises(AuthenticationError) as caught:
        await google.provider().complete(chat(deployment(vertex_project="p")))
    assert "GOOGLE_APPLICATION_CREDENTIALS" in caught.value.message
    assert google.upstream.requests == []


async def test_a_missing_gcloud_login_reads_as_no_credentials() -> None:
    google = FakeGoogle()
    with pytest.raises(AuthenticationError) as caught:
        await google.provider({"HOME": "/home/me"}).complete(chat(deployment(vertex_project="p")))
    assert "gcloud auth application-default login" in caught.value.message


async def test_an_unreadable_credentials_file_is_an_authentication_error() -> None:
    google = FakeGoogle()
    with pytest.raises(AuthenticationError) as caught:
        await google.provider().complete(chat(deployment(vertex_credentials="/missing.json")))
    assert "/missing.json" in caught.value.message


async def test_deployments_sharing_a_credential_share_its_token() -> None:
    google = FakeGoogle()
    provider = google.provider()
    await provider.complete(chat(deployment(id="a", vertex_credentials=CREDENTIALS)))
    await provider.complete(chat(deployment(id="b", vertex_location="europe-west4", vertex_credentials=CREDENTIALS)))
    await provider.complete(chat(deployment(id="a", vertex_credentials=CREDENTIALS)))
    assert google.exchanges == 1
    assert len(google.calls()) == 3


async def test_the_access_token_never_reaches_an_error_message() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json=google_error(403, "PERMISSION_DENIED", "token ya29.vertex-token lacks rights"))

    google = FakeGoogle(refuse)
    with pytest.raises(PermissionDenied) as caught:
        await google.provider().complete(chat(deployment(vertex_credentials=CREDENTIALS)))
    assert "ya29.vertex-token" not in str(caught.value)


async def test_text_embedding_models_embed_a_batch_in_one_predict_call() -> None:
    google = FakeGoogle(load("predict_response.json"))
    d = deployment("text-embedding-005", vertex_project="p", vertex_credentials=CREDENTIALS)
    request = EmbeddingRequest(model="e", input=["first text", "second"], dimensions=3)
    response = await google.provider().embed(EmbeddingCall(request=request, deployment=d))
    (sent,) = google.calls()
    assert str(sent.url).endswith("/publishers/google/models/text-embedding-005:predict")
    body = orjson.loads(sent.content)
    validate_predict_request(body)
    assert body["parameters"] == {"outputDimensionality": 3}
    assert [e.index for e in response.data] == [0, 1]
    assert response.usage.prompt_tokens == 10


async def test_gemini_embedding_models_take_one_instance_per_predict_call() -> None:
    one = {"predictions": [load("predict_response.json")["predictions"][0]]}
    google = FakeGoogle(one)
    d = deployment("gemini-embedding-001", vertex_project="p", vertex_credentials=CREDENTIALS)
    request = EmbeddingRequest(model="e", input=["a", "b", "c"])
    response = await google.provider().embed(EmbeddingCall(request=request, deployment=d))
    assert len(google.calls()) == 3
    assert all(len(orjson.loads(r.content)["instances"]) == 1 for r in google.calls())
    assert len(response.data) == 3 and response.usage.prompt_tokens == 18


async def test_one_failed_predict_call_fails_the_embedding_with_its_own_error() -> None:
    calls = 0

    def second_fails(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 2:
            return httpx.Response(429, json=google_error(429, "RESOURCE_EXHAUSTED", "quota"))
        return httpx.Response(200, json={"predictions": [load("predict_response.json")["predictions"][0]]})

    google = FakeGoogle(second_fails)
    d = deployment("gemini-embedding-001", vertex_project="p", vertex_credentials=CREDENTIALS)
    with pytest.raises(RateLimited):
        await google.provider().embed(
            EmbeddingCall(request=EmbeddingRequest(model="e", input=["a", "b"]), deployment=d)
        )


async def test_an_api_key_uses_express_mode_without_credentials_or_tokens() -> None:
    google = FakeGoogle()

    def express(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        assert request.headers["x-goog-api-key"] == "AQ.express-key-1234"
        assert "authorization" not in request.headers
        return httpx.Response(200, json=load("text_response.json"))

    upstream = RecordingUpstream(express)
    provider = VertexProvider(upstream.transport(), google.clock, FakeIds(), FakeTokenCounter(), environ={})
    d = Deployment(
        id="x", model_name="g", provider="vertex_ai", model="gemini-2.5-flash", api_key="AQ.express-key-1234"
    )
    await provider.complete(chat(d))
    assert str(upstream.requests[0].url) == (
        "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:generateContent"
    )


async def test_gcloud_application_default_credentials_are_the_last_resort() -> None:
    user = {
        "type": "authorized_user",
        "client_id": "c.apps.googleusercontent.com",
        "client_secret": "s",
        "refresh_token": "r",
        "quota_project_id": "adc-project",
        "token_uri": TOKEN_URI,
    }
    google = FakeGoogle()
    google.upstream = RecordingUpstream(
        lambda request, counter: (
            httpx.Response(200, content=token_body("ya29.vertex-token"))
            if str(request.url) == TOKEN_URI
            else httpx.Response(200, json=load("text_response.json"))
        )
    )
    files = {"/home/me/.config/gcloud/application_default_credentials.json": orjson.dumps(user).decode()}
    await google.provider({"HOME": "/home/me"}, files=files).complete(chat(deployment()))
    token_call, call = google.upstream.requests
    assert b"grant_type=refresh_token" in token_call.content
    assert "/projects/adc-project/" in call.url.path
