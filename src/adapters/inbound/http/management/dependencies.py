"""What management handlers receive by name: the caller, the governance services, a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from switchboard.adapters.inbound.http.access import PRINCIPAL_STATE
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.budgets import BudgetService
from switchboard.application.governance.customers import CustomerService
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.management import Managed
from switchboard.application.governance.models import ModelService
from switchboard.application.governance.orgs import OrgService
from switchboard.application.governance.services import Governance
from switchboard.application.governance.spend import SpendService
from switchboard.application.governance.teams import TeamService
from switchboard.application.governance.users import UserService
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.principal import Principal

MAX_PAGE_SIZE = 1000
S = TypeVar("S")


@dataclass(frozen=True)
class Paging:
    page: int
    size: int


QueryId = Annotated[str | None, QueryParameter(max_length=256)]  # an optional id or name: a column's length

# What a handler names to receive it (Litestar injects by parameter name).
Caller = NamedDependency[Principal]
Page = NamedDependency[Paging]
Keys = NamedDependency[KeyService]
Teams = NamedDependency[TeamService]
Users = NamedDependency[UserService]
Orgs = NamedDependency[OrgService]
Budgets = NamedDependency[BudgetService]
Customers = NamedDependency[CustomerService]
Models = NamedDependency[ModelService]
Spend = NamedDependency[SpendService]


def caller(request: HttpRequest) -> Principal:
    """The caller, as the access guard authenticated it."""
    principal = request.scope["state"].get(PRINCIPAL_STATE)
    if not isinstance(principal, Principal):  # the guard always sets it; never serve without one
        raise PermissionDenied("Not authorised.")
    return principal


def governance(services: NamedDependency[HttpServices]) -> Governance:
    if services.governance is None:
        raise PermissionDenied("Management needs general_settings.master_key to be set.", code="management_disabled")
    return services.governance


def _paging(default_size: int) -> Callable[..., Paging]:
    def paging(
        page: Annotated[int, QueryParameter(ge=1, le=10**9, description="The page, from 1.")] = 1,
        page_size: Annotated[
            int | None, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Entries per page.")
        ] = None,
        size: Annotated[
            int | None, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="`page_size`, as we spell it.")
        ] = None,
    ) -> Paging:
        chosen = page_size if page_size is not None else size
        return Paging(page, chosen if chosen is not None else default_size)

    return paging


paging = Provide(_paging(50), sync_to_thread=False)
spend_paging = Provide(_paging(100), sync_to_thread=False)


def served(entity: Managed[S, Any, Any, Any, Any]) -> Provide:
    """The entity's service, for a handler that names it (``teams: TeamService``)."""

    def service(governance: NamedDependency[Governance]) -> S:
        return entity.service(governance)

    return Provide(service, sync_to_thread=False)


MANAGEMENT_DEPENDENCIES = {
    "caller": Provide(caller, sync_to_thread=False),
    "governance": Provide(governance, sync_to_thread=False),
    "paging": paging,
}
