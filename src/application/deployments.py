"""The directory of deployments: model groups, wildcards, and what ``/v1/models`` lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ModelNotFound


@dataclass(frozen=True, slots=True)
class ModelAlias:
    """``router_settings.model_group_alias``: another name for the model group ``target``;
    a ``hidden`` alias is served but not listed in ``/v1/models``."""

    target: str
    hidden: bool = False


class DeploymentDirectory:
    """Deployments grouped by ``model_name``. Exact names win over aliases, aliases over
    wildcards; longer wildcards first."""

    def __init__(self, deployments: Iterable[Deployment], aliases: Mapping[str, ModelAlias] | None = None) -> None:
        self._aliases = dict(aliases or {})
        self.replace(deployments)

    def replace(self, deployments: Iterable[Deployment]) -> None:
        """Serve ``deployments`` from now on (deployments added or removed at run time)."""
        self._groups: dict[str, list[Deployment]] = {}
        self._wildcards: dict[str, list[Deployment]] = {}
        for deployment in deployments:
            table = self._wildcards if deployment.is_wildcard else self._groups
            table.setdefault(deployment.model_name, []).append(deployment)
        self._wildcard_order = sorted(self._wildcards, key=len, reverse=True)
        self._by_id = {d.id: d for group in (*self._groups.values(), *self._wildcards.values()) for d in group}

    def candidates(self, model: str) -> Sequence[Deployment]:
        """The deployments that may serve ``model``; raises ``ModelNotFound`` if there are none."""
        group = self._groups.get(model)
        if group is not None:
            return group
        alias = self._aliases.get(model)
        if alias is not None:
            return self.candidates(alias.target)
        for pattern in self._wildcard_order:
            if model.startswith(pattern[:-1]):
                return [d.for_model(model) for d in self._wildcards[pattern]]
        raise ModelNotFound(
            f"The model `{model}` does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )

    def model_names(self) -> list[str]:
        """Every model group name, in configuration order (wildcard patterns included)."""
        shown = [name for name, alias in self._aliases.items() if not alias.hidden and name not in self._groups]
        return [*self._groups, *shown, *self._wildcards]

    def group(self, model: str) -> Sequence[Deployment]:
        """The deployments of one exact group or alias (no wildcard matching); empty if unknown."""
        found = self._groups.get(model) or self._wildcards.get(model)
        if not found and model in self._aliases:
            return self._groups.get(self._aliases[model].target) or []
        return found or []

    def by_id(self, deployment_id: str) -> Deployment | None:
        return self._by_id.get(deployment_id)

    def all(self) -> list[Deployment]:
        return list(self._by_id.values())
