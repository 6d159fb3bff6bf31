"""Canonical requests to OpenAI wire bodies, checked against the openai SDK's request types."""

from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.openai.request import chat_body, chat_params
from switchboard.domain.chat import ChatRequest
from tests.support.sdk_schema import validate_openai_chat_body


def request(**fields: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "alias", "messages": [{"role": "user", "content": "hi"}], **fields})


def test_the_body_names_the_upstream_model_and_is_a_valid_openai_request() -> None:
    body = chat_body(
        request(temperature=0.2, tools=[{"type": "function", "function": {"name": "f"}}]),
        "gpt-4o",
        stream=False,
        defaults={},
    )
    assert body["model"] == "gpt-4o"
    validate_openai_chat_body(body)


def test_a_stream_always_asks_for_usage() -> None:
    body = chat_body(request(stream=True), "gpt-4o", stream=True, defaults={})
    assert body["stream_options"] == {"include_usage": True}
    validate_openai_chat_body(body)


def test_multimodal_and_tool_messages_survive_the_round_trip() -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is this"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]
    body = chat_body(request(messages=messages), "gpt-4o", stream=False, defaults={})
    assert validate_openai_chat_body(body)["messages"][1]["content"][1]["image_url"]["url"].startswith("data:")


def test_deployment_defaults_fill_only_what_the_caller_left_out() -> None:
    body = chat_body(
        request(temperature=0.9),
        "gpt-4o",
        stream=False,
        defaults={"temperature": 0, "seed": 3, "organization": "org"},
    )
    assert (body["temperature"], body["seed"]) == (0.9, 3)
    assert "organization" not in body


def test_reasoning_models_take_max_completion_tokens() -> None:
    body = chat_body(request(max_tokens=100), "o3-mini", stream=False, defaults={})
    assert body["max_completion_tokens"] == 100
    assert "max_tokens" not in body


def test_reasoning_models_do_not_accept_sampling_knobs() -> None:
    assert "temperature" not in chat_params("o4-mini")
    assert "temperature" in chat_params("gpt-4o")
    assert "temperature" in chat_params("gpt-5-chat-latest")
