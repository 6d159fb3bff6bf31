"""The router: which deployment of a model group serves an attempt.

This first version picks one deployment by weighted shuffle and makes a single attempt; retries,
fallbacks, cooldowns and the other strategies build on the same ``run`` contract.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from application.deployments import DeploymentDirectory
from domain.calls import CallInfo
from domain.deployments import Deployment
from domain.ports.randomness import RandomSource
from domain.routing import weighted_pick

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Routed(Generic[T]):
    """An attempt's result, the deployment that produced it, and the deployments tried before it."""

    value: T
    deployment: Deployment
    attempted: tuple[str, ...] = ()


class Router:
    def __init__(self, directory: DeploymentDirectory, rng: RandomSource) -> None:
        self._directory = directory
        self._rng = rng

    def candidates(self, model: str) -> Sequence[Deployment]:
        """The deployments that may serve ``model``; raises ``ModelNotFound``."""
        return self._directory.candidates(model)

    async def run(self, info: CallInfo, attempt: Callable[[Deployment], Awaitable[T]]) -> Routed[T]:
        """Run ``attempt`` on a deployment of ``info.model_group`` and return its result.

        ``attempt`` raises a ``domain.errors`` error when that deployment fails; whatever it has
        opened must be closed before it raises.
        """
        deployment = weighted_pick(self.candidates(info.model_group), self._rng)
        return Routed(await attempt(deployment), deployment)
