"""The model catalog port: what is known of the model a deployment serves."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.catalog import ModelInfo
from switchboard.domain.deployments import Deployment


class ModelCatalog(Protocol):
    """Prices, limits and capabilities of models, loaded before the first request.

    Lookups are in memory (no I/O), so the port is synchronous. The deployment's own
    ``model_info`` is not the catalog's business: callers apply it on top (it wins).
    """

    def info(self, deployment: Deployment) -> ModelInfo | None:
        """What the catalog knows of ``deployment``'s model, or ``None``.

        A catalog knows models as ``provider/model`` and by bare name (``gpt-4o``); the
        deployment's ``model_info.base_model``, when set, names the model to look up instead.
        """
        ...
