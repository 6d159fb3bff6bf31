"""generateContent responses -> ChatResponse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.types.chat import ChatCompletion

from switchboard.adapters.outbound.providers.gemini.response import chat_response, finish_reason, usage_from
from switchboard.domain.chat import ChatResponse
from switchboard.domain.errors import ContentPolicyViolation, UpstreamProtocolError
from tests.support.google_schema import validate_response
from tests.unit.adapters.providers.gemini.recorded import load


def mapped(payload: dict[str, Any], response_id: str = "fallback") -> ChatResponse:
    return chat_response(
        payload,
        response_id=payload.get("responseId", response_id),
        created=1_700_000_000,
        model="gemini-2.5-flash",
        provider="gemini",
        deployment="d1",
    )


def test_text_and_thoughts_become_content_and_reasoning_content() -> None:
    response = mapped(load("text_response.json"))
    message = response.choices[0].message
    assert message.content == "The capital of France is Paris."
    assert message.reasoning_content == "The user asks for the capital of France, which is Paris."
    assert response.choices[0].finish_reason == "stop"


def test_the_answer_is_a_valid_openai_chat_completion() -> None:
    response = mapped(load("tool_call_response.json"))
    ChatCompletion.model_validate(response.model_dump(mode="json", exclude_none=True))


def test_response_id_and_model_version_are_kept() -> None:
    response = mapped(load("text_response.json"))
    assert response.id == "chatcmpl-Jg1faOSzBciCz7IPnrX2oQs"
    assert response.model == "gemini-2.5-flash"


def test_completion_tokens_include_thoughts_and_details_carry_cache_and_reasoning() -> None:
    usage = mapped(load("text_response.json")).usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (12, 32, 44)
    assert usage.cached_tokens == 4
    assert usage.reasoning_tokens == 24


def test_usage_without_thoughts_or_cache_has_no_details() -> None:
    usage = usage_from({"promptTokenCount": 3, "candidatesTokenCount": 2, "totalTokenCount": 5})
    assert usage is not None
    assert usage.prompt_tokens_details is None and usage.completion_tokens_details is None


def test_tool_use_prompt_tokens_count_as_prompt_tokens() -> None:
    usage = usage_from({"promptTokenCount": 10, "toolUsePromptTokenCount": 90, "candidatesTokenCount": 5})
    assert usage is not None and usage.prompt_tokens == 100


def test_function_calls_become_tool_calls_with_json_arguments() -> None:
    response = mapped(load("tool_call_response.json"))
    calls = response.choices[0].message.tool_calls
    assert calls is not None
    assert [c.function.name for c in calls] == ["get_weather", "get_time"]
    assert json.loads(calls[0].function.arguments) == {"city": "Paris", "unit": "celsius"}
    assert response.choices[0].finish_reason == "tool_calls"
    assert response.choices[0].message.content is None


def test_tool_call_ids_are_generated_stable_and_distinct() -> None:
    first = mapped(load("tool_call_response.json")).choices[0].message.tool_calls
    again = mapped(load("tool_call_response.json")).choices[0].message.tool_calls
    assert first is not None and again is not None
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == 2


def test_an_id_gemini_gives_is_used() -> None:
    payload = load("tool_call_response.json")
    payload["candidates"][0]["content"]["parts"][1]["functionCall"]["id"] = "fc-42"
    calls = mapped(payload).choices[0].message.tool_calls
    assert calls is not None and calls[1].id == "fc-42"


def test_a_thought_signature_rides_in_extra_content() -> None:
    calls = mapped(load("tool_call_response.json")).choices[0].message.tool_calls
    assert calls is not None
    dumped = calls[0].model_dump()
    assert dumped["extra_content"] == {
        "google": {"thought_signature": "CiQB0e2Kb7Kqh0Ux7cJ1bmH1Pb0yBJ2nQkqjF7VxXhG3lLj4"}
    }
    assert "extra_content" not in calls[1].model_dump()


def test_a_blocked_prompt_is_a_content_policy_violation() -> None:
    with pytest.raises(ContentPolicyViolation) as caught:
        mapped(load("blocked_prompt.json"))
    assert "PROHIBITED_CONTENT" in caught.value.message
    assert caught.value.provider == "gemini"


def test_a_safety_stop_with_nothing_said_is_a_content_policy_violation() -> None:
    with pytest.raises(ContentPolicyViolation):
        mapped(load("safety_stop.json"))


def test_a_safety_stop_after_some_text_keeps_the_text() -> None:
    payload = load("safety_stop.json")
    payload["candidates"][0]["content"] = {"role": "model", "parts": [{"text": "Partial"}]}
    validate_response(payload)
    response = mapped(payload)
    assert response.text == "Partial"
    assert response.choices[0].finish_reason == "content_filter"


def test_a_response_without_candidates_or_block_reason_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        mapped({"usageMetadata": {"promptTokenCount": 1}})


def test_several_candidates_become_several_choices() -> None:
    payload = load("text_response.json")
    second = {
        "content": {"role": "model", "parts": [{"text": "Paris."}]},
        "finishReason": "MAX_TOKENS",
        "index": 1,
    }
    payload["candidates"].append(second)
    response = mapped(payload)
    assert [(c.index, c.finish_reason) for c in response.choices] == [(0, "stop"), (1, "length")]


def test_logprobs_come_back_in_openai_shape() -> None:
    logprobs = mapped(load("logprobs_response.json")).choices[0].logprobs
    assert logprobs == {
        "content": [
            {
                "token": "Yes",
                "logprob": -0.05,
                "bytes": [89, 101, 115],
                "top_logprobs": [
                    {"token": "Yes", "logprob": -0.05, "bytes": [89, 101, 115]},
                    {"token": "No", "logprob": -3.1, "bytes": [78, 111]},
                ],
            }
        ]
    }


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("STOP", "stop"),
        ("MAX_TOKENS", "length"),
        ("SAFETY", "content_filter"),
        ("RECITATION", "content_filter"),
        ("BLOCKLIST", "content_filter"),
        ("PROHIBITED_CONTENT", "content_filter"),
        ("SPII", "content_filter"),
        ("OTHER", "stop"),
        ("MALFORMED_FUNCTION_CALL", "stop"),
    ],
)
def test_finish_reasons_map_to_openai_words(reason: str, expected: str) -> None:
    assert finish_reason(reason, has_tool_calls=False) == expected


def test_a_stop_with_tool_calls_is_a_tool_calls_finish() -> None:
    assert finish_reason("STOP", has_tool_calls=True) == "tool_calls"
    assert finish_reason("MAX_TOKENS", has_tool_calls=True) == "length"
