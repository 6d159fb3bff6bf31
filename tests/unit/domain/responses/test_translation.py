"""Responses ⇄ chat, for providers without a native Responses endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.chat import ChatResponse, Choice, JsonSchemaResponseFormat, ResponseMessage
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.messages import (
    AssistantMessage,
    FunctionCall,
    ImagePart,
    NamedToolChoice,
    SystemMessage,
    TextPart,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from switchboard.domain.responses.translation import chat_request_for, response_from_chat
from switchboard.domain.responses.wire import ResponsesRequest
from switchboard.domain.usage import Usage
from tests.support.responses_schema import sdk_response


def request(**fields: Any) -> ResponsesRequest:
    return ResponsesRequest.model_validate({"model": "m", **fields})


def test_a_string_input_is_one_user_message_after_the_instructions() -> None:
    chat = chat_request_for(request(input="hello", instructions="be brief"))
    assert chat.messages == [SystemMessage(content="be brief"), UserMessage(content="hello")]


def test_message_items_keep_their_roles_and_parts() -> None:
    chat = chat_request_for(
        request(
            input=[
                {"role": "developer", "content": "rules"},
                {
                    "type": "message",
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "what is this?"},
                        {"type": "input_image", "image_url": "https://x/cat.png", "detail": "low"},
                    ],
                },
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "a cat"}]},
            ]
        )
    )
    developer, user, assistant = chat.messages
    assert developer.role == "developer" and developer.content == "rules"
    assert isinstance(user, UserMessage) and isinstance(user.content, list)
    assert user.content[0] == TextPart(text="what is this?")
    assert isinstance(user.content[1], ImagePart) and user.content[1].image_url.detail == "low"
    assert isinstance(assistant, AssistantMessage) and assistant.content == "a cat"


def test_function_calls_and_their_outputs_become_tool_calls_and_tool_messages() -> None:
    chat = chat_request_for(
        request(
            input=[
                {"role": "user", "content": "weather in Paris and Rome?"},
                {"type": "function_call", "call_id": "c1", "name": "weather", "arguments": '{"city":"Paris"}'},
                {"type": "function_call", "call_id": "c2", "name": "weather", "arguments": '{"city":"Rome"}'},
                {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
                {"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_text", "text": "rain"}]},
            ]
        )
    )
    _, assistant, first, second = chat.messages
    assert isinstance(assistant, AssistantMessage)
    assert assistant.tool_calls == [
        ToolCall(id="c1", function=FunctionCall(name="weather", arguments='{"city":"Paris"}')),
        ToolCall(id="c2", function=FunctionCall(name="weather", arguments='{"city":"Rome"}')),
    ]
    assert first == ToolMessage(tool_call_id="c1", content="sunny")
    assert second == ToolMessage(tool_call_id="c2", content="rain")


def test_a_reasoning_item_becomes_the_next_assistant_messages_reasoning() -> None:
    chat = chat_request_for(
        request(
            input=[
                {"role": "user", "content": "2+2?"},
                {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "add them"}]},
                {"type": "function_call", "call_id": "c1", "name": "calc", "arguments": "{}"},
            ]
        )
    )
    assistant = chat.messages[1]
    assert isinstance(assistant, AssistantMessage) and assistant.reasoning_content == "add them"


def test_function_tools_tool_choice_format_and_limits_map_to_chat() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    chat = chat_request_for(
        request(
            input="x",
            tools=[{"type": "function", "name": "f", "description": "d", "parameters": schema, "strict": True}],
            tool_choice={"type": "function", "name": "f"},
            text={"format": {"type": "json_schema", "name": "answer", "schema": schema, "strict": True}},
            max_output_tokens=50,
            reasoning={"effort": "low"},
            temperature=0.5,
        )
    )
    assert chat.tools is not None and chat.tools[0].function.name == "f"
    assert chat.tools[0].function.parameters == schema and chat.tools[0].function.strict is True
    assert isinstance(chat.tool_choice, NamedToolChoice) and chat.tool_choice.function.name == "f"
    assert isinstance(chat.response_format, JsonSchemaResponseFormat)
    assert chat.response_format.json_schema.name == "answer" and chat.response_format.json_schema.schema_ == schema
    assert (chat.max_tokens, chat.reasoning_effort, chat.temperature) == (50, "low", 0.5)


def test_a_streamed_request_asks_chat_for_the_usage_chunk() -> None:
    chat = chat_request_for(request(input="x"), stream=True)
    assert chat.stream is True and chat.wants_usage_chunk


def test_history_comes_before_the_input() -> None:
    history = [{"role": "user", "content": "first"}, {"type": "message", "role": "assistant", "content": "one"}]
    chat = chat_request_for(request(input="second"), history)
    assert [m.content for m in chat.messages] == ["first", "one", "second"]


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"input": "x", "tools": [{"type": "web_search"}]}, "tools[0]"),
        ({"input": [{"type": "item_reference", "id": "msg_1"}]}, "input[0]"),
        ({"input": [{"type": "computer_call_output", "call_id": "c"}]}, "input[0]"),
        ({"input": "x", "tool_choice": {"type": "allowed_tools", "tools": []}}, "tool_choice"),
    ],
)
def test_what_chat_cannot_carry_is_refused_naming_it(fields: dict[str, Any], param: str) -> None:
    with pytest.raises(UnsupportedParameter) as refused:
        chat_request_for(request(**fields))
    assert refused.value.param == param


def test_a_function_call_without_a_call_id_is_a_bad_request_naming_the_field() -> None:
    with pytest.raises(BadRequest) as refused:
        chat_request_for(request(input=[{"type": "function_call", "name": "f", "arguments": "{}"}]))
    assert refused.value.param == "input[0].call_id"


def chat_answer(message: ResponseMessage, finish: Any = "stop") -> ChatResponse:
    return ChatResponse(
        id="chatcmpl-1",
        created=1,
        model="claude-x",
        choices=[Choice(message=message, finish_reason=finish)],
        usage=Usage.of(10, 5, cached=2),
    )


def test_a_chat_answer_is_a_response_the_sdk_reads() -> None:
    answer = chat_answer(ResponseMessage(content="hi", reasoning_content="thinking"))
    response = response_from_chat(request(input="x"), answer, "resp_1", 123.0)
    parsed = sdk_response(response.model_dump(mode="json"))
    assert parsed.output_text == "hi"
    assert [item.type for item in parsed.output] == ["reasoning", "message"]
    assert parsed.usage is not None
    assert (parsed.usage.input_tokens, parsed.usage.output_tokens, parsed.usage.total_tokens) == (10, 5, 15)
    assert parsed.usage.input_tokens_details.cached_tokens == 2
    assert parsed.status == "completed"


def test_tool_calls_become_function_call_items_with_their_call_ids() -> None:
    call = ToolCall(id="call_9", function=FunctionCall(name="weather", arguments='{"city":"Oslo"}'))
    answer = chat_answer(ResponseMessage(tool_calls=[call]), "tool_calls")
    parsed = sdk_response(response_from_chat(request(input="x"), answer, "resp_1", 1.0).model_dump(mode="json"))
    (item,) = parsed.output
    assert item.type == "function_call"
    assert (item.call_id, item.name, item.arguments) == ("call_9", "weather", '{"city":"Oslo"}')


def test_an_answer_cut_at_the_token_limit_is_incomplete() -> None:
    answer = chat_answer(ResponseMessage(content="partial"), "length")
    parsed = sdk_response(response_from_chat(request(input="x"), answer, "resp_1", 1.0).model_dump(mode="json"))
    assert parsed.status == "incomplete"
    assert parsed.incomplete_details is not None and parsed.incomplete_details.reason == "max_output_tokens"


NAMESPACE = {
    "type": "namespace",
    "name": "agents",
    "description": "sub-agents",
    "tools": [{"type": "function", "name": "spawn_agent", "parameters": {"type": "object", "properties": {}}}],
}


def test_a_namespace_tools_functions_are_offered_as_chat_functions() -> None:
    # Codex offers its sub-agent tools in a namespace
    chat = chat_request_for(request(input="x", tools=[{"type": "function", "name": "shell"}, NAMESPACE]))
    assert [tool.function.name for tool in chat.tools or ()] == ["shell", "spawn_agent"]


def test_a_call_to_a_namespaced_function_comes_back_with_its_namespace() -> None:
    call = ToolCall(id="call_1", function=FunctionCall(name="spawn_agent", arguments="{}"))
    answer = chat_answer(ResponseMessage(tool_calls=[call]), "tool_calls")
    response = response_from_chat(request(input="x", tools=[NAMESPACE]), answer, "resp_1", 1.0)
    parsed = sdk_response(response.model_dump(mode="json"))
    (item,) = parsed.output
    assert item.type == "function_call"
    assert (item.name, item.namespace) == ("spawn_agent", "agents")


def test_a_hosted_tool_is_left_out_when_the_call_drops_what_the_deployment_cannot_take() -> None:
    tools = [{"type": "function", "name": "shell"}, {"type": "web_search", "external_web_access": False}]
    chat = chat_request_for(request(input="x", tools=tools), drop_hosted=True)
    assert [tool.function.name for tool in chat.tools or ()] == ["shell"]
    with pytest.raises(UnsupportedParameter):
        chat_request_for(request(input="x", tools=tools))
