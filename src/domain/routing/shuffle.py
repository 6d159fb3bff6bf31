"""Routing policies: which deployment of a model group takes the next attempt."""

from __future__ import annotations

from collections.abc import Sequence

from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.randomness import RandomSource


def deployment_weight(deployment: Deployment) -> float:
    """The share a deployment gets under simple shuffle: weight, else rpm, else tpm, else 1."""
    for value in (deployment.weight, deployment.rpm, deployment.tpm):
        if value is not None and value > 0:
            return float(value)
    return 1.0


def weighted_pick(candidates: Sequence[Deployment], rng: RandomSource) -> Deployment:
    """One candidate, drawn with probability proportional to its weight."""
    if not candidates:
        raise ValueError("weighted_pick needs at least one candidate")
    if len(candidates) == 1:
        return candidates[0]
    weights = [deployment_weight(d) for d in candidates]
    point = rng.random() * sum(weights)
    for deployment, weight in zip(candidates, weights, strict=True):
        point -= weight
        if point < 0:
            return deployment
    return candidates[-1]
