"""Every row of the OpenAI-compatible table against its fixture.

A fixture (``fixtures/<name>.json``) is written from the provider's documentation, not from the
table: it says where a request must go, with which auth header and body, and which parameters the
provider refuses. The body must also be one the openai SDK's ``CompletionCreateParams`` accepts
(once the provider's own parameters are set aside).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openai.types.chat.completion_create_params import CompletionCreateParamsBase

from switchboard.adapters.outbound.providers.compatible import PROVIDERS, load_profiles
from switchboard.adapters.outbound.providers.compatible.client import CompatibleProvider
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.params import enforce_supported
from switchboard.domain.ports.providers import ChatCall
from tests.contract.providers.openai_harness import chunks, completion
from tests.contract.providers.scenario import Scenario
from tests.support.sdk_schema import validate_openai_chat_body
from tests.support.upstream import RecordingUpstream, StreamCounter, TrackedStream, sse

FIXTURES = Path(__file__).parent / "fixtures"
PROFILES = load_profiles()
OPENAI_FIELDS = frozenset(CompletionCreateParamsBase.__annotations__)


def fixture(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return case


def answer(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
    body = json.loads(request.content)
    if body.get("stream"):
        frames = sse(chunks(Scenario(), body["model"]))
        return httpx.Response(200, stream=TrackedStream(frames, counter))
    return httpx.Response(200, json=completion(Scenario(), body["model"]))


async def send(name: str) -> tuple[CompatibleProvider, httpx.Request, dict[str, Any]]:
    case = fixture(name)
    upstream = RecordingUpstream(answer)
    provider = CompatibleProvider(upstream.transport(), PROFILES[name], environ=case["environ"])
    spec = case["deployment"]
    deployment = Deployment(
        id=f"d-{name}",
        model_name="catalog-test",
        provider=name,
        model=spec["model"],
        api_base=spec["api_base"],
        params=spec["params"],
    )
    request = ChatRequest.model_validate(case["request"])
    sendable, dropped = enforce_supported(
        request, PROVIDERS[name].chat_params(deployment.model), provider=name, drop=False
    )
    assert dropped == []
    call = ChatCall(request=sendable, deployment=deployment)
    if case["stream"]:
        async with provider.stream(call) as stream:
            assert [c async for c in stream]
    else:
        await provider.complete(call)
    assert len(upstream.requests) == 1
    return provider, upstream.requests[0], case["expect"]


def test_every_row_has_a_fixture_and_every_fixture_a_row() -> None:
    assert {p.stem for p in FIXTURES.glob("*.json")} == set(PROFILES)


def test_the_table_holds_at_least_thirty_providers() -> None:
    assert len(PROFILES) >= 30


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_requests_go_to_the_providers_url(name: str) -> None:
    _, sent, expect = await send(name)
    assert str(sent.url) == expect["url"]


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_requests_carry_the_providers_auth_and_headers(name: str) -> None:
    _, sent, expect = await send(name)
    for header, value in expect["headers"].items():
        assert sent.headers.get(header) == value
    for header in expect["absent_headers"]:
        assert header not in sent.headers


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_body_is_what_the_provider_expects(name: str) -> None:
    _, sent, expect = await send(name)
    assert json.loads(sent.content) == expect["body"]


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_body_is_an_openai_chat_request_apart_from_provider_parameters(name: str) -> None:
    provider, sent, _ = await send(name)
    body = json.loads(sent.content)
    own = provider.profile.extra_params
    passed_through = set(body) - OPENAI_FIELDS if own == "any" else own
    validate_openai_chat_body({k: v for k, v in body.items() if k not in passed_through})


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_refused_parameters_are_reported_unsupported(name: str) -> None:
    expect = fixture(name)["expect"]
    model = fixture(name)["deployment"]["model"]
    supported = PROVIDERS[name].chat_params(model)
    assert [p for p in expect["unsupported"] if p in supported] == []
    assert [p for p in expect["supported"] if p not in supported] == []
