"""``/user/...``: users, their keys and teams."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response
from litestar.params import JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import UserInfo, UserList, page_headers
from switchboard.adapters.inbound.http.management.dependencies import Caller, Keys, Page, QueryId, Teams, Users, served
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance import views
from switchboard.application.governance.forms import NewUser, UpdateUser, UserIds
from switchboard.application.governance.management import KEYS, TEAMS, USERS
from switchboard.application.governance.views import TeamView
from switchboard.domain.governance.entities import User
from switchboard.domain.governance.filters import KeyFilter, TeamFilter, UserFilter

Role = Annotated[
    str | None,
    QueryParameter(max_length=32, description="proxy_admin, proxy_admin_viewer, internal_user or internal_user_viewer"),
]


class UserController(Controller):
    path = "/user"
    tags = ["users"]
    dependencies = {"users": served(USERS), "keys": served(KEYS), "teams": served(TEAMS)}

    @change("/new", summary="Create a user (and, by default, a first key)")
    async def new(self, data: JSONBody[NewUser], users: Users, caller: Caller) -> views.NewUser:
        user, first_key = await users.new(caller, data)
        return views.NewUser.of(user, first_key)

    @change("/update", summary="Change a user")
    async def update(self, data: JSONBody[UpdateUser], users: Users, caller: Caller) -> User:
        return await users.update(caller, data)

    @change("/delete", summary="Delete users (and their keys)")
    async def delete(self, data: JSONBody[UserIds], users: Users, caller: Caller) -> dict[str, list[str]]:
        return USERS.deleted(await users.delete(caller, data))

    @read("/info", summary="A user with their keys and teams (the caller without ?user_id=)")
    async def info(self, users: Users, keys: Keys, teams: Teams, caller: Caller, user_id: QueryId = None) -> UserInfo:
        user = await users.info(caller, user_id or None)
        their_keys = await keys.find(caller, KeyFilter(user_id=user.user_id), 1, 1000)
        their_teams = await teams.find(caller, TeamFilter(member=user.user_id), 1, 1000)
        return UserInfo(
            user_id=user.user_id,
            user_info=user,
            keys=[k for k in their_keys.items if k.user_id == user.user_id],
            teams=[TeamView.of(t) for t in their_teams.items],
        )

    @read("/list", summary="Users, a page at a time")
    async def find(
        self,
        users: Users,
        caller: Caller,
        paging: Page,
        user_role: Role = None,
        role: Role = None,
        user_email: Annotated[str | None, QueryParameter(max_length=320)] = None,
        organization_id: QueryId = None,
    ) -> Response[UserList]:
        filters = UserFilter(
            user_role=role or user_role or None,
            user_email=user_email or None,
            organization_id=organization_id or None,
        )
        found = await users.find(caller, filters, paging.page, paging.size)
        answer = UserList(
            users=found.items, total=found.total, page=found.page, page_size=found.size, total_pages=found.pages
        )
        return Response(answer, headers=page_headers(found))
