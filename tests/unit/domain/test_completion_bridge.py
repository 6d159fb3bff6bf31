from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.chat import (
    ChatChunk,
    ChatResponse,
    Choice,
    ChunkChoice,
    Delta,
    FinishReason,
    ResponseMessage,
)
from switchboard.domain.completion_bridge import (
    CompletionChunks,
    chat_request_for,
    completion_from_chat,
    completion_id,
    logprobs_from_chat,
    text_prompts,
    unbridgeable_params,
)
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import UserMessage
from switchboard.domain.usage import Usage


def request(**body: object) -> CompletionRequest:
    return CompletionRequest.model_validate({"model": "m", "prompt": "Once upon", **body})


def chat_answer(
    *texts: str, finish: FinishReason = "stop", usage: Usage | None = None, logprobs: dict[str, Any] | None = None
) -> ChatResponse:
    return ChatResponse(
        id="chatcmpl-abc",
        created=5,
        model="up",
        choices=[
            Choice(index=i, message=ResponseMessage(content=t), finish_reason=finish, logprobs=logprobs)
            for i, t in enumerate(texts)
        ],
        usage=usage,
    )


def test_the_prompt_becomes_one_user_message() -> None:
    chat = chat_request_for(request(), "Once upon")
    assert len(chat.messages) == 1
    assert isinstance(chat.messages[0], UserMessage)
    assert chat.messages[0].content == "Once upon"
    assert chat.model == "m"


def test_sampling_parameters_keep_their_meaning_in_chat() -> None:
    chat = chat_request_for(request(max_tokens=7, temperature=0.5, stop=["\n"], n=2, seed=3, user="u"), "x")
    assert (chat.max_tokens, chat.temperature, chat.stop, chat.n, chat.seed, chat.user) == (
        7,
        0.5,
        ["\n"],
        2,
        3,
        "u",
    )


def test_logprobs_ask_chat_for_that_many_alternatives() -> None:
    chat = chat_request_for(request(logprobs=3), "x")
    assert chat.logprobs is True
    assert chat.top_logprobs == 3


def test_gateway_parameters_travel_along() -> None:
    chat = chat_request_for(request(mock_response="canned", drop_params=True), "x")
    assert chat.model_extra == {"mock_response": "canned", "drop_params": True}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"suffix": "end"}, ["suffix"]),
        ({"best_of": 3}, ["best_of"]),
        ({"best_of": 2, "n": 2}, []),
        ({"echo": True, "logprobs": 1}, ["echo"]),
        ({"echo": True}, []),
    ],
)
def test_what_chat_cannot_carry_is_named(body: dict[str, object], expected: list[str]) -> None:
    assert unbridgeable_params(request(**body)) == expected


def test_token_array_prompts_cannot_go_through_chat() -> None:
    with pytest.raises(BadRequest) as caught:
        text_prompts(request(prompt=[1, 2, 3]))
    assert caught.value.param == "prompt"


def test_chat_ids_become_completion_ids() -> None:
    assert completion_id("chatcmpl-abc") == "cmpl-abc"
    assert completion_id("msg_123") == "msg_123"


def test_choices_of_several_prompts_are_numbered_as_openai_numbers_them() -> None:
    completion = completion_from_chat(
        request(prompt=["a", "b"], n=2),
        ["a", "b"],
        [chat_answer("a1", "a2", usage=Usage.of(2, 3)), chat_answer("b1", "b2", usage=Usage.of(4, 5))],
    )
    assert [(c.index, c.text) for c in completion.choices] == [(0, "a1"), (1, "a2"), (2, "b1"), (3, "b2")]
    assert completion.usage == Usage.of(6, 8)
    assert completion.id == "cmpl-abc"
    assert completion.object == "text_completion"


def test_echo_puts_the_prompt_before_the_answer() -> None:
    completion = completion_from_chat(request(echo=True), ["Once upon"], [chat_answer(" a time")])
    assert completion.text == "Once upon a time"


@pytest.mark.parametrize(
    ("chat", "expected"), [("stop", "stop"), ("length", "length"), ("content_filter", "content_filter")]
)
def test_finish_reasons_keep_their_meaning(chat: FinishReason, expected: str) -> None:
    completion = completion_from_chat(request(), ["x"], [chat_answer("y", finish=chat)])
    assert completion.choices[0].finish_reason == expected


def test_chat_logprobs_take_the_completion_shape_with_offsets_from_the_prompt_start() -> None:
    chat_logprobs = {
        "content": [
            {
                "token": " a",
                "logprob": -0.1,
                "bytes": None,
                "top_logprobs": [{"token": " a", "logprob": -0.1}],
            },
            {"token": " time", "logprob": -0.2, "bytes": None, "top_logprobs": []},
        ]
    }
    converted, end = logprobs_from_chat(chat_logprobs, offset=9)
    assert converted is not None
    assert converted.tokens == [" a", " time"]
    assert converted.token_logprobs == [-0.1, -0.2]
    assert converted.top_logprobs == [{" a": -0.1}, None]
    assert converted.text_offset == [9, 11]
    assert end == 16


def test_no_chat_logprobs_means_no_completion_logprobs() -> None:
    assert logprobs_from_chat(None, 0) == (None, 0)


def chunk(
    content: str | None = None, finish: FinishReason | None = None, role: bool = False, usage: Usage | None = None
) -> ChatChunk:
    choices = (
        [ChunkChoice(delta=Delta(role="assistant" if role else None, content=content), finish_reason=finish)]
        if usage is None
        else []
    )
    return ChatChunk(id="chatcmpl-abc", created=5, model="up", choices=choices, usage=usage)


def test_a_role_only_chunk_shows_nothing() -> None:
    assert CompletionChunks("p").feed(chunk(content="", role=True)) is None


def test_stream_pieces_become_completion_chunks() -> None:
    mapper = CompletionChunks("p")
    pieces = [mapper.feed(c) for c in (chunk("", role=True), chunk("Hel"), chunk("lo"), chunk(finish="stop"))]
    shown = [p for p in pieces if p is not None]
    assert [c.text for c in shown] == ["Hel", "lo", ""]
    assert shown[-1].choices[0].finish_reason == "stop"
    assert all(c.id == "cmpl-abc" and c.object == "text_completion" for c in shown)


def test_echo_starts_the_stream_with_the_prompt_once() -> None:
    mapper = CompletionChunks("Once upon", echo=True)
    texts = [m.text for c in (chunk("", role=True), chunk(" a"), chunk(" time")) if (m := mapper.feed(c))]
    assert "".join(texts) == "Once upon a time"


def test_the_usage_chunk_passes_through() -> None:
    mapped = CompletionChunks("p").feed(chunk(usage=Usage.of(1, 2)))
    assert mapped is not None and mapped.usage == Usage.of(1, 2) and mapped.choices == []
