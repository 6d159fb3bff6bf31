"""What is known of a model: prices, limits, capabilities.

``ModelInfo`` is what the model catalog answers and what cost, routing and validation read.
Field names in LiteLLM's vocabulary (``input_cost_per_token``, ``max_input_tokens``,
``supports_vision``...) are read by ``info_from_fields`` and applied by ``with_overrides``: both
LiteLLM-format price files and a deployment's ``model_info`` use them, so configurations carry
over unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# LiteLLM's ``supports_<name>`` flags -> our capability names (others keep LiteLLM's name).
_CAPABILITY_NAMES: dict[str, str] = {
    "function_calling": "tools",
    "response_schema": "json_schema",
    "parallel_function_calling": "parallel_tool_calls",
}
# LiteLLM modes -> ours.
_MODES: dict[str, str] = {"image_generation": "image"}

_TIER = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)_above_(\d+)k_tokens$")
_TIER_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cached_input",
}


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Prices that apply instead when a request's prompt is longer than ``above_tokens``
    (Gemini 2.5 Pro, Claude with a 1M context). ``None`` keeps the base price."""

    above_tokens: int
    input: float | None = None
    output: float | None = None
    cached_input: float | None = None


@dataclass(frozen=True, slots=True)
class Prices:
    """USD per token. ``None`` means unknown, never free: a free model says ``0.0``.

    ``cached_input`` prices prompt tokens read from the provider's cache, ``cache_write`` the
    tokens written to it; both fall back to ``input``. ``reasoning`` prices reasoning tokens when
    the provider charges them apart, else they are output tokens.
    """

    input: float | None = None
    output: float | None = None
    cached_input: float | None = None
    cache_write: float | None = None
    reasoning: float | None = None
    input_audio: float | None = None
    output_audio: float | None = None
    tiers: tuple[PriceTier, ...] = ()

    @property
    def known(self) -> bool:
        """Whether anything is priced at all."""
        return self.input is not None or self.output is not None

    def for_prompt(self, prompt_tokens: int) -> Prices:
        """The prices that apply to a request with ``prompt_tokens``: the highest tier passed."""
        passed = [t for t in self.tiers if prompt_tokens > t.above_tokens]
        if not passed:
            return self
        tier = max(passed, key=lambda t: t.above_tokens)
        return replace(
            self,
            input=self.input if tier.input is None else tier.input,
            output=self.output if tier.output is None else tier.output,
            cached_input=self.cached_input if tier.cached_input is None else tier.cached_input,
            tiers=(),
        )


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model as the catalog knows it. ``name`` is the catalogued name (``gpt-4o``,
    ``groq/llama-3.1-8b-instant``); ``mode`` is chat, embedding, image, audio_transcription,
    audio_speech, completion, rerank or moderation."""

    name: str
    provider: str | None = None
    mode: str = "chat"
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    prices: Prices = field(default_factory=Prices)
    capabilities: frozenset[str] = frozenset()

    def supports(self, capability: str) -> bool:
        """``tools``, ``vision``, ``json_schema``, ``reasoning``, ``prompt_caching``..."""
        return capability in self.capabilities


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _count(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number >= 0 else None


_PRICE_FIELDS: dict[str, str] = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cached_input",
    "cache_creation_input_token_cost": "cache_write",
    "output_cost_per_reasoning_token": "reasoning",
    "input_cost_per_audio_token": "input_audio",
    "output_cost_per_audio_token": "output_audio",
}


def _prices(base: Prices, fields: Mapping[str, Any]) -> Prices:
    changes: dict[str, Any] = {}
    for key, attribute in _PRICE_FIELDS.items():
        if key in fields:
            changes[attribute] = _number(fields[key])
    tiers: dict[int, dict[str, float | None]] = {}
    for key, value in fields.items():
        match = _TIER.match(key)
        if match:
            tiers.setdefault(int(match.group(2)) * 1000, {})[_TIER_FIELDS[match.group(1)]] = _number(value)
    if tiers:
        merged = {t.above_tokens: t for t in base.tiers}
        for above, values in tiers.items():
            old = merged.get(above, PriceTier(above))
            merged[above] = PriceTier(
                above,
                input=values.get("input", old.input),
                output=values.get("output", old.output),
                cached_input=values.get("cached_input", old.cached_input),
            )
        changes["tiers"] = tuple(sorted(merged.values(), key=lambda t: t.above_tokens))
    return replace(base, **changes) if changes else base


def _capabilities(base: frozenset[str], fields: Mapping[str, Any]) -> frozenset[str]:
    on: set[str] = set()
    off: set[str] = set()
    for key, value in fields.items():
        if key.startswith("supports_") and isinstance(value, bool):
            name = key[len("supports_") :]
            (on if value else off).add(_CAPABILITY_NAMES.get(name, name))
    return (base | on) - off if on or off else base


def with_overrides(info: ModelInfo, fields: Mapping[str, Any]) -> ModelInfo:
    """``info`` with the LiteLLM-named ``fields`` that are present replacing its values.

    Prices (``input_cost_per_token``, ``cache_read_input_token_cost``...), limits
    (``max_input_tokens``, ``max_output_tokens``, and the legacy ``max_tokens`` when no
    ``max_output_tokens`` is given), ``mode``, ``litellm_provider`` and every ``supports_*`` flag.
    Unknown fields are ignored: a ``model_info`` also holds ids and notes.
    """
    changes: dict[str, Any] = {}
    prices = _prices(info.prices, fields)
    if prices is not info.prices:
        changes["prices"] = prices
    if "max_input_tokens" in fields:
        changes["max_input_tokens"] = _count(fields["max_input_tokens"])
    if "max_output_tokens" in fields:
        changes["max_output_tokens"] = _count(fields["max_output_tokens"])
    elif "max_tokens" in fields:
        changes["max_output_tokens"] = _count(fields["max_tokens"])
    if isinstance(fields.get("mode"), str):
        changes["mode"] = _MODES.get(fields["mode"], fields["mode"])
    if isinstance(fields.get("litellm_provider"), str):
        changes["provider"] = fields["litellm_provider"]
    capabilities = _capabilities(info.capabilities, fields)
    if capabilities is not info.capabilities:
        changes["capabilities"] = capabilities
    return replace(info, **changes) if changes else info


def info_from_fields(name: str, fields: Mapping[str, Any]) -> ModelInfo:
    """A model described with LiteLLM's field names (an entry of a LiteLLM price file)."""
    return with_overrides(ModelInfo(name=name), fields)


def describes_a_model(fields: Mapping[str, Any]) -> bool:
    """Whether ``fields`` say anything the catalog would use (prices, limits or capabilities)."""
    return any(
        key in _PRICE_FIELDS
        or key in ("max_input_tokens", "max_output_tokens", "max_tokens")
        or key.startswith("supports_")
        or _TIER.match(key) is not None
        for key in fields
    )
