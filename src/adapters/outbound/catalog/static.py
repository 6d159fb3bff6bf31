"""An in-memory model catalog: layers of model infos, searched in order."""

from __future__ import annotations

from collections.abc import Iterable

from switchboard.domain.catalog import ModelInfo
from switchboard.domain.deployments import Deployment


class Layer:
    """One source of model infos, indexed by name.

    An info named ``provider/model`` is found under that name; a bare name (``gpt-4o``) also
    under ``<its provider>/gpt-4o``. The first info for a name wins.
    """

    def __init__(self, infos: Iterable[tuple[str | None, ModelInfo]]) -> None:
        self._by_name: dict[str, ModelInfo] = {}
        for provider, info in infos:
            self._by_name.setdefault(info.name, info)
            if provider and not info.name.startswith(f"{provider}/"):
                self._by_name.setdefault(f"{provider}/{info.name}", info)

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> ModelInfo | None:
        return self._by_name.get(name)


class StaticModelCatalog:
    """``ModelCatalog`` over layers; an earlier layer wins (a user's price file over the
    curated table). Names tried, per layer: ``model_info.base_model`` then the deployment's
    model, each as ``provider/model`` and as given."""

    def __init__(self, layers: Iterable[Layer]) -> None:
        self._layers = tuple(layers)

    def info(self, deployment: Deployment) -> ModelInfo | None:
        names = []
        base_model = deployment.model_info.get("base_model")
        if isinstance(base_model, str) and base_model:
            names.append(base_model)
            _, sep, bare = base_model.partition("/")
            if sep and bare:  # LiteLLM's `azure/gpt-4o`: the curated table knows `gpt-4o`
                names.append(bare)
        names.append(deployment.model)
        keys = [key for name in names for key in (f"{deployment.provider}/{name}", name)]
        for layer in self._layers:
            for key in keys:
                found = layer.get(key)
                if found is not None:
                    return found
        return None
