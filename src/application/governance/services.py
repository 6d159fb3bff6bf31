"""The governance use cases as one value for the inbound adapters, and the handler that turns
invalidation messages into cache drops."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from switchboard.application.auth import Authenticator
from switchboard.application.governance.budgets import BudgetService
from switchboard.application.governance.customers import CustomerService
from switchboard.application.governance.end_users import EndUserScopes
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.models import MODELS_TOPIC, DeploymentCatalog, ModelService
from switchboard.application.governance.orgs import OrgService
from switchboard.application.governance.prices import PriceBook
from switchboard.application.governance.spend import SpendService
from switchboard.application.governance.teams import TeamService
from switchboard.application.governance.users import UserService
from switchboard.domain.ports.invalidation import EVERYTHING

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Governance:
    keys: KeyService
    teams: TeamService
    users: UserService
    orgs: OrgService
    budgets: BudgetService
    customers: CustomerService
    models: ModelService
    spend: SpendService


@dataclass
class Invalidations:
    """Topics: ``*`` (everything), ``key:<hash>``, ``end_user:<id>``, ``models``."""

    auth: Authenticator
    prices: PriceBook
    catalog: DeploymentCatalog | None = None
    end_users: EndUserScopes | None = None
    _reloads: set[asyncio.Task[None]] = field(default_factory=set)

    def __call__(self, topic: str) -> None:
        if topic == EVERYTHING:
            self.auth.invalidate(EVERYTHING)
            if self.end_users is not None:
                self.end_users.invalidate(EVERYTHING)
            self.prices.forget()
        elif topic.startswith("key:"):
            self.auth.invalidate(topic[4:])
        elif topic.startswith("end_user:") and self.end_users is not None:
            self.end_users.invalidate(topic[9:])
        elif topic == MODELS_TOPIC and self.catalog is not None:
            task = asyncio.get_running_loop().create_task(self._reload())
            self._reloads.add(task)
            task.add_done_callback(self._reloads.discard)

    async def _reload(self) -> None:
        try:
            assert self.catalog is not None
            await self.catalog.reload()
        except Exception:
            log.exception("could not reload stored models")
