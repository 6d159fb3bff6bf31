"""Each deployment's model info and the cost of its calls.

The catalog's entry for the deployment's model, with the deployment's ``model_info`` on top:
``input_cost_per_token: 0.000001`` in a config wins over any catalog. With no catalog (or no
entry), ``model_info`` alone prices the deployment.
"""

from __future__ import annotations

from switchboard.domain.catalog import ModelInfo, describes_a_model, with_overrides
from switchboard.domain.cost import embedding_cost, usage_cost
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingUsage
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.usage import Usage

# Wildcard deployments serve any model name a caller sends; keep the memo bounded.
_MEMO_LIMIT = 4096


class Pricing:
    """Model info and costs per deployment, worked out once per deployment and model."""

    def __init__(self, catalog: ModelCatalog | None = None) -> None:
        self._catalog = catalog
        self._memo: dict[tuple[str, str], ModelInfo | None] = {}

    def info(self, deployment: Deployment) -> ModelInfo | None:
        """What is known of ``deployment``'s model; ``None`` when neither the catalog nor
        ``model_info`` says anything."""
        key = (deployment.id, deployment.model)
        try:
            return self._memo[key]
        except KeyError:
            pass
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        info = self._memo[key] = self._resolve(deployment)
        return info

    def _resolve(self, deployment: Deployment) -> ModelInfo | None:
        found = self._catalog.info(deployment) if self._catalog is not None else None
        overrides = deployment.model_info
        if not describes_a_model(overrides):
            return found
        base = found or ModelInfo(name=deployment.model, provider=deployment.provider)
        return with_overrides(base, overrides)

    def chat_cost(self, deployment: Deployment, usage: Usage | None) -> float | None:
        """USD for one chat call, or ``None`` when usage or a needed price is unknown."""
        info = self.info(deployment)
        if usage is None or info is None or not info.prices.known:
            return None
        return usage_cost(usage, info.prices)

    def embedding_cost(self, deployment: Deployment, usage: EmbeddingUsage) -> float | None:
        """USD for one embeddings call, or ``None`` when the input price is unknown."""
        info = self.info(deployment)
        if info is None or not info.prices.known:
            return None
        return embedding_cost(usage, info.prices)
