"""``/model/...``: deployments added at run time (stored in the database)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter

from switchboard.adapters.inbound.http.management.answers import DeletedModel, ModelList
from switchboard.adapters.inbound.http.management.dependencies import Caller, Models
from switchboard.adapters.inbound.http.management.operations import change, read
from switchboard.application.governance.forms import ModelForm, ModelId, UpdateModel
from switchboard.application.governance.models import ModelService
from switchboard.application.governance.services import Governance
from switchboard.application.governance.views import StoredDeployment, deployment_view


def _models(governance: NamedDependency[Governance]) -> ModelService:
    return governance.models


class ModelController(Controller):
    path = "/"
    tags = ["models"]
    dependencies = {"models": Provide(_models, sync_to_thread=False)}

    @change("/model/new", summary="Add a deployment")
    async def new(self, data: JSONBody[ModelForm], models: Models, caller: Caller) -> StoredDeployment:
        return StoredDeployment.of(await models.new(caller, data))

    @change("/model/update", summary="Change a stored deployment")
    async def update(self, data: JSONBody[UpdateModel], models: Models, caller: Caller) -> StoredDeployment:
        return StoredDeployment.of(await models.update(caller, data))

    @change("/model/delete", summary="Remove a stored deployment")
    async def delete(self, data: JSONBody[ModelId], models: Models, caller: Caller) -> DeletedModel:
        removed = await models.delete(caller, data)
        return DeletedModel(deleted_model=removed, message=f"Model {removed} deleted.")

    @read(["/model/info", "/v1/model/info"], summary="Deployments the caller may use (secrets masked)")
    async def info(
        self,
        models: Models,
        caller: Caller,
        litellm_model_id: Annotated[
            str | None, QueryParameter(max_length=256, description="One deployment's id.")
        ] = None,
    ) -> ModelList:
        return ModelList(data=[deployment_view(v) for v in models.info(caller, litellm_model_id or None)])
