"""A model catalog that knows exactly the models it is given, by ``provider/model``."""

from __future__ import annotations

from switchboard.domain.catalog import ModelInfo
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.catalog import ModelCatalog


class FakeModelCatalog(ModelCatalog):
    def __init__(self, models: dict[str, ModelInfo]) -> None:
        self._models = models

    def info(self, deployment: Deployment) -> ModelInfo | None:
        return self._models.get(f"{deployment.provider}/{deployment.model}")
