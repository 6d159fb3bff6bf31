"""Every provider the gateway routes, each declared once by its own package (``ProviderInfo``).

Adding a native provider is its package under ``adapters/outbound/providers/`` (exporting its
``ProviderInfo``) and one line in ``NATIVE``; adding an OpenAI-compatible one is a row of the
compatible adapter's table (``compatible/profiles.json``), and nothing here: reading the table
is cheap, and its adapter is imported when a row's provider is first built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from types import MappingProxyType

from switchboard.adapters.outbound.providers.compatible import PROVIDERS as COMPATIBLE
from switchboard.adapters.outbound.providers.info import Declarations, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.registry import ProviderRegistry

_HOME = "switchboard.adapters.outbound.providers"

# Provider name -> where its declaration is ("module:attribute"), imported on first use: a
# provider package costs 5-50 ms to import, and most configurations use two or three of them.
NATIVE: Mapping[str, str] = MappingProxyType(
    {
        "anthropic": f"{_HOME}.anthropic:PROVIDER",
        "mock": f"{_HOME}.mock:PROVIDER",
        "openai": f"{_HOME}.openai:PROVIDER",
        "gemini": f"{_HOME}.gemini:PROVIDER",
        "vertex_ai": f"{_HOME}.vertex_ai:PROVIDER",
        "cohere": f"{_HOME}.cohere:PROVIDER",
        "mistral": f"{_HOME}.mistral:PROVIDER",
        "ollama": f"{_HOME}.ollama:PROVIDER",
        "bedrock": f"{_HOME}.bedrock:PROVIDER",
        "azure": f"{_HOME}.azure:PROVIDER",
        "azure_ai": f"{_HOME}.azure:AZURE_AI",
        "ollama_chat": f"{_HOME}.ollama:OLLAMA_CHAT",
    }
)


def _loader(path: str) -> Callable[[], ProviderInfo]:
    module, _, attribute = path.partition(":")

    def load() -> ProviderInfo:
        info = getattr(importlib.import_module(module), attribute)
        if not isinstance(info, ProviderInfo):
            raise TypeError(f"{path} is not a ProviderInfo")
        return info

    return load


def _returning(info: ProviderInfo) -> Callable[[], ProviderInfo]:
    return lambda: info


@cache
def declarations() -> Declarations:
    """Every provider by name: the natives first, then the compatible table in its order."""
    loaders = {name: _loader(path) for name, path in NATIVE.items()}
    for name, info in COMPATIBLE.items():  # the table's rows, in its order
        if name in loaders:
            raise ValueError(f"provider {name!r} is both native and in the compatible table")
        loaders[name] = _returning(info)
    return Declarations(loaders)


def known_providers() -> frozenset[str]:
    """The names ``provider/model`` strings may start with."""
    return frozenset(declarations())


def build_registry(deps: ProviderDeps, warm: Iterable[str] = ()) -> ProviderRegistry:
    """Every provider, built on first use; the ``warm`` ones (those the configuration uses) now,
    so the first request does not pay for imports."""
    registry = ProviderRegistry(declarations(), deps)
    registry.warm(name for name in warm if name in registry)
    return registry
