"""The hot-path cost of observability, per call, in microseconds (a benchmark, not a test).

    .venv/bin/python bench/event_emit.py [--n 200000]

Prints, per call:
- ``emit``: what a request pays to hand its outcome to the dispatcher (a bounds check, a clock
  read, a deque append);
- ``in-flight hook``: the ``pre_call`` + ``post_call`` pair the Prometheus in-flight gauge adds;
- ``background``: what the dispatcher's task spends per event off the request's path (building
  the event, and each sink's export), for the sinks named.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import time

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.adapters.outbound.observability.prometheus import InFlightHook, PrometheusExporter, PrometheusMetrics
from switchboard.adapters.outbound.observability.structlog_sink import StructlogExporter
from switchboard.adapters.outbound.system import SystemClock
from switchboard.domain.call_events import CallEvent
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest, ChatResponse, Choice, ResponseMessage
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.exporters import Exporter
from switchboard.domain.usage import Usage

REQUEST = ChatRequest.model_validate(
    {"model": "gpt", "messages": [{"role": "user", "content": "Say hello in one short sentence."}], "temperature": 0.2}
)
DEPLOYMENT = Deployment(id="dep-1", model_name="gpt", provider="openai", model="gpt-4o-mini")
RESPONSE = ChatResponse(
    id="chatcmpl-1", created=1, model="gpt-4o-mini", choices=[Choice(message=ResponseMessage(content="Hello!"))]
)


def outcome() -> CallOutcome[ChatRequest, ChatResponse]:
    info = CallInfo(kind="chat", request=REQUEST, ctx=CallContext(request_id="r"), model_group="gpt")
    return CallOutcome(
        info=info, deployment=DEPLOYMENT, usage=Usage.of(12, 3), cost=0.0001, response=RESPONSE, latency=0.2
    )


def dispatcher(sinks: str, clock: SystemClock) -> EventDispatcher:
    queues: list[ExportQueue[CallEvent]] = []
    for name in filter(None, sinks.split(",")):
        exporter: Exporter[CallEvent]
        if name == "prometheus":
            exporter = PrometheusExporter(PrometheusMetrics(clock))
        elif name == "structlog":
            exporter = StructlogExporter(io.BytesIO())
        else:
            raise SystemExit(f"unknown sink {name}")
        queues.append(ExportQueue(name, exporter, QueueSettings(capacity=1_000_000, batch_size=512)))
    return EventDispatcher(queues, clock, capacity=1_000_000)


async def measure_emit(sinks: str, n: int) -> tuple[float, float]:
    clock = SystemClock()
    events = dispatcher(sinks, clock)
    outcomes = [outcome() for _ in range(1000)]
    emit = events.emit
    hot = background = 0
    for _ in range(n // len(outcomes)):
        t0 = time.perf_counter_ns()
        for item in outcomes:
            emit(item)
        t1 = time.perf_counter_ns()
        await events.flush()  # the background work, as it runs between requests
        hot, background = hot + t1 - t0, background + time.perf_counter_ns() - t1
    await events.aclose(5)
    return hot / n / 1000, background / n / 1000


async def measure_hook(n: int) -> float:
    hook = InFlightHook(PrometheusMetrics(SystemClock()))
    info = CallInfo(kind="chat", request=REQUEST, ctx=CallContext(request_id="r"), model_group="gpt")
    done: CallOutcome[ChatRequest, ChatResponse] = CallOutcome(info=info)
    t0 = time.perf_counter_ns()
    for _ in range(n):
        ticket = await hook.pre_call(info)
        await hook.post_call(done, ticket)
    return (time.perf_counter_ns() - t0) / n / 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    print(f"{'sinks':<24}{'emit (hot path)':>18}{'background':>14}   per call, {args.n} calls")
    for sinks in ("", "prometheus", "structlog", "prometheus,structlog"):
        hot, background = await measure_emit(sinks, args.n)
        print(f"{sinks or '(none)':<24}{hot:>15.3f} µs{background:>11.2f} µs")
    print(f"{'in-flight hook':<24}{await measure_hook(args.n):>15.3f} µs")


if __name__ == "__main__":
    asyncio.run(main())
