"""The model catalog the gateway prices calls with, and ``completion_cost`` for library users."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from switchboard.adapters.outbound.catalog import (
    Layer,
    StaticModelCatalog,
    curated_models,
    load_litellm_file,
    parse_litellm,
)
from switchboard.bootstrap.providers import known_providers
from switchboard.domain.catalog import ModelInfo
from switchboard.domain.chat import ChatResponse
from switchboard.domain.cost import embedding_cost, usage_cost
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse


def build_catalog(cost_map: Path | Mapping[str, Any] | None = None) -> StaticModelCatalog:
    """Switchboard's curated table, under a LiteLLM-format price file (a path, or its entries
    inline) when one is configured: the file's models win."""
    layers = [_curated_layer()]
    if cost_map is not None:
        infos: list[ModelInfo] = (
            list(parse_litellm(cost_map)) if isinstance(cost_map, Mapping) else load_litellm_file(cost_map)
        )
        layers.insert(0, Layer((info.provider, info) for info in infos))
    return StaticModelCatalog(layers)


@cache
def _curated_layer() -> Layer:
    return Layer(curated_models())


def _model_info(name: str) -> ModelInfo | None:
    provider, sep, model = name.partition("/")
    if not sep or provider not in known_providers():
        provider, model = "", name
    probe = Deployment(id="", model_name=name, provider=provider, model=model)
    return build_catalog().info(probe)


def completion_cost(response: ChatResponse | EmbeddingResponse, *, model: str | None = None) -> float:
    """The USD cost of a chat or embeddings response.

    A response from ``Client``/``AsyncClient`` carries its cost already (``response.route.cost``,
    priced with the deployment's ``model_info`` and the configured price file); it is returned
    as is. Otherwise the response's usage is priced for ``model`` (default: ``response.model``)
    with Switchboard's curated catalog. Raises ``ValueError`` when the response has no usage or
    the model's prices are unknown.
    """
    if model is None and response.route is not None and response.route.cost is not None:
        return response.route.cost
    name = model or response.model
    info = _model_info(name)
    if info is None or not info.prices.known:
        raise ValueError(f"no prices known for model {name!r}; pass model=, or set model_info prices")
    if isinstance(response, EmbeddingResponse):
        cost = embedding_cost(response.usage, info.prices)
    elif response.usage is None:
        raise ValueError("the response has no usage to price")
    else:
        cost = usage_cost(response.usage, info.prices)
    if cost is None:
        raise ValueError(f"the prices known for model {name!r} do not cover this usage")
    return cost
