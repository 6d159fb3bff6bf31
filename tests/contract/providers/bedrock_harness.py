"""The fake Bedrock upstream in the kit: scenarios as Converse JSON and event-stream frames,
checked by botocore's service model; every request's SigV4 signature is verified by botocore."""

from __future__ import annotations

import httpx
import orjson

from switchboard.adapters.outbound.providers.bedrock import BedrockProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock, FakeIds
from tests.support.bedrock_upstream import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Answer,
    ToolUse,
    converse_response,
    error_response,
    signature_problem,
    stream_frames,
)
from tests.support.bedrock_wire import check_request
from tests.support.upstream import StreamCounter, TrackedStream

STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "content_filter": "guardrail_intervened"}


def answer(s: Scenario) -> Answer:
    return Answer(
        text=s.text,
        tool_uses=tuple(ToolUse(t.id, t.name, t.arguments) for t in s.tool_calls),
        stop_reason="tool_use" if s.tool_calls else STOP_REASONS[s.finish],
        input_tokens=s.prompt_tokens - s.cached_tokens,
        output_tokens=s.completion_tokens,
        cache_read=s.cached_tokens,
        pieces=s.chunks,
    )


class BedrockHarness(RecordedHarness):
    name = "bedrock"
    capabilities = frozenset({"tools", "cut_stream", "usage_exact", "cached_tokens", "finish_reasons"})

    def build(self, scenario: Scenario) -> tuple[BedrockProvider, Deployment]:
        def handler(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
            problem = signature_problem("POST", str(request.url), dict(request.headers), request.content)
            assert problem is None, problem
            operation = request.url.raw_path.decode().rsplit("/", 1)[-1]
            check_request(
                orjson.loads(request.content),
                "ConverseStream" if operation == "converse-stream" else "Converse",
            )
            if scenario.error:
                status, headers, body = error_response(scenario.error)
                return httpx.Response(status, headers=headers, content=body)
            if operation == "converse-stream":
                frames = stream_frames(answer(scenario), cut=scenario.cut_stream)
                return httpx.Response(
                    200,
                    stream=TrackedStream(frames, counter),
                    headers={"content-type": "application/vnd.amazon.eventstream"},
                )
            return httpx.Response(200, json=converse_response(answer(scenario)))

        provider = BedrockProvider(self._record(handler), FakeClock(), FakeIds(), environ={})
        deployment = Deployment(
            id="d-bedrock",
            model_name="claude",
            provider="bedrock",
            model="anthropic.claude-3-haiku-20240307-v1:0",
            params={
                "aws_access_key_id": ACCESS_KEY,
                "aws_secret_access_key": SECRET_KEY,
                "aws_region_name": REGION,
            },
        )
        return provider, deployment
