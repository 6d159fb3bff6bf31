"""The model catalog: Switchboard's curated table, and LiteLLM-format price files."""

from switchboard.adapters.outbound.catalog.curated import curated_models, parse_curated
from switchboard.adapters.outbound.catalog.litellm_file import load_litellm_file, parse_litellm
from switchboard.adapters.outbound.catalog.static import Layer, StaticModelCatalog

__all__ = [
    "Layer",
    "StaticModelCatalog",
    "curated_models",
    "load_litellm_file",
    "parse_curated",
    "parse_litellm",
]
