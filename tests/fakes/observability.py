"""Fakes for the observability ports: an exporter that records, fails, refuses or blocks on
demand; an alerts port that records; and call outcomes to feed them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from switchboard.domain.alerts import Alert
from switchboard.domain.call_events import CallEvent
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest, ChatResponse, Choice, ResponseMessage
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.exporters import Exporter, ExportRejected
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.usage import Usage

T = TypeVar("T")


@dataclass
class FakeExporter(Exporter[T]):
    """Keeps every batch it takes. ``fail`` makes the next that many exports raise; ``reject``
    refuses for good; ``gate`` (an ``asyncio.Event``) makes each export wait until it is set."""

    fail: int = 0
    reject: bool = False
    gate: asyncio.Event | None = None
    batches: list[list[T]] = field(default_factory=list)
    attempts: int = 0
    closed: bool = False

    @property
    def items(self) -> list[T]:
        return [item for batch in self.batches for item in batch]

    async def export(self, items: Sequence[T]) -> None:
        self.attempts += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.reject:
            raise ExportRejected("refused")
        if self.fail > 0:
            self.fail -= 1
            raise ConnectionError("the destination is down")
        self.batches.append(list(items))

    async def close(self) -> None:
        self.closed = True


@dataclass
class RecordingAlerts(Alerts):
    alerts: list[Alert] = field(default_factory=list)

    def notify(self, alert: Alert) -> None:
        self.alerts.append(alert)


DEPLOYMENT = Deployment(id="dep-1", model_name="gpt", provider="openai", model="gpt-4o-mini")
PRINCIPAL = Principal(PrincipalKind.MASTER, key_hash="abc123", key_alias="ci-key")


def chat_request(**fields: Any) -> ChatRequest:
    return ChatRequest.model_validate(
        {"model": "gpt", "messages": [{"role": "user", "content": "What is 2+2?"}], "temperature": 0.2, **fields}
    )


def outcome(
    *,
    request: ChatRequest | None = None,
    error: SwitchboardError | None = None,
    completed: bool | None = None,
    stream: bool = False,
    principal: Principal = PRINCIPAL,
    request_id: str = "req-1",
    latency: float = 0.5,
    cost: float | None = 0.0012,
    attempted: tuple[str, ...] = (),
    completion_text: str | None = None,
) -> CallOutcome[ChatRequest, ChatResponse]:
    """A settled chat call: a success answering "4" unless ``error`` is given."""
    request = request or chat_request()
    info = CallInfo(
        kind="chat",
        request=request,
        ctx=CallContext(request_id=request_id, principal=principal),
        model_group=request.model,
        stream=stream,
    )
    ok = error is None
    response = (
        ChatResponse(
            id="chatcmpl-1",
            created=1,
            model="gpt-4o-mini-2024-07-18",
            choices=[Choice(message=ResponseMessage(content="4"))],
            usage=Usage.of(12, 1),
        )
        if ok and not stream
        else None
    )
    return CallOutcome(
        info=info,
        deployment=DEPLOYMENT if ok else None,
        usage=Usage.of(12, 1) if ok else None,
        cost=cost if ok else None,
        error=error,
        response=response,
        latency=latency,
        completed=ok if completed is None else completed,
        attempted=attempted,
        completion_text=completion_text,
    )


def event(**fields: Any) -> CallEvent:
    """A plain successful call event."""
    base: dict[str, Any] = {
        "request_id": "req-1",
        "kind": "chat",
        "status": "success",
        "start_time": 1_700_000_000.0,
        "end_time": 1_700_000_000.5,
        "latency": 0.5,
        "model_group": "gpt",
        "model": "gpt-4o-mini",
        "deployment_id": "dep-1",
        "provider": "openai",
        "prompt_tokens": 12,
        "completion_tokens": 1,
        "total_tokens": 13,
        "cost": 0.0012,
        "key_alias": "ci-key",
        "input": [{"role": "user", "content": "What is 2+2?"}],
        "output": [{"role": "assistant", "content": "4"}],
    }
    return CallEvent(**{**base, **fields})
