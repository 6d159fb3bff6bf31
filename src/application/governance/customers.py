"""End users (LiteLLM's "customers"): an app's own users, named by the request's ``user``
field, with a budget of their own or a shared template."""

from __future__ import annotations

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import CustomerIds, NewCustomer, UpdateCustomer, expiry, given
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.validation import check_budget_id
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.entities import EndUser, Page
from switchboard.domain.principal import Principal

_FIELDS = (
    "alias",
    "blocked",
    "max_budget",
    "soft_budget",
    "budget_duration",
    "tpm_limit",
    "rpm_limit",
    "max_parallel_requests",
    "budget_id",
    "metadata",
)


class CustomerService:
    def __init__(self, store: GovernanceStore, changes: Changes) -> None:
        self._store = store
        self._changes = changes

    async def _get(self, actor: Principal, user_id: str) -> EndUser:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may read end users.")
        row = await self._store.end_users.get(user_id)
        if row is None:
            raise NotFound(f"No end user {user_id!r}.", param="end_user_id", code="end_user_not_found")
        return row

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
            **{k: v for k, v in given(form, *_FIELDS).items() if v is not None},
        )
        if not await self._store.end_users.add(
            row, self._changes.audit(actor, "customer.new", "end_user", row.user_id, None, row)
        ):
            raise BadRequest(f"End user {row.user_id!r} exists.", param="user_id", code="already_exists")
        await self._changes.forget(f"end_user:{row.user_id}")
        return row

    async def update(self, actor: Principal, form: UpdateCustomer) -> EndUser:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may change end users.")
        row = await self._get(actor, form.user_id)
        values = given(form, *_FIELDS)
        if "budget_id" in values:
            await check_budget_id(self._store, values["budget_id"])
        if values.get("blocked") is None:
            values.pop("blocked", None)
        now = self._changes.now()
        if "budget_duration" in values:
            values["budget_reset_at"] = expiry(now, values["budget_duration"])
        updated = row.model_copy(update={**values, "updated_at": now})
        audit = self._changes.audit(actor, "customer.update", "end_user", row.user_id, row, updated)
        if not await self._store.end_users.replace(updated, audit):
            raise NotFound(f"No end user {row.user_id!r}.", param="user_id")
        await self._changes.forget(f"end_user:{row.user_id}")
        return updated

    async def set_blocked(self, actor: Principal, form: CustomerIds, blocked: bool) -> list[str]:
        done = []
        for user_id in form.user_ids:
            if await self._store.end_users.get(user_id) is None:
                await self.new(actor, NewCustomer(user_id=user_id, blocked=blocked))
            else:
                await self.update(actor, UpdateCustomer(user_id=user_id, blocked=blocked))
            done.append(user_id)
        return done

    async def info(self, actor: Principal, user_id: str) -> EndUser:
        return await self._get(actor, user_id)

    async def find(self, actor: Principal, page: int, size: int) -> Page[EndUser]:
        if not actor.reads_everything:
            raise PermissionDenied("Only admins may list end users.")
        return await self._store.end_users.list({}, page, size)

    async def delete(self, actor: Principal, form: CustomerIds) -> list[str]:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete end users.")
        rows = [await self._get(actor, user_id) for user_id in form.user_ids]
        for row in rows:
            await self._store.end_users.delete(
                row.user_id, self._changes.audit(actor, "customer.delete", "end_user", row.user_id, row)
            )
            await self._changes.forget(f"end_user:{row.user_id}")
        return [r.user_id for r in rows]
