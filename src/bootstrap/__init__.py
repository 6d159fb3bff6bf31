"""The composition root and entry points: ``Client``, ``AsyncClient``, ``create_app``,
``completion_cost``, ``supported_params``, the CLI.

Names load on first use, so ``from bootstrap import Client`` does not import the server stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bootstrap.catalog import completion_cost
    from bootstrap.facade import AsyncClient, Client
    from bootstrap.http import create_app
    from bootstrap.params import supported_params

__all__ = ["AsyncClient", "Client", "completion_cost", "create_app", "supported_params"]


def __getattr__(name: str) -> Any:
    if name in ("Client", "AsyncClient"):
        from bootstrap import facade

        return getattr(facade, name)
    if name == "completion_cost":
        from bootstrap.catalog import completion_cost

        return completion_cost
    if name == "supported_params":
        from bootstrap.params import supported_params

        return supported_params
    if name == "create_app":
        from bootstrap.http import create_app

        return create_app
    raise AttributeError(name)
