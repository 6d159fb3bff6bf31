"""Prices written in ``litellm_params`` (where LiteLLM's custom-pricing docs put them) and in
``model_info``: both price the deployment; ``model_info`` wins where both set a key.

And the check that no deployment is left without a price: ``config check`` warns about each
one, since a caller with a budget would otherwise spend on it without limit (see
``general_settings.unpriced_model_policy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from switchboard.bootstrap.config.problems import Problem, dotted
from switchboard.domain.catalog import ModelInfo
from switchboard.domain.deployments import Deployment

PRICE_KEYS = frozenset(
    {
        "input_cost_per_token",
        "output_cost_per_token",
        "cache_read_input_token_cost",
        "cache_creation_input_token_cost",
        "output_cost_per_reasoning_token",
        "input_cost_per_audio_token",
        "output_cost_per_audio_token",
    }
)
_TIERED = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)_above_\d+k_tokens$")


def is_price_key(key: str) -> bool:
    return key in PRICE_KEYS or _TIERED.match(key) is not None


def with_param_prices(params: Mapping[str, Any], model_info: Mapping[str, Any]) -> Mapping[str, Any]:
    """``model_info`` with the prices found in ``params`` added (``model_info``'s own win)."""
    prices = {key: value for key, value in params.items() if is_price_key(key)}
    if not prices:
        return model_info
    return {**prices, **model_info}


def unpriced_problems(
    deployments: Iterable[Deployment], info: Callable[[Deployment], ModelInfo | None]
) -> list[Problem]:
    """A warning for each deployment (in ``model_list`` order) whose price is not known from the
    catalog nor from its own prices. Wildcard deployments are priced per model at call time."""
    problems: list[Problem] = []
    for index, deployment in enumerate(deployments):
        if deployment.is_wildcard:
            continue
        found = info(deployment)
        if found is None or not found.prices.known:
            problems.append(
                Problem(
                    dotted(("model_list", index)),
                    f"no known price for `{deployment.model_name}` ({deployment.provider}/{deployment.model}): "
                    "set input_cost_per_token and output_cost_per_token (0 for a free model); callers with a "
                    "budget follow general_settings.unpriced_model_policy",
                    severity="warning",
                )
            )
    return problems
