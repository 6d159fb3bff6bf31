"""What hooks and sinks are told of a call: ``CallInfo`` before, one ``CallOutcome`` after, made by
the constructor that says how the call ended."""

from __future__ import annotations

from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest, ChatResponse, Choice, ResponseMessage
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable
from switchboard.domain.usage import Usage

REQUEST = ChatRequest.model_validate({"model": "m", "messages": [{"role": "user", "content": "one two three"}]})
D2 = Deployment(id="d2", model_name="m", provider="p", model="up-2")
ANSWER = ChatResponse(id="c", created=1, model="up", choices=[Choice(message=ResponseMessage(content="hi"))])


def info(counter: list[int] | None = None) -> CallInfo[ChatRequest]:
    def count(request: ChatRequest) -> int:
        if counter is not None:
            counter.append(1)
        return 3

    return CallInfo(kind="chat", request=REQUEST, ctx=CallContext(request_id="r"), model_group="m", counter=count)


def test_the_prompt_is_counted_once_however_often_it_is_asked_for() -> None:
    counted: list[int] = []
    call = info(counted)
    assert (call.prompt_size(), call.prompt_size()) == (3, 3)
    assert counted == [1]


def test_a_call_that_failed_everywhere_names_the_deployment_tried_last_and_every_attempt() -> None:
    error = ProviderUnavailable("down", provider="p")
    outcome: CallOutcome[ChatRequest, ChatResponse] = CallOutcome.failed(
        info(), error, deployment=D2, attempted=("d1", "d2"), latency=0.5
    )
    assert (outcome.deployment, outcome.attempted, outcome.error) == (D2, ("d1", "d2"), error)
    assert not outcome.ok and not outcome.completed
    assert (outcome.usage, outcome.cost, outcome.response) == (None, None, None)


def test_an_answer_carries_its_deployment_usage_cost_and_the_deployments_that_failed_first() -> None:
    outcome = CallOutcome.answered(
        info(), ANSWER, deployment=D2, usage=Usage.of(3, 1), cost=0.1, attempted=("d1",), latency=0.2
    )
    assert outcome.ok and outcome.completed and not outcome.cache_hit
    assert (outcome.deployment, outcome.attempted, outcome.usage, outcome.cost) == (D2, ("d1",), Usage.of(3, 1), 0.1)


def test_a_cached_answer_costs_nothing_and_names_no_deployment() -> None:
    outcome = CallOutcome.cached(info(), ANSWER, usage=Usage.of(3, 1), latency=0.01)
    assert outcome.cache_hit and outcome.cost == 0.0 and outcome.deployment is None


def test_a_stream_left_early_is_not_completed_and_keeps_what_was_streamed() -> None:
    outcome: CallOutcome[ChatRequest, ChatResponse] = CallOutcome.streamed(
        info(),
        deployment=D2,
        attempted=(),
        usage=Usage.of(3, 1),
        cost=None,
        text="par",
        completed=False,
        error=None,
        latency=1.0,
        time_to_first_token=0.1,
    )
    assert outcome.ok and not outcome.completed
    assert (outcome.completion_text, outcome.response, outcome.time_to_first_token) == ("par", None, 0.1)
