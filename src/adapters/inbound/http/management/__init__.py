"""The management API (LiteLLM's paths and fields): keys, teams, users, organizations,
budgets, end users, stored models, spend and the audit log, one Litestar controller each.
Every route declares its access group for the app's one access guard; handlers get the caller,
the governance services and a page by name (``dependencies.py``), and their bodies as the
application's forms (``bodies.py``)."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Controller, Router

from switchboard.adapters.inbound.http.management.bodies import FormDecoding, JsonBodyRequest
from switchboard.adapters.inbound.http.management.budgets import BudgetController
from switchboard.adapters.inbound.http.management.customers import CustomerController
from switchboard.adapters.inbound.http.management.dependencies import MANAGEMENT_DEPENDENCIES
from switchboard.adapters.inbound.http.management.guard import ACCESS
from switchboard.adapters.inbound.http.management.keys import KeyController
from switchboard.adapters.inbound.http.management.models import ModelController
from switchboard.adapters.inbound.http.management.orgs import OrganizationController
from switchboard.adapters.inbound.http.management.spend import AuditController, SpendController
from switchboard.adapters.inbound.http.management.teams import TeamController
from switchboard.adapters.inbound.http.management.users import UserController
from switchboard.adapters.inbound.http.services import HttpServices

CONTROLLERS: list[type[Controller]] = [
    KeyController,
    TeamController,
    UserController,
    OrganizationController,
    BudgetController,
    CustomerController,
    ModelController,
    SpendController,
    AuditController,
]


def management_router(services: Callable[[], HttpServices]) -> Router:
    """Every management route; the app's access guard authenticates and authorises each call.
    ``services`` is kept for callers that build the router on its own."""
    return Router(
        path="/",
        route_handlers=CONTROLLERS,
        dependencies=MANAGEMENT_DEPENDENCIES,
        request_class=JsonBodyRequest,
        security=[{"bearer": []}],
    )


__all__ = ["ACCESS", "CONTROLLERS", "FormDecoding", "management_router"]
