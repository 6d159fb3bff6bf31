"""End users (LiteLLM's "customers"): an app's own users, named by the request's ``user``
field, with a budget of their own or a shared template."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import (
    CustomerFields,
    CustomerIds,
    NewCustomer,
    UpdateCustomer,
    expiry,
)
from switchboard.application.governance.kinds import Kind, Records, changed, initial
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id
from switchboard.domain.errors import BadRequest, PermissionDenied
from switchboard.domain.governance.entities import EndUser, Page
from switchboard.domain.governance.filters import EndUserFilter
from switchboard.domain.principal import Principal

END_USER = Kind[EndUser]("end user", "end_user", "customer", "user_id", lambda e: e.user_id)
_FIELDS = tuple(CustomerFields.model_fields)


class CustomerService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes
        self._end_users = Records(END_USER, store.end_users, changes)

    async def _get(self, actor: Principal, user_id: str) -> EndUser:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read end users.")
        return await self._end_users.get(user_id, param="end_user_id")

    async def _forget(self, user_id: str) -> None:
        await self._changes.forget(f"end_user:{user_id}")

    async def new(self, actor: Principal, form: NewCustomer) -> EndUser:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may create end users.")
        await check_budget_id(self._store, form.budget_id)
        now = self._changes.now()
        row = EndUser(
            user_id=form.user_id,
            budget_reset_at=expiry(now, form.budget_duration),
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
            **initial(form, _FIELDS),
        )
        await self._end_users.add(actor, row)
        await self._forget(row.user_id)
        return row

    async def update(self, actor: Principal, form: UpdateCustomer) -> EndUser:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may change end users.")
        row = await self._get(actor, form.user_id)
        now = self._changes.now()
        values = changed(form, _FIELDS, now)
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if values.get("blocked") is None:
            values.pop("blocked", None)
        updated = await self._end_users.replace(
            actor, "update", row, row.model_copy(update={**values, "updated_at": now})
        )
        await self._forget(row.user_id)
        return updated

    async def set_blocked(self, actor: Principal, target: CustomerIds, blocked: bool) -> list[str]:
        """Block (or unblock) every end user named, creating those not seen yet."""
        done = []
        for user_id in target.user_ids:
            if await self._store.end_users.get(user_id) is None:
                await self.new(actor, NewCustomer(user_id=user_id, blocked=blocked))
            else:
                await self.update(actor, UpdateCustomer(user_id=user_id, blocked=blocked))
            done.append(user_id)
        return done

    async def info(self, actor: Principal, id: str | None) -> EndUser:
        if id is None:
            raise BadRequest("Missing required parameter: 'end_user_id'.", param="end_user_id")
        return await self._get(actor, id)

    async def find(self, actor: Principal, filters: EndUserFilter, page: int, size: int) -> Page[EndUser]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may list end users.")
        return await self._store.end_users.list(filters, page, size)

    async def delete(self, actor: Principal, form: CustomerIds) -> list[str]:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete end users.")
        rows = [await self._get(actor, user_id) for user_id in form.user_ids]
        for row in rows:
            await self._end_users.remove(actor, row)
            await self._forget(row.user_id)
        return [r.user_id for r in rows]
