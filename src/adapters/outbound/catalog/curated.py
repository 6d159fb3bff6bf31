"""Switchboard's own model table (``models.json``): prices per million tokens, by provider.

The shape is ours (a provider -> model -> entry map, prices per million tokens, aliases for
dated names); entries are validated strictly so a typo in the table fails the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from switchboard.domain.catalog import ModelInfo, Prices, PriceTier

PER_MILLION = 1_000_000
Mode = Literal["chat", "embedding", "image", "audio_transcription", "audio_speech", "completion", "rerank"]


class _TierPrice(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    input: float | None = None
    output: float | None = None
    cached_input: float | None = None


class _Price(_TierPrice):
    cache_write: float | None = None
    reasoning: float | None = None
    above: dict[int, _TierPrice] = Field(default_factory=dict)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    mode: Mode = "chat"
    context: int | None = Field(default=None, gt=0)
    max_output: int | None = Field(default=None, gt=0)
    price: _Price | None = None
    supports: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    comment: str = Field(alias="$comment")
    unit: Literal["USD per 1M tokens"]
    sources: dict[str, str]
    providers: dict[str, dict[str, _Entry]]


def _per_token(value: float | None) -> float | None:
    return None if value is None else value / PER_MILLION


def _prices(price: _Price | None) -> Prices:
    if price is None:
        return Prices()
    return Prices(
        input=_per_token(price.input),
        output=_per_token(price.output),
        cached_input=_per_token(price.cached_input),
        cache_write=_per_token(price.cache_write),
        reasoning=_per_token(price.reasoning),
        tiers=tuple(
            PriceTier(
                above,
                input=_per_token(tier.input),
                output=_per_token(tier.output),
                cached_input=_per_token(tier.cached_input),
            )
            for above, tier in sorted(price.above.items())
        ),
    )


def parse_curated(text: str | bytes) -> Iterator[tuple[str, ModelInfo]]:
    """``(provider, info)`` for every model and alias in a table, in table order."""
    table = _Table.model_validate_json(text)
    for provider, models in table.providers.items():
        for name, entry in models.items():
            info = ModelInfo(
                name=name,
                provider=provider,
                mode=entry.mode,
                max_input_tokens=entry.context,
                max_output_tokens=entry.max_output,
                prices=_prices(entry.price),
                capabilities=entry.supports,
            )
            yield provider, info
            for alias in entry.aliases:
                yield (
                    provider,
                    ModelInfo(
                        name=alias,
                        provider=provider,
                        mode=info.mode,
                        max_input_tokens=info.max_input_tokens,
                        max_output_tokens=info.max_output_tokens,
                        prices=info.prices,
                        capabilities=info.capabilities,
                    ),
                )


@cache
def curated_models() -> tuple[tuple[str, ModelInfo], ...]:
    """The packaged table, read once."""
    return tuple(parse_curated(resources.files(__package__).joinpath("models.json").read_bytes()))
