"""What a call cost, in USD, from its usage and the model's prices (pure).

Usage follows OpenAI's convention, which every adapter normalises to:

- ``prompt_tokens`` counts every input token, including ``cached_tokens`` (read from the
  provider's prompt cache), ``cache_creation_tokens`` (written to it) and ``audio_tokens``;
- ``completion_tokens`` counts every output token, including ``reasoning_tokens`` and
  ``audio_tokens``.

Each part is priced at its own rate, falling back to the plain input or output rate when the
model has none (reasoning is output unless priced apart). A cost that needs a rate the model
does not have is unknown (``None``), never a guess: zero tokens need no rate.
"""

from __future__ import annotations

from switchboard.domain.catalog import Prices
from switchboard.domain.embeddings import EmbeddingUsage
from switchboard.domain.usage import Usage


def _part(tokens: int, rate: float | None) -> float | None:
    if tokens <= 0:
        return 0.0
    return None if rate is None else tokens * rate


def _fallback(rate: float | None, default: float | None) -> float | None:
    return default if rate is None else rate


def usage_cost(usage: Usage, prices: Prices) -> float | None:
    """The USD cost of ``usage`` at ``prices``, or ``None`` when a needed price is unknown."""
    prompt_details = usage.prompt_tokens_details
    completion_details = usage.completion_tokens_details
    prices = prices.for_prompt(usage.prompt_tokens)
    cached = usage.cached_tokens
    written = (prompt_details.cache_creation_tokens or 0) if prompt_details else 0
    audio_in = 0
    if prompt_details and prices.input_audio is not None:
        audio_in = prompt_details.audio_tokens or 0
    audio_out = 0
    if completion_details and prices.output_audio is not None:
        audio_out = completion_details.audio_tokens or 0
    reasoning = usage.reasoning_tokens if prices.reasoning is not None else 0
    plain_in = max(usage.prompt_tokens - cached - written - audio_in, 0)
    plain_out = max(usage.completion_tokens - reasoning - audio_out, 0)
    parts = (
        _part(plain_in, prices.input),
        _part(cached, _fallback(prices.cached_input, prices.input)),
        _part(written, _fallback(prices.cache_write, prices.input)),
        _part(audio_in, prices.input_audio),
        _part(plain_out, prices.output),
        _part(reasoning, prices.reasoning),
        _part(audio_out, prices.output_audio),
    )
    total = 0.0
    for part in parts:
        if part is None:
            return None
        total += part
    return total


def embedding_cost(usage: EmbeddingUsage, prices: Prices) -> float | None:
    """The USD cost of an embeddings call: its input tokens at the input rate."""
    return _part(usage.prompt_tokens, prices.for_prompt(usage.prompt_tokens).input)
