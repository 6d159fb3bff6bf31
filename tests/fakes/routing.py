"""Fakes for driving the ``Router``: scripted attempts and a sleep that only records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from switchboard.domain.deployments import Deployment
from switchboard.domain.usage import Usage


@dataclass(frozen=True, slots=True)
class Answer:
    """What a successful attempt returns: which deployment answered, and the usage it reported."""

    deployment_id: str
    usage: Usage | None = None


def answer_usage(value: object) -> Usage | None:
    """What the router reads of an attempt's result: an ``Answer``'s usage."""
    return value.usage if isinstance(value, Answer) else None


class ScriptedAttempts:
    """An attempt function whose outcomes are scripted per deployment id.

    Each call on a deployment takes the next outcome of its script (the last one repeats): an
    exception instance is raised, anything else is returned. A deployment without a script
    answers ``Answer(id)``. ``calls`` lists the deployment ids attempted, in order.
    """

    def __init__(self, script: Mapping[str, Sequence[object]] | None = None) -> None:
        self._script = {k: list(v) for k, v in (script or {}).items()}
        self.calls: list[str] = []

    async def __call__(self, deployment: Deployment) -> object:
        self.calls.append(deployment.id)
        outcomes = self._script.get(deployment.id)
        if not outcomes:
            return Answer(deployment.id)
        outcome = outcomes.pop(0) if len(outcomes) > 1 else outcomes[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@dataclass
class RecordingSleep:
    """A ``sleep`` that returns at once and records each delay asked for."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
