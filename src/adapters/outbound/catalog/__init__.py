"""The model catalog: Switchboard's curated table, and LiteLLM-format price files."""

from adapters.outbound.catalog.curated import curated_models, parse_curated
from adapters.outbound.catalog.litellm_file import load_litellm_file, parse_litellm
from adapters.outbound.catalog.static import Layer, StaticModelCatalog

__all__ = [
    "Layer",
    "StaticModelCatalog",
    "curated_models",
    "load_litellm_file",
    "parse_curated",
    "parse_litellm",
]
