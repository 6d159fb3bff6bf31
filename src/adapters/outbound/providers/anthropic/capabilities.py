"""What each Claude model accepts, told from its name (pure).

Claude model ids carry their generation: ``claude-3-5-sonnet-20241022`` (old style),
``claude-sonnet-4-5``, ``claude-haiku-4-5-20251001``, ``claude-opus-5`` (new style). The rules
below split by generation, as Anthropic's own migration guides do:

- sampling (``temperature``/``top_p``/``top_k``): accepted before 4.7, and only on the API version
  2023-06-01; 4.7 and later reject them on every version, and version 2026-10-21 rejects them
  for every model.
- thinking: none before 3.7; ``{"type": "enabled", "budget_tokens": N}`` from 3.7; from 4.6
  ``{"type": "adaptive"}`` with ``output_config.effort`` (the budget form is deprecated on 4.6
  and refused from 4.7).
- structured outputs (``output_config.format``): from 4.5.

A name without a readable generation (``claude-mythos-preview``, a private alias) is taken to
be a current model: the newest rules apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

# The API version Anthropic's current SDKs send, and the one before it that still accepts
# sampling parameters on older models.
CURRENT_API_VERSION = "2026-10-21"
LEGACY_API_VERSION = "2023-06-01"
SAMPLING_PARAMS = frozenset({"temperature", "top_p", "top_k"})

ThinkingStyle = Literal["adaptive", "budget", "none"]

_OLD_STYLE = re.compile(r"^claude-(\d+)(?:[-.](\d))?-[a-z]+")
_NEW_STYLE = re.compile(r"^claude-[a-z]+-(\d+)(?:[-.](\d)(?!\d))?")


@dataclass(frozen=True, slots=True)
class ModelRules:
    generation: float | None
    accepts_sampling: bool
    thinking: ThinkingStyle
    structured_output: bool
    default_api_version: str


def generation(model: str) -> float | None:
    """``claude-3-5-sonnet-20241022`` -> 3.5, ``claude-opus-4-1`` -> 4.1, unreadable -> None."""
    name = model.rsplit("/", 1)[-1].lower()
    for pattern in (_OLD_STYLE, _NEW_STYLE):
        match = pattern.match(name)
        if match:
            major, minor = match.group(1), match.group(2)
            if len(major) > 2:  # a date, not a generation (``claude-sonnet-20250514``)
                return None
            return int(major) + (int(minor) / 10 if minor else 0.0)
    return None


@cache
def rules(model: str) -> ModelRules:
    """The rules for ``model``; cached, as a deployment's model name never changes."""
    gen = generation(model)
    current = gen is None or gen >= 4.7
    sampling = not current
    if gen is not None and gen < 3.7:
        thinking: ThinkingStyle = "none"
    elif gen is not None and gen < 4.6:
        thinking = "budget"
    else:
        thinking = "adaptive"
    return ModelRules(
        generation=gen,
        accepts_sampling=sampling,
        thinking=thinking,
        structured_output=gen is None or gen >= 4.5,
        default_api_version=LEGACY_API_VERSION if sampling else CURRENT_API_VERSION,
    )


def version_accepts_sampling(api_version: str) -> bool:
    """Whether an ``anthropic-version`` still takes sampling parameters (dates compare as text)."""
    return api_version < CURRENT_API_VERSION
