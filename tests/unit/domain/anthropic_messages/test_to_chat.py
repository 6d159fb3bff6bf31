"""Anthropic Messages requests -> chat requests, for deployments that do not speak Messages."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.anthropic_messages.to_chat import carries_claude_parts, chat_request, reasoning_effort
from switchboard.domain.anthropic_messages.wire import MessagesRequest, ThinkingConfig
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.messages import (
    AssistantMessage,
    FilePart,
    ImagePart,
    NamedToolChoice,
    SystemMessage,
    TextPart,
    ToolMessage,
    UserMessage,
)


def _request(**fields: Any) -> MessagesRequest:
    body: dict[str, Any] = {"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}
    return MessagesRequest.model_validate({**body, **fields})


CACHED_SYSTEM = [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]


def test_the_system_prompt_becomes_the_first_message_keeping_cache_control_for_claude() -> None:
    system = chat_request(_request(system=CACHED_SYSTEM), claude=True).messages[0]
    assert isinstance(system, SystemMessage) and isinstance(system.content, list)
    assert system.content[0].text == "Be brief."
    assert system.content[0].model_extra == {"cache_control": {"type": "ephemeral"}}


def test_other_models_get_no_cache_control_they_would_refuse() -> None:
    system = chat_request(_request(system=CACHED_SYSTEM)).messages[0]
    assert isinstance(system, SystemMessage) and isinstance(system.content, list)
    assert system.content[0].model_extra == {}


def test_only_claude_on_bedrock_reads_anthropics_parts_on_chat_messages() -> None:
    assert carries_claude_parts("bedrock", "anthropic.claude-sonnet-4-5-v1:0")
    assert not carries_claude_parts("bedrock", "meta.llama3-70b")
    assert not carries_claude_parts("openai", "gpt-4o")


def test_sampling_limits_and_the_user_carry_over() -> None:
    chat = chat_request(
        _request(temperature=0.2, top_p=0.9, top_k=5, stop_sequences=["END"], metadata={"user_id": "u-1"})
    )
    assert (chat.max_tokens, chat.temperature, chat.top_p, chat.stop, chat.user) == (100, 0.2, 0.9, ["END"], "u-1")
    assert chat.model_extra == {"top_k": 5}


def test_a_stream_always_asks_for_the_usage_chunk() -> None:
    chat = chat_request(_request(stream=True))
    assert chat.stream and chat.wants_usage_chunk


def test_images_become_image_url_parts_and_a_pdf_a_file_part() -> None:
    content = [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/a.jpg"}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBE"}},
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "plain words"}},
        {"type": "text", "text": "What is this?"},
    ]
    user = chat_request(_request(messages=[{"role": "user", "content": content}])).messages[0]
    assert isinstance(user, UserMessage) and isinstance(user.content, list)
    first, second, pdf, text_document, question = user.content
    assert isinstance(first, ImagePart) and first.image_url.url == "data:image/png;base64,AAAA"
    assert isinstance(second, ImagePart) and second.image_url.url == "https://example.com/a.jpg"
    assert isinstance(pdf, FilePart) and pdf.file.file_data == "data:application/pdf;base64,JVBE"
    assert isinstance(text_document, TextPart) and text_document.text == "plain words"
    assert isinstance(question, TextPart) and question.text == "What is this?"


TOOL_ROUND: list[dict[str, Any]] = [
    {"role": "user", "content": "Weather?"},
    {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "Look it up.", "signature": "sig"},
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}},
        ],
    },
    {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "18C"}]},
            {"type": "text", "text": "And tomorrow?"},
        ],
    },
]


def test_a_tool_round_becomes_tool_calls_and_tool_messages_before_the_users_text() -> None:
    chat = chat_request(_request(messages=TOOL_ROUND), claude=True)
    _, assistant, tool, user = chat.messages
    assert isinstance(assistant, AssistantMessage) and assistant.content == "Checking."
    assert assistant.reasoning_content == "Look it up."
    assert assistant.model_extra == {
        "thinking_blocks": [{"type": "thinking", "thinking": "Look it up.", "signature": "sig"}]
    }
    assert assistant.tool_calls is not None
    call = assistant.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments) == ("toolu_1", "weather", '{"city":"Paris"}')
    assert isinstance(tool, ToolMessage) and (tool.tool_call_id, tool.content) == ("toolu_1", "18C")
    assert isinstance(user, UserMessage) and isinstance(user.content, list)
    assert isinstance(user.content[0], TextPart) and user.content[0].text == "And tomorrow?"


def test_other_models_are_not_sent_their_earlier_reasoning() -> None:
    assistant = chat_request(_request(messages=TOOL_ROUND)).messages[1]
    assert isinstance(assistant, AssistantMessage)
    assert assistant.reasoning_content is None and assistant.model_extra == {}
    assert assistant.content == "Checking." and assistant.tool_calls is not None


def test_a_failed_tool_result_says_so() -> None:
    messages = [
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "boom", "is_error": True}]}
    ]
    tool = chat_request(_request(messages=messages)).messages[0]
    assert isinstance(tool, ToolMessage) and tool.content == "Error: boom"


def test_tools_and_tool_choice_become_function_tools() -> None:
    tools = [{"name": "weather", "description": "d", "input_schema": {"type": "object"}}]
    chat = chat_request(
        _request(tools=tools, tool_choice={"type": "tool", "name": "weather", "disable_parallel_tool_use": True})
    )
    assert chat.tools is not None
    function = chat.tools[0].function
    assert (function.name, function.description, function.parameters) == ("weather", "d", {"type": "object"})
    assert isinstance(chat.tool_choice, NamedToolChoice) and chat.tool_choice.function.name == "weather"
    assert chat.parallel_tool_calls is False


@pytest.mark.parametrize(("anthropic", "chat"), [("auto", "auto"), ("any", "required"), ("none", "none")])
def test_each_tool_choice_has_its_chat_name(anthropic: str, chat: str) -> None:
    tools = [{"name": "t", "input_schema": {"type": "object"}}]
    assert chat_request(_request(tools=tools, tool_choice={"type": anthropic})).tool_choice == chat


def test_a_server_tool_cannot_be_sent_to_a_chat_deployment() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        chat_request(_request(tools=[{"type": "web_search_20250305", "name": "web_search"}]))
    assert caught.value.param == "tools[0].type"


def test_an_unknown_block_names_where_it_is() -> None:
    messages = [{"role": "user", "content": [{"type": "container_upload", "file_id": "f"}]}]
    with pytest.raises(UnsupportedParameter) as caught:
        chat_request(_request(messages=messages))
    assert caught.value.param == "messages[0].content[0].type"


@pytest.mark.parametrize(
    ("thinking", "effort"),
    [
        ({"type": "enabled", "budget_tokens": 1024}, "low"),
        ({"type": "enabled", "budget_tokens": 8000}, "medium"),
        ({"type": "enabled", "budget_tokens": 32000}, "high"),
        ({"type": "adaptive"}, "medium"),
        ({"type": "disabled"}, None),
    ],
)
def test_thinking_becomes_a_reasoning_effort(thinking: dict[str, Any], effort: str | None) -> None:
    assert reasoning_effort(ThinkingConfig.model_validate(thinking)) == effort
    assert chat_request(_request(thinking=thinking)).reasoning_effort == effort


def test_unknown_blocks_and_fields_are_kept_for_a_native_deployment() -> None:
    request = _request(
        messages=[{"role": "user", "content": [{"type": "container_upload", "file_id": "f", "x": 1}]}],
        context_management={"edits": []},
    )
    dumped = request.model_dump(mode="json", exclude_unset=True)
    assert dumped["messages"][0]["content"][0] == {"type": "container_upload", "file_id": "f", "x": 1}
    assert dumped["context_management"] == {"edits": []}
