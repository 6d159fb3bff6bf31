"""Where deployments added through the management API are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import ModelRecord
from switchboard.domain.governance.filters import ModelFilter
from switchboard.domain.ports.repository import Repository


class ModelRepository(Repository[ModelRecord, ModelFilter], Protocol):
    """Deployments by ``model_id``."""
