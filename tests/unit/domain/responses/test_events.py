"""Chat chunks → Responses stream events, every event checked against the openai SDK's types."""

from __future__ import annotations

from typing import Any

from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FunctionCallDelta, ToolCallDelta
from switchboard.domain.responses.events import ResponseEvents
from switchboard.domain.responses.translation import response_shell
from switchboard.domain.responses.wire import ResponsesRequest, usage_dict
from tests.support.responses_schema import sdk_event, sdk_response


def chunk(finish: Any = None, **delta: Any) -> ChatChunk:
    return ChatChunk(id="c", created=1, model="m", choices=[ChunkChoice(delta=Delta(**delta), finish_reason=finish)])


def call(index: int, *, id: str | None = None, name: str | None = None, arguments: str | None = None) -> ChatChunk:
    function = FunctionCallDelta(name=name, arguments=arguments)
    return chunk(tool_calls=[ToolCallDelta(index=index, id=id, type="function" if id else None, function=function)])


def fold(chunks: list[ChatChunk]) -> list[dict[str, Any]]:
    shell = response_shell(ResponsesRequest(model="m", input="x"), "resp_1", 1.0, "m")
    events = ResponseEvents(shell)
    out = events.start()
    for piece in chunks:
        out += events.feed(piece)
    out += events.finish(usage_dict(3, 4))
    for event in out:
        sdk_event(event)
    return out


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def test_the_stream_opens_with_created_then_in_progress_and_counts_from_zero() -> None:
    events = fold([chunk(content="hi")])
    assert [e["type"] for e in events[:2]] == ["response.created", "response.in_progress"]
    assert [e["sequence_number"] for e in events] == list(range(len(events)))


def test_text_arrives_as_deltas_inside_one_message_item_then_completes() -> None:
    events = fold([chunk(role="assistant"), chunk(content="hel"), chunk(content="lo"), chunk("stop")])
    assert [e["delta"] for e in of_type(events, "response.output_text.delta")] == ["hel", "lo"]
    assert of_type(events, "response.output_text.done")[0]["text"] == "hello"
    completed = sdk_response(events[-1]["response"])
    assert events[-1]["type"] == "response.completed"
    assert completed.output_text == "hello" and completed.usage is not None and completed.usage.total_tokens == 7


def test_every_tool_call_argument_delta_reaches_the_client() -> None:
    events = fold(
        [
            call(0, id="call_a", name="weather", arguments=""),
            call(0, arguments='{"ci'),
            call(0, arguments='ty": "Paris"}'),
            chunk("tool_calls"),
        ]
    )
    deltas = [e["delta"] for e in of_type(events, "response.function_call_arguments.delta")]
    assert "".join(deltas) == '{"city": "Paris"}'
    (done,) = of_type(events, "response.function_call_arguments.done")
    assert done["arguments"] == '{"city": "Paris"}'
    item = of_type(events, "response.output_item.done")[0]["item"]
    assert (item["call_id"], item["name"], item["arguments"]) == ("call_a", "weather", '{"city": "Paris"}')


def test_arguments_sent_before_the_name_wait_for_it_and_are_not_lost() -> None:
    events = fold([call(0, id="call_a", arguments='{"x":'), call(0, name="f"), call(0, arguments="1}")])
    added = of_type(events, "response.output_item.added")[0]
    assert added["item"]["name"] == "f"
    deltas = [e["delta"] for e in of_type(events, "response.function_call_arguments.delta")]
    assert "".join(deltas) == '{"x":1}'


def test_parallel_tool_calls_each_get_their_own_item() -> None:
    events = fold(
        [
            call(0, id="a", name="f", arguments='{"n":'),
            call(1, id="b", name="g", arguments='{"m":'),
            call(0, arguments="1}"),
            call(1, arguments="2}"),
        ]
    )
    done = {e["item"]["call_id"]: e["item"]["arguments"] for e in of_type(events, "response.output_item.done")}
    assert done == {"a": '{"n":1}', "b": '{"m":2}'}
    indexes = {e["item"]["call_id"]: e["output_index"] for e in of_type(events, "response.output_item.added")}
    assert indexes == {"a": 0, "b": 1}


def test_text_then_a_tool_call_closes_the_message_before_the_call_opens() -> None:
    events = fold([chunk(content="let me check"), call(0, id="a", name="f", arguments="{}")])
    kinds = [e["type"] for e in events]
    assert kinds.index("response.output_text.done") < kinds.index("response.function_call_arguments.delta")
    final = sdk_response(events[-1]["response"])
    assert [item.type for item in final.output] == ["message", "function_call"]


def test_reasoning_streams_as_reasoning_text_before_the_answer() -> None:
    events = fold([chunk(reasoning_content="think"), chunk(reasoning_content="ing"), chunk(content="42")])
    assert "".join(e["delta"] for e in of_type(events, "response.reasoning_text.delta")) == "thinking"
    final = sdk_response(events[-1]["response"])
    assert [item.type for item in final.output] == ["reasoning", "message"]


def test_a_stream_cut_at_the_token_limit_ends_incomplete() -> None:
    events = fold([chunk(content="part"), chunk("length")])
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["incomplete_details"] == {"reason": "max_output_tokens"}


def test_a_failure_midway_sends_error_then_failed_with_what_was_streamed() -> None:
    shell = response_shell(ResponsesRequest(model="m", input="x"), "resp_1", 1.0, "m")
    events = ResponseEvents(shell)
    out = [*events.start(), *events.feed(chunk(content="half"))]
    out += events.fail("provider_unavailable", "upstream went away")
    for event in out:
        sdk_event(event)
    assert [e["type"] for e in out[-2:]] == ["error", "response.failed"]
    assert out[-1]["response"]["status"] == "failed"
