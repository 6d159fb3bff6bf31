"""The management surface: one description per governed entity, read by every inbound adapter
(the HTTP controllers and the CLI groups), so a verb is written once for all of them.

A description names the entity, finds its service among the governance use cases, and gives the
form of each verb (``verbs.py``) and the filter of its list (``domain.governance.filters``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from switchboard.application.governance import forms
from switchboard.application.governance.budgets import BudgetService
from switchboard.application.governance.customers import CustomerService
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.orgs import OrgService
from switchboard.application.governance.services import Governance
from switchboard.application.governance.teams import TeamService
from switchboard.application.governance.users import UserService
from switchboard.domain.governance.filters import (
    BudgetFilter,
    EndUserFilter,
    KeyFilter,
    OrgFilter,
    TeamFilter,
    UserFilter,
)
from switchboard.domain.validation import parse_mapping

S_co = TypeVar("S_co", covariant=True)
New = TypeVar("New", bound=BaseModel)
Update = TypeVar("Update", bound=BaseModel)
Delete = TypeVar("Delete")
Filter = TypeVar("Filter")
FormT = TypeVar("FormT", bound=BaseModel)


@dataclass(frozen=True)
class Managed(Generic[S_co, New, Update, Delete, Filter]):
    """One governed entity as the inbound adapters offer it."""

    name: str  # as in its paths and audit entries: "team", "organization", "customer"
    plural: str  # as in the answer to a delete: "deleted_teams"
    service: Callable[[Governance], S_co]
    new_form: type[New]
    update_form: type[Update]
    delete_form: Callable[[list[str]], Delete]  # the form that names these ids for deletion
    filters: Callable[..., Filter]  # the filter of its list, from keyword arguments

    def deleted(self, ids: list[str]) -> dict[str, list[str]]:
        """LiteLLM's answer to a delete: ``{"deleted_teams": [...]}``."""
        return {f"deleted_{self.plural}": ids}


def _naming(form: type[FormT], field: str) -> Callable[[list[str]], FormT]:
    """The delete form of ``ids``, validated like a request body (``BadRequest`` naming the id)."""

    def named(ids: list[str]) -> FormT:
        return parse_mapping(form, {field: ids})

    return named


def _one_budget(ids: list[str]) -> forms.BudgetId:
    """Budget templates are deleted one at a time."""
    return parse_mapping(forms.BudgetId, {"id": ids[0] if ids else ""})


def _keys(governance: Governance) -> KeyService:
    return governance.keys


def _teams(governance: Governance) -> TeamService:
    return governance.teams


def _users(governance: Governance) -> UserService:
    return governance.users


def _orgs(governance: Governance) -> OrgService:
    return governance.orgs


def _budgets(governance: Governance) -> BudgetService:
    return governance.budgets


def _customers(governance: Governance) -> CustomerService:
    return governance.customers


KEYS = Managed[KeyService, forms.GenerateKey, forms.UpdateKey, forms.DeleteKeys, KeyFilter](
    "key", "keys", _keys, forms.GenerateKey, forms.UpdateKey, _naming(forms.DeleteKeys, "keys"), KeyFilter
)
TEAMS = Managed[TeamService, forms.NewTeam, forms.UpdateTeam, forms.TeamIds, TeamFilter](
    "team", "teams", _teams, forms.NewTeam, forms.UpdateTeam, _naming(forms.TeamIds, "team_ids"), TeamFilter
)
USERS = Managed[UserService, forms.NewUser, forms.UpdateUser, forms.UserIds, UserFilter](
    "user", "users", _users, forms.NewUser, forms.UpdateUser, _naming(forms.UserIds, "user_ids"), UserFilter
)
ORGS = Managed[OrgService, forms.NewOrg, forms.UpdateOrg, forms.OrgIds, OrgFilter](
    "organization",
    "organizations",
    _orgs,
    forms.NewOrg,
    forms.UpdateOrg,
    _naming(forms.OrgIds, "organization_ids"),
    OrgFilter,
)
BUDGETS = Managed[BudgetService, forms.NewBudget, forms.UpdateBudget, forms.BudgetId, BudgetFilter](
    "budget", "budgets", _budgets, forms.NewBudget, forms.UpdateBudget, _one_budget, BudgetFilter
)
CUSTOMERS = Managed[CustomerService, forms.NewCustomer, forms.UpdateCustomer, forms.CustomerIds, EndUserFilter](
    "customer",
    "customers",
    _customers,
    forms.NewCustomer,
    forms.UpdateCustomer,
    _naming(forms.CustomerIds, "user_ids"),
    EndUserFilter,
)
