"""Deployments stored in the database (``/model/new``), served alongside the configuration's.

The configuration's ``model_list`` is fixed at start; database deployments come and go at run
time and reach every instance through the invalidation bus (and a periodic reload).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import ModelForm, ModelId, UpdateModel
from switchboard.application.governance.prices import PriceBook
from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, NotFound, PermissionDenied
from switchboard.domain.governance.access import model_allowed
from switchboard.domain.governance.entities import ModelRecord
from switchboard.domain.governance.filters import ModelFilter
from switchboard.domain.principal import Principal

log = logging.getLogger(__name__)

MODELS_TOPIC = "models"
_SECRET_WORDS = ("key", "secret", "token", "password", "credential")


def redact(params: Mapping[str, Any]) -> dict[str, Any]:
    """``litellm_params`` fit to show: anything that looks like a secret is masked."""
    return {k: ("***" if any(w in k.lower() for w in _SECRET_WORDS) and v else v) for k, v in params.items()}


@dataclass(frozen=True)
class ModelView:
    deployment: Deployment
    stored: bool  # added through the API (else: from the config file)
    record: ModelRecord | None = None


class DeploymentCatalog:
    """The configuration's deployments plus the database's, kept in the directory the router
    reads."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        configured: Sequence[Deployment],
        to_deployment: Callable[[ModelRecord], Deployment],
        store: GovernanceStore,
        prices: PriceBook,
    ) -> None:
        self._directory = directory
        self._configured = tuple(configured)
        self._to_deployment = to_deployment
        self._store = store
        self._prices = prices
        self._stored: dict[str, ModelRecord] = {}

    def convert(self, record: ModelRecord) -> Deployment:
        try:
            return self._to_deployment(record)
        except ValueError as exc:
            raise BadRequest(str(exc), param="litellm_params.model") from None

    async def reload(self) -> None:
        records: list[ModelRecord] = []
        page = 1
        while True:
            batch = await self._store.models.list(ModelFilter(), page, 500)
            records += batch.items
            if page >= batch.pages:
                break
            page += 1
        usable: list[Deployment] = []
        stored: dict[str, ModelRecord] = {}
        for record in records:
            try:
                usable.append(self._to_deployment(record))
                stored[record.model_id] = record
            except ValueError as exc:
                log.error("stored model %s cannot be served: %s", record.model_id, exc)
        self._stored = stored
        self._directory.replace([*self._configured, *usable])
        self._prices.forget()

    def views(self) -> list[ModelView]:
        out = [ModelView(d, False) for d in self._configured]
        stored_ids = set(self._stored)
        out += [ModelView(d, True, self._stored[d.id]) for d in self._directory.all() if d.id in stored_ids]
        return out

    def is_configured(self, model_id: str) -> bool:
        return any(d.id == model_id for d in self._configured)


class ModelService:
    def __init__(self, store: GovernanceStore, changes: Changes, catalog: DeploymentCatalog) -> None:
        self._store = store
        self._changes = changes
        self._catalog = catalog

    async def _publish(self) -> None:
        await self._catalog.reload()
        await self._changes.forget(MODELS_TOPIC)

    async def new(self, actor: Principal, form: ModelForm) -> ModelRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may add models.")
        if "model" not in form.litellm_params:
            raise BadRequest("litellm_params.model is required (provider/model).", param="litellm_params.model")
        now = self._changes.now()
        model_id = str((form.model_info or {}).get("id") or self._changes.new_id())
        record = ModelRecord(
            model_id=model_id,
            model_name=form.model_name,
            litellm_params=form.litellm_params,
            model_info={**(form.model_info or {}), "id": model_id},
            created_at=now,
            updated_at=now,
            created_by=actor.actor,
        )
        self._catalog.convert(record)
        if self._catalog.is_configured(model_id) or not await self._store.models.add(
            record, self._changes.audit(actor, "model.new", "model", model_id, None, _safe(record))
        ):
            raise BadRequest(f"Model {model_id!r} exists.", param="model_info.id", code="already_exists")
        await self._publish()
        return record

    async def _stored(self, model_id: str) -> ModelRecord:
        record = await self._store.models.get(model_id)
        if record is None:
            if self._catalog.is_configured(model_id):
                raise BadRequest("This model comes from the config file; change it there.", param="model_id")
            raise NotFound(f"No model {model_id!r}.", param="model_id", code="model_not_found")
        return record

    async def update(self, actor: Principal, form: UpdateModel) -> ModelRecord:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may change models.")
        model_id = form.model_id or str((form.model_info or {}).get("id") or "")
        if not model_id:
            raise BadRequest("Name the model: model_id (or model_info.id).", param="model_id")
        record = await self._stored(model_id)
        params = {**record.litellm_params, **(form.litellm_params or {})}
        updated = record.model_copy(
            update={
                "model_name": form.model_name or record.model_name,
                "litellm_params": params,
                "model_info": {**record.model_info, **(form.model_info or {}), "id": model_id},
                "updated_at": self._changes.now(),
            }
        )
        self._catalog.convert(updated)
        audit = self._changes.audit(actor, "model.update", "model", model_id, _safe(record), _safe(updated))
        if not await self._store.models.replace(updated, audit):
            raise NotFound(f"No model {model_id!r}.", param="model_id")
        await self._publish()
        return updated

    async def delete(self, actor: Principal, form: ModelId) -> str:
        if not actor.is_admin:
            raise PermissionDenied("Only admins may delete models.")
        record = await self._stored(form.id)
        await self._store.models.delete(
            record.model_id,
            self._changes.audit(actor, "model.delete", "model", record.model_id, _safe(record)),
        )
        await self._publish()
        return record.model_id

    def info(self, actor: Principal, model_id: str | None = None) -> list[ModelView]:
        views = [
            v
            for v in self._catalog.views()
            if (model_id is None or v.deployment.id == model_id)
            and model_allowed(actor, v.deployment.model_name, _groups(v.deployment))
        ]
        if model_id is not None and not views:
            raise NotFound(f"No model {model_id!r}.", param="litellm_model_id", code="model_not_found")
        return views


def _groups(deployment: Deployment) -> list[str]:
    groups = deployment.model_info.get("access_groups")
    return [str(g) for g in groups] if isinstance(groups, list) else []


def _safe(record: ModelRecord) -> ModelRecord:
    return record.model_copy(update={"litellm_params": redact(record.litellm_params)})
