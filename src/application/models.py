"""What ``/v1/models`` lists."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.application.deployments import DeploymentDirectory


@dataclass(frozen=True, slots=True)
class ModelEntry:
    id: str
    owned_by: str
    created: int = 0


def list_models(directory: DeploymentDirectory) -> list[ModelEntry]:
    """One entry per model group, owned by the provider of its first deployment."""
    entries = []
    for name in directory.model_names():
        group = directory.group(name)
        entries.append(ModelEntry(id=name, owned_by=group[0].provider if group else "switchboard"))
    return entries
