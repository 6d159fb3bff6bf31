"""``switchboard config check`` in full: the configuration's own checks, then what needs the
model catalog (every deployment without a known price), and the LiteLLM compatibility table."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.config.deployment_prices import unpriced_problems
from switchboard.bootstrap.config.loader import Unreadable, line_of, read_source
from switchboard.bootstrap.config.problems import Problem, split_path


def check_with_prices(
    source: str | Path | Mapping[str, Any],
    *,
    known_providers: Collection[str],
    environ: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem ``config check`` reports for ``source``."""
    from switchboard.application.pricing import Pricing
    from switchboard.bootstrap.catalog import build_catalog
    from switchboard.bootstrap.settings import cost_map_source, to_deployment

    loaded, problems = check_config(source, environ=environ, known_providers=known_providers)
    if loaded is None:
        return problems
    config = loaded.config
    deployments = [to_deployment(entry, i, known_providers) for i, entry in enumerate(config.model_list)]
    pricing = Pricing(build_catalog(cost_map_source(config.litellm_settings.model_cost_map, loaded.source)))
    found = unpriced_problems(deployments, pricing.info)
    if found and not isinstance(source, Mapping):
        try:
            _, node, _ = read_source(source)
        except (OSError, Unreadable):
            node = None
        found = [replace(p, line=line_of(node, split_path(p.path))) for p in found]
    return [*problems, *found]
