"""Worst-case prices for reservations: what a call may cost before the router has picked its
deployment. (What a call did cost comes from the model catalog, on the call's outcome.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from switchboard.domain.catalog import ModelInfo


@dataclass(frozen=True, slots=True)
class TokenPrices:
    """Dollars per token at worst, and the most output tokens a call can produce (if known)."""

    input: float = 0.0
    output: float = 0.0
    max_output_tokens: int | None = None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return prompt_tokens * self.input + completion_tokens * self.output


FREE = TokenPrices()


def worst_case(info: ModelInfo | None) -> TokenPrices:
    """The dearest rates a call to this model can be charged: the highest price tier, and
    reasoning or audio output when those cost more than text. Unknown prices count as free
    (a budget cannot reserve what nobody priced)."""
    if info is None:
        return FREE
    prices = info.prices
    inputs = [prices.input, prices.input_audio, *(t.input for t in prices.tiers)]
    outputs = [prices.output, prices.reasoning, prices.output_audio, *(t.output for t in prices.tiers)]
    return TokenPrices(
        input=max((p for p in inputs if p is not None), default=0.0),
        output=max((p for p in outputs if p is not None), default=0.0),
        max_output_tokens=info.max_output_tokens,
    )


def dearest(prices: Iterable[TokenPrices]) -> TokenPrices:
    """The worst case over a model group: the router may pick any of its deployments."""
    found = list(prices)
    if not found:
        return FREE
    limits = [p.max_output_tokens for p in found]
    return TokenPrices(
        input=max(p.input for p in found),
        output=max(p.output for p in found),
        max_output_tokens=None if None in limits else max(x for x in limits if x is not None),
    )
