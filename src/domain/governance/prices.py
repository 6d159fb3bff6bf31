"""What a call costs, from the per-token prices in a deployment's ``model_info``.

This is the one place that reads prices, so the model catalog can replace it wholesale: the
call's actual cost comes from ``CallOutcome.cost`` when the catalog sets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.deployments import Deployment
from domain.usage import Usage


@dataclass(frozen=True, slots=True)
class TokenPrices:
    """Dollars per token, and the most output tokens a call can produce (if known)."""

    input: float = 0.0
    output: float = 0.0
    max_output_tokens: int | None = None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return prompt_tokens * self.input + completion_tokens * self.output


FREE = TokenPrices()


def _number(info: Mapping[str, Any], name: str) -> float:
    value = info.get(name)
    return float(value) if isinstance(value, int | float) and value > 0 else 0.0


def prices_of(deployment: Deployment) -> TokenPrices:
    info = deployment.model_info
    limit = info.get("max_output_tokens") or info.get("max_tokens")
    return TokenPrices(
        input=_number(info, "input_cost_per_token"),
        output=_number(info, "output_cost_per_token"),
        max_output_tokens=int(limit) if isinstance(limit, int) and limit > 0 else None,
    )


def dearest(deployments: Iterable[Deployment]) -> TokenPrices:
    """The worst case over a model group: the router may pick any of its deployments."""
    prices = [prices_of(d) for d in deployments]
    if not prices:
        return FREE
    limits = [p.max_output_tokens for p in prices]
    return TokenPrices(
        input=max(p.input for p in prices),
        output=max(p.output for p in prices),
        max_output_tokens=None if None in limits else max(x for x in limits if x is not None),
    )


def cost_of(deployment: Deployment | None, usage: Usage | None) -> float:
    """The cost of ``usage`` on ``deployment``; 0 when either is unknown or unpriced."""
    if deployment is None or usage is None:
        return 0.0
    return prices_of(deployment).cost(usage.prompt_tokens, usage.completion_tokens)
