"""Switchboard: one OpenAI-format door to many LLM providers, as a Python facade, an HTTP gateway
and a management CLI.

    from switchboard import Client

    client = Client()                     # built-in defaults: the offline `mock` provider
    answer = client.chat(model="mock", messages=[{"role": "user", "content": "hi"}])

The layers live below this package (``switchboard.domain``, ``switchboard.application``,
``switchboard.adapters``, ``switchboard.bootstrap``). Public names load on first use, so importing
the facade does not import the server stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from switchboard.bootstrap.catalog import completion_cost
    from switchboard.bootstrap.facade import AsyncClient, Client
    from switchboard.bootstrap.http import create_app
    from switchboard.bootstrap.params import supported_params

__all__ = ["AsyncClient", "Client", "__version__", "completion_cost", "create_app", "supported_params"]

_LAZY = {
    "Client": "switchboard.bootstrap.facade",
    "AsyncClient": "switchboard.bootstrap.facade",
    "completion_cost": "switchboard.bootstrap.catalog",
    "supported_params": "switchboard.bootstrap.params",
    "create_app": "switchboard.bootstrap.http",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'switchboard' has no attribute {name!r}")
    import importlib  # lazy: the public names load on first use (see the module docstring)

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
