"""BedrockProvider over a fake upstream on 127.0.0.1: URLs, authentication, streams and embeddings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock import PROVIDER, BedrockProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import AuthenticationError, RateLimited, UpstreamProtocolError
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes import FakeClock, FakeIds
from tests.support.bedrock_upstream import (
    ACCESS_KEY,
    SECRET_KEY,
    Answer,
    cohere_response,
    converse_response,
    error_response,
    signature_problem,
    stream_exception_frames,
    stream_frames,
    titan_response,
)
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
KEYS = {"aws_access_key_id": ACCESS_KEY, "aws_secret_access_key": SECRET_KEY, "aws_region_name": "us-east-1"}
Handler = Callable[[httpx.Request, StreamCounter], httpx.Response]


def verified(handler: Handler, secret: str = SECRET_KEY) -> Handler:
    def check(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        problem = signature_problem("POST", str(request.url), dict(request.headers), request.content, secret=secret)
        assert problem is None, problem
        return handler(request, counter)

    return check


def setup(
    handler: Handler, model: str = HAIKU, api_key: str | None = None, **params: Any
) -> tuple[BedrockProvider, Deployment, RecordingUpstream]:
    upstream = RecordingUpstream(handler)
    provider = BedrockProvider(upstream.transport(), FakeClock(), FakeIds(), environ={})
    deployment = Deployment(id="d1", model_name="m", provider="bedrock", model=model, api_key=api_key, params=params)
    return provider, deployment, upstream


def chat(deployment: Deployment, **fields: Any) -> ChatCall:
    body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], **fields}
    return ChatCall(request=ChatRequest.model_validate(body), deployment=deployment)


def converse_ok(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
    return httpx.Response(200, json=converse_response(Answer(text="Hello!")))


async def test_a_chat_goes_to_the_regional_converse_url_signed_with_sigv4() -> None:
    provider, deployment, upstream = setup(verified(converse_ok), **KEYS)
    response = await provider.complete(chat(deployment))
    [sent] = upstream.requests
    assert (
        str(sent.url)
        == "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
    )
    assert sent.headers["x-amz-date"] == "20231114T221320Z"  # FakeClock's 1_700_000_000
    assert response.text == "Hello!"
    assert (response.id, response.model) == ("chatcmpl-1", HAIKU)


async def test_a_wildcard_deployment_calls_each_model_at_its_own_url() -> None:
    provider, wildcard, upstream = setup(verified(converse_ok), model="*", **KEYS)
    wildcard = wildcard.model_copy(update={"model_name": "bedrock/*"})
    for model in (HAIKU, "us.amazon.nova-pro-v1:0"):
        await provider.complete(chat(wildcard.for_model("bedrock/" + model)))
    assert [r.url.raw_path for r in upstream.requests] == [
        b"/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
        b"/model/us.amazon.nova-pro-v1%3A0/converse",
    ]


async def test_temporary_credentials_send_their_session_token() -> None:
    provider, deployment, upstream = setup(verified(converse_ok), aws_session_token="FwoGZXIvYXdzEXAMPLE", **KEYS)
    await provider.complete(chat(deployment))
    assert upstream.requests[0].headers["x-amz-security-token"] == "FwoGZXIvYXdzEXAMPLE"


async def test_a_bedrock_api_key_is_sent_as_a_bearer_token_without_signing() -> None:
    provider, deployment, upstream = setup(
        converse_ok, api_key="ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", aws_region_name="us-west-2"
    )
    await provider.complete(chat(deployment))
    [sent] = upstream.requests
    assert sent.headers["authorization"] == "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl"
    assert "x-amz-date" not in sent.headers
    assert sent.url.host == "bedrock-runtime.us-west-2.amazonaws.com"


async def test_an_echoed_api_key_never_reaches_the_error_message() -> None:
    def echo(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        body = {"message": f"Invalid API key {request.headers['authorization'][7:]}"}
        return httpx.Response(403, json=body, headers={"x-amzn-errortype": "UnrecognizedClientException"})

    provider, deployment, _ = setup(echo, api_key="ABSKsecretkeyvalue")
    with pytest.raises(AuthenticationError) as caught:
        await provider.complete(chat(deployment))
    assert "ABSKsecretkeyvalue" not in caught.value.message


async def test_extra_headers_are_sent_beside_the_signature() -> None:
    provider, deployment, upstream = setup(verified(converse_ok), extra_headers={"X-Team": "search"}, **KEYS)
    await provider.complete(chat(deployment))
    assert upstream.requests[0].headers["x-team"] == "search"


async def test_an_endpoint_with_a_path_prefix_is_signed_over_the_full_path() -> None:
    provider, deployment, upstream = setup(
        verified(converse_ok), aws_bedrock_runtime_endpoint="https://gateway.example.com/bedrock", **KEYS
    )
    await provider.complete(chat(deployment))
    assert upstream.requests[0].url.raw_path.startswith(b"/bedrock/model/anthropic.claude")


def test_the_converse_route_prefix_does_not_change_the_offered_parameters() -> None:
    assert PROVIDER.chat_params("converse/" + HAIKU) == PROVIDER.chat_params(HAIKU)
    assert "reasoning_effort" in PROVIDER.chat_params("converse/" + HAIKU)


def streaming(frames: list[bytes], piece: int = 7) -> Handler:
    data = b"".join(frames)
    pieces = [data[i : i + piece] for i in range(0, len(data), piece)]

    def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        assert request.url.path.endswith("/converse-stream")
        return httpx.Response(
            200,
            stream=TrackedStream(pieces, counter),
            headers={"content-type": "application/vnd.amazon.eventstream"},
        )

    return handler


async def test_a_stream_cut_into_small_reads_yields_the_whole_answer_and_usage() -> None:
    provider, deployment, upstream = setup(
        verified(streaming(stream_frames(Answer(text="One two three four")), piece=5)), **KEYS
    )
    async with provider.stream(chat(deployment, stream=True)) as chunks:
        received = [c async for c in chunks]
    assert "".join(c.text for c in received) == "One two three four"
    assert received[-1].usage is not None and received[-1].usage.total_tokens == 18
    assert upstream.counter.open == 0


async def test_an_exception_inside_the_stream_raises_while_iterating_and_closes_it() -> None:
    frames = stream_exception_frames(Answer(text="partial answer"), "throttlingException", "Too many tokens")
    provider, deployment, upstream = setup(streaming(frames), **KEYS)
    texts: list[str] = []
    with pytest.raises(RateLimited):
        async with provider.stream(chat(deployment, stream=True)) as chunks:
            async for chunk in chunks:
                texts += chunk.text
    assert "".join(texts)  # the error came after the answer had started
    assert upstream.counter.open == 0


async def test_a_corrupt_frame_is_a_protocol_error() -> None:
    frames = stream_frames(Answer(text="abc"))
    broken = bytearray(frames[1])
    broken[-1] ^= 0xFF
    provider, deployment, upstream = setup(streaming([frames[0], bytes(broken), *frames[2:]]), **KEYS)
    with pytest.raises(UpstreamProtocolError, match="malformed event stream"):
        async with provider.stream(chat(deployment, stream=True)) as chunks:
            async for _ in chunks:
                pass
    assert upstream.counter.open == 0


async def test_an_error_status_before_the_stream_raises_on_enter() -> None:
    def fail(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        status, headers, body = error_response("rate_limited")
        return httpx.Response(status, headers=headers, content=body)

    provider, deployment, _ = setup(fail, **KEYS)
    with pytest.raises(RateLimited):
        async with provider.stream(chat(deployment, stream=True)):
            pass


def embedding(deployment: Deployment, **fields: Any) -> EmbeddingCall:
    return EmbeddingCall(request=EmbeddingRequest.model_validate({"model": "e", **fields}), deployment=deployment)


async def test_titan_embeds_each_input_with_its_own_call_keeping_the_order() -> None:
    def titan(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        assert request.url.path.endswith("/invoke")
        return httpx.Response(200, json=titan_response(orjson.loads(request.content)["inputText"]))

    provider, deployment, upstream = setup(verified(titan), model="amazon.titan-embed-text-v2:0", **KEYS)
    texts = ["alpha one", "beta", "gamma two three"]
    response = await provider.embed(embedding(deployment, input=texts, dimensions=256))
    assert [d.embedding for d in response.data] == [titan_response(t)["embedding"] for t in texts]
    assert response.usage.prompt_tokens == 6
    assert sorted(orjson.loads(r.content)["inputText"] for r in upstream.requests) == sorted(texts)
    assert {orjson.loads(r.content)["dimensions"] for r in upstream.requests} == {256}


async def test_cohere_embeds_in_batches_and_counts_tokens_from_the_header() -> None:
    def cohere(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        texts = orjson.loads(request.content)["texts"]
        return httpx.Response(
            200, json=cohere_response(texts), headers={"x-amzn-bedrock-input-token-count": str(len(texts))}
        )

    provider, deployment, upstream = setup(verified(cohere), model="cohere.embed-english-v3", **KEYS)
    texts = [f"text {i}" for i in range(100)]
    response = await provider.embed(embedding(deployment, input=texts))
    assert len(upstream.requests) == 2
    assert [d.embedding for d in response.data] == cohere_response(texts)["embeddings"]
    assert response.usage.prompt_tokens == 100


async def test_one_failed_titan_call_fails_the_request() -> None:
    def flaky(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        if orjson.loads(request.content)["inputText"] == "bad":
            status, headers, body = error_response("bad_request")
            return httpx.Response(status, headers=headers, content=body)
        return httpx.Response(200, json=titan_response("ok"))

    provider, deployment, _ = setup(flaky, model="amazon.titan-embed-text-v2:0", **KEYS)
    with pytest.raises(Exception, match="ValidationException"):
        await provider.embed(embedding(deployment, input=["ok", "bad", "ok"]))


@pytest.fixture
def aws_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[switchboard-test]\naws_access_key_id = AKIDPROFILEEXAMPLE\naws_secret_access_key = profile-secret\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return "switchboard-test"


async def test_a_named_profile_signs_with_the_credentials_of_the_aws_chain(aws_profile: str) -> None:
    provider, deployment, upstream = setup(
        verified(converse_ok, secret="profile-secret"),
        aws_profile_name=aws_profile,
        aws_region_name="us-east-1",
    )
    await provider.complete(chat(deployment))
    await provider.complete(chat(deployment))
    assert all("Credential=AKIDPROFILEEXAMPLE/" in r.headers["authorization"] for r in upstream.requests)


async def test_a_profile_that_does_not_exist_is_an_authentication_error(aws_profile: str) -> None:
    provider, deployment, upstream = setup(converse_ok, aws_profile_name="no-such-profile")
    with pytest.raises(AuthenticationError, match="credential chain"):
        await provider.complete(chat(deployment))
    assert upstream.requests == []
