"""The management API's answers in LiteLLM's shapes: the envelopes around records, and lists as
a JSON array with their paging in headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from litestar import Response
from pydantic import BaseModel

from switchboard.application.governance.views import ConfiguredDeployment, StoredDeployment, TeamView
from switchboard.domain.governance.entities import Page, User, VirtualKey
from switchboard.domain.governance.records import SpendGroup

T = TypeVar("T")


def listed(page: Page[Any], items: Sequence[T]) -> Response[list[T]]:
    """A list answered as a JSON array (LiteLLM's shape), with the paging in headers."""
    return Response(list(items), headers=page_headers(page))


def page_headers(page: Page[Any]) -> dict[str, str]:
    return {"x-total-count": str(page.total), "x-page": str(page.page), "x-page-size": str(page.size)}


class KeyInfo(BaseModel):
    key: str  # the key's hash
    info: VirtualKey


class KeyList(BaseModel):
    """Hashes, or whole keys with ``return_full_object=true``. One list of either (not a union
    of two list types): the document's ``oneOf`` would match an empty list twice, which no
    answer may do."""

    keys: list[str | VirtualKey]
    total_count: int
    current_page: int
    total_pages: int


class TeamInfo(BaseModel):
    team_id: str
    team_info: TeamView
    keys: list[VirtualKey]


class UserInfo(BaseModel):
    user_id: str
    user_info: User
    keys: list[VirtualKey]
    teams: list[TeamView]


class UserList(BaseModel):
    users: list[User]
    total: int
    page: int
    page_size: int
    total_pages: int


class ModelList(BaseModel):
    data: list[StoredDeployment | ConfiguredDeployment]


class DeletedModel(BaseModel):
    deleted_model: str
    message: str


class GroupedSpend(SpendGroup):
    """One group of ``/global/spend/report``; ``group_by`` says what ``group`` is."""

    group_by: str
