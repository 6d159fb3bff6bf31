"""The built app's route table, as the access tests read it, and a gateway with every route on
(governance, Prometheus, a scrape token)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar
from litestar.routes import ASGIRoute, HTTPRoute

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import Gateway, config_for
from tests.support.databases import copy_sqlite
from tests.support.servers import in_process, lifespan

SCRAPE_TOKEN = "scrape-token-for-tests-0123456789"
# Path parameters, filled in so that a request reaches the route's handler.
_PARAMETERS = {"{reference:str}": "sk-unknown-key", "{path:str}": "anything"}


@dataclass(frozen=True)
class RouteCase:
    method: str
    template: str  # as declared, with its parameters
    group: str | None  # the declared access group (None: none declared)
    automatic: bool  # an OPTIONS handler Litestar adds to every path itself

    @property
    def path(self) -> str:
        path = self.template
        for parameter, value in _PARAMETERS.items():
            path = path.replace(parameter, value)
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def route_table(app: Litestar) -> list[RouteCase]:
    """Every (method, path) the app answers, with the access group its handler declares."""
    cases: list[RouteCase] = []
    for route in app.routes:
        if isinstance(route, ASGIRoute):
            # a bare ASGI route answers every method; POST is the one it serves
            cases.append(RouteCase("POST", route.path, route.route_handler.opt.get(ACCESS), automatic=False))
        elif isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                automatic = handler.handler_name == "options_handler" and handler.http_methods == {"OPTIONS"}
                group = handler.opt.get(ACCESS)
                cases.extend(RouteCase(m, route.path, group, automatic) for m in sorted(handler.http_methods))
    return sorted(cases, key=lambda case: (case.template, case.method))


def full_config(database_url: str, litellm: dict[str, Any] | None = None, **general: Any) -> dict[str, Any]:
    config = config_for(database_url, **{"metrics_scrape_token": SCRAPE_TOKEN, **general})
    config["litellm_settings"] = {"callbacks": ["prometheus"], **(litellm or {})}
    return config


@asynccontextmanager
async def full_gateway(
    template: Path, folder: Path, litellm: dict[str, Any] | None = None, **general: Any
) -> AsyncIterator[Gateway]:
    """Every route on: governance (master key), Prometheus with a scrape token."""
    app = create_app(full_config(copy_sqlite(template, folder / "gateway.db"), litellm, **general))
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=in_process(app), base_url="http://testserver") as client,
    ):
        yield Gateway(client, app)


def body_for(method: str) -> Any:
    return {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
