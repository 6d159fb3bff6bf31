"""Governance's SQL side: the database (migrated when ``auto_migrate`` says so) and the
repositories over it.

Importing this module loads SQLAlchemy, Alembic and the persistence adapters (about a second);
``bootstrap/governance.py`` imports it only when governance is built, so a gateway or facade
without a master key, and ``switchboard config check``, never pay for it.
"""

from __future__ import annotations

import logging

from switchboard.adapters.outbound.persistence.database import Database, is_unreachable, parse_database_url
from switchboard.adapters.outbound.persistence.ledger import SqlSpendLedger
from switchboard.adapters.outbound.persistence.migrate import at_head, upgrade
from switchboard.adapters.outbound.persistence.repositories import (
    SqlAuditLog,
    SqlBudgetRepository,
    SqlEndUserRepository,
    SqlKeyRepository,
    SqlModelRepository,
    SqlOrgRepository,
    SqlTeamRepository,
    SqlUserRepository,
)
from switchboard.adapters.outbound.persistence.secrets import SecretBox, salt_key
from switchboard.application.governance.store import GovernanceStore
from switchboard.bootstrap.config.governance import GovernanceGeneralSettings, database_url

log = logging.getLogger("switchboard.governance")


def build_store(db: Database, master_key: str | None = None) -> GovernanceStore:
    """The repositories over ``db``; model credentials are sealed with a key from the salt key
    or ``master_key`` (none: stored as given)."""
    secret = salt_key(master_key)
    return GovernanceStore(
        keys=SqlKeyRepository(db),
        teams=SqlTeamRepository(db),
        users=SqlUserRepository(db),
        orgs=SqlOrgRepository(db),
        budgets=SqlBudgetRepository(db),
        end_users=SqlEndUserRepository(db),
        models=SqlModelRepository(db, SecretBox(secret) if secret else None),
        ledger=SqlSpendLedger(db),
        audit=SqlAuditLog(db),
    )


def open_database(general: GovernanceGeneralSettings) -> Database:
    return Database(
        database_url(general),
        pool_size=general.database_connection_pool_limit,
        pool_timeout=general.database_connection_timeout,
    )


async def migrate(general: GovernanceGeneralSettings) -> None:
    """Bring the schema up to date when ``auto_migrate`` says so (default: SQLite only)."""
    url = parse_database_url(database_url(general))
    wanted = general.auto_migrate if general.auto_migrate is not None else url.is_sqlite
    if not wanted:
        return
    try:
        if not await at_head(url):
            await upgrade(url)
    except Exception as exc:
        if not is_unreachable(exc) and not isinstance(exc.__cause__, OSError):
            raise
        log.error("database unreachable at start; migrations not run (requests needing it get 503)")
