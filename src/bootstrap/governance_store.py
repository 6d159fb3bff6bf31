"""Governance wiring: the database, the counters, the caches and the hooks, started and
stopped with the gateway.

Governance is on when ``general_settings.master_key`` is set (as in LiteLLM, virtual keys need
a master key). Without it the gateway is open: no database is opened, every caller is anonymous
and no management route answers; custom call hooks still run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from switchboard.adapters.outbound.persistence.database import DEFAULT_URL, Database, is_unreachable, parse_database_url
from switchboard.adapters.outbound.persistence.journal import FileSpendJournal
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
from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.adapters.outbound.state.invalidation import LocalInvalidationBus, RedisInvalidationBus
from switchboard.application.auth import Authenticator
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.governance.access_hook import ModelAccessHook
from switchboard.application.governance.budgets import BudgetService
from switchboard.application.governance.changes import Changes
from switchboard.application.governance.customers import CustomerService
from switchboard.application.governance.end_users import EndUserScopes
from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.application.governance.jwt_auth import JwtAuthenticator, JwtClaimsMap
from switchboard.application.governance.keys import KeyService
from switchboard.application.governance.limits_hook import LimitSettings, LimitsHook
from switchboard.application.governance.models import DeploymentCatalog, ModelService
from switchboard.application.governance.orgs import OrgService
from switchboard.application.governance.prices import PriceBook
from switchboard.application.governance.principals import Identity, PrincipalLoader, Refusal
from switchboard.application.governance.resets import BudgetResetter
from switchboard.application.governance.services import Governance, Invalidations
from switchboard.application.governance.spend import SpendService
from switchboard.application.governance.spend_writer import FIELDS, SpendWriter
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.teams import TeamService
from switchboard.application.governance.users import UserService
from switchboard.application.pricing import Pricing
from switchboard.application.readiness import Dependency
from switchboard.bootstrap.config.governance import GovernanceGeneralSettings, JwtAuthSettings
from switchboard.bootstrap.config.models import ModelEntry
from switchboard.bootstrap.governance import GovernanceRuntime
from switchboard.bootstrap.hooks import load_call_hooks
from switchboard.bootstrap.journal import journal_dir
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import RuntimeSettings, to_deployment
from switchboard.domain.alerts import Alert
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.governance.entities import ModelRecord
from switchboard.domain.governance.limits import Limits
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.invalidation import EVERYTHING, InvalidationBus

log = logging.getLogger("switchboard.governance")

MODEL_RELOAD_SECONDS = 60.0


class _LoggedAlerts:
    """Alerts to the log, when no alerting is wired (the facade, tests)."""

    def notify(self, alert: Alert) -> None:
        log.warning("%s: %s", alert.title, alert.message)


def _unknown(identity: Identity) -> bool:
    return identity.refusal is Refusal.UNKNOWN


def database_url(general: GovernanceGeneralSettings) -> str:
    return general.database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL


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


def build_services(
    store: GovernanceStore, changes: Changes, catalog: DeploymentCatalog, *, allow_key_self_rotation: bool = False
) -> Governance:
    keys = KeyService(store, changes, allow_self_rotation=allow_key_self_rotation)
    return Governance(
        keys=keys,
        teams=TeamService(store, changes, keys),
        users=UserService(store, changes, keys),
        orgs=OrgService(store, changes),
        budgets=BudgetService(store, changes),
        customers=CustomerService(store, changes),
        models=ModelService(store, changes, catalog),
        spend=SpendService(store.ledger, store.audit),
    )


@asynccontextmanager
async def operator_governance(settings: RuntimeSettings) -> AsyncIterator[Governance]:
    """The management services over the configured database, for the CLI. Changes reach
    running gateways through Redis when one is configured (else within their cache TTL)."""
    from switchboard.adapters.outbound.system import SystemClock, UuidIdSource

    general = settings.config.general_settings
    await migrate(general)
    db = open_database(general)
    redis = None
    if settings.redis_url:
        import redis.asyncio as redis_client

        redis = redis_client.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
    bus: InvalidationBus = RedisInvalidationBus(redis) if redis is not None else LocalInvalidationBus()
    store = build_store(db, settings.master_key)
    directory = DeploymentDirectory(settings.deployments)
    prices = PriceBook(directory.candidates)
    catalog = DeploymentCatalog(directory, settings.deployments, record_to_deployment, store, prices)
    try:
        yield build_services(store, Changes(SystemClock(), UuidIdSource(), bus), catalog)
    finally:
        await db.dispose()
        if redis is not None:
            await redis.aclose()


def record_to_deployment(record: ModelRecord) -> Deployment:
    try:
        entry = ModelEntry(
            model_name=record.model_name, litellm_params=record.litellm_params, model_info=record.model_info
        )
    except Exception as exc:
        raise ValueError(f"invalid model: {exc}") from None
    return to_deployment(entry, 0, known_providers())


def jwt_authenticator(general: GovernanceGeneralSettings, loader: PrincipalLoader, clock: Clock) -> JwtAuthenticator:
    from switchboard.adapters.outbound.identity.jwt_verifier import JwksTokenVerifier

    jwt = general.litellm_jwtauth or JwtAuthSettings()
    verifier = JwksTokenVerifier(
        issuer=jwt.issuer or os.environ["JWT_ISSUER"],
        audience=jwt.audience or os.environ["JWT_AUDIENCE"],
        algorithms=list(jwt.algorithms),
        jwks_url=jwt.jwks_url or os.environ.get("JWT_PUBLIC_KEY_URL"),
        jwks_file=jwt.jwks_file,
        ttl=jwt.public_key_ttl,
        leeway=jwt.leeway,
    )
    mapping = JwtClaimsMap(
        user_id_jwt_field=jwt.user_id_jwt_field,
        team_id_jwt_field=jwt.team_id_jwt_field,
        team_ids_jwt_field=jwt.team_ids_jwt_field,
        org_id_jwt_field=jwt.org_id_jwt_field,
        user_roles_jwt_field=jwt.user_roles_jwt_field,
        admin_jwt_scope=jwt.admin_jwt_scope,
        admin_roles=tuple(jwt.admin_roles),
    )
    return JwtAuthenticator(verifier, loader, mapping, clock, general.user_api_key_cache_ttl)


def _counters(redis: Any, timeout: float) -> tuple[Any, Any]:
    if redis is None:
        return InMemoryCounterStore(), None
    from switchboard.adapters.outbound.state.counters_redis import RedisCounterStore

    return RedisCounterStore(redis, timeout=timeout), InMemoryCounterStore()


async def _reload_models(catalog: DeploymentCatalog) -> None:
    while True:
        await asyncio.sleep(MODEL_RELOAD_SECONDS)
        with contextlib.suppress(ServiceUnavailable):
            await catalog.reload()


async def open_store_governance(
    settings: RuntimeSettings,
    clock: Clock,
    ids: IdSource,
    redis: Any,
    directory: DeploymentDirectory,
    catalog: ModelCatalog | None = None,
    alerts: Alerts | None = None,
) -> AsyncIterator[GovernanceRuntime]:
    config = settings.config
    general, litellm = config.general_settings, config.litellm_settings
    custom = load_call_hooks(litellm.call_hooks)

    await migrate(general)
    db = open_database(general)
    store = build_store(db, settings.master_key)
    bus: InvalidationBus = RedisInvalidationBus(redis) if redis is not None else LocalInvalidationBus()
    counters, fallback = _counters(redis, general.state_store_timeout)
    ttl = general.user_api_key_cache_ttl
    loader = PrincipalLoader(store)
    keys_cache: IdentityCache[Identity] = IdentityCache(
        loader.for_key,
        clock,
        ttl,
        stale_for=general.db_unavailable_grace_seconds if general.allow_requests_on_db_unavailable else 0.0,
        negative=_unknown,
    )
    jwt = jwt_authenticator(general, loader, clock) if general.enable_jwt_auth else None
    auth = Authenticator(settings.master_key, keys=keys_cache, jwt=jwt, clock=clock)
    prices = PriceBook(directory.candidates, Pricing(catalog))
    default_end_user = (
        Limits(max_budget=litellm.max_end_user_budget) if litellm.max_end_user_budget is not None else None
    )
    end_users = EndUserScopes(store, clock, ttl, default=default_end_user)
    catalog = DeploymentCatalog(directory, settings.deployments, record_to_deployment, store, prices)
    changes = Changes(clock, ids, bus)
    services = build_services(store, changes, catalog, allow_key_self_rotation=general.allow_key_self_rotation)
    limits = LimitsHook(
        counters,
        prices,
        clock,
        ids,
        alerts or _LoggedAlerts(),
        end_users=end_users,
        fallback=fallback,
        settings=LimitSettings(
            lease=general.reservation_lease_seconds,
            default_output_tokens=general.default_reserved_output_tokens,
            budgets_fail_open=general.budget_store_failure == "open",
            rate_limits_fail_open=general.rate_limit_store_failure == "open",
        ),
    )
    folder = journal_dir(general.spend_journal_dir, database_url(general))
    writer = SpendWriter(
        store.ledger,
        clock,
        ids,
        cost=prices.cost,
        max_queue=general.spend_log_queue_size,
        batch_size=general.spend_log_batch_size,
        interval=general.proxy_batch_write_at,
        keep_rows=not general.disable_spend_logs,
        journal=FileSpendJournal(folder, FIELDS) if folder is not None else None,
    )

    async def everything() -> None:
        await bus.publish(EVERYTHING)

    resetter = BudgetResetter(store.ledger, clock, everything, general.budget_reset_interval)
    await bus.start(Invalidations(auth, prices, catalog, end_users))
    try:
        await catalog.reload()
    except ServiceUnavailable:
        log.error("database unreachable at start; serving the configured models only until it is back")
    await writer.start()
    await limits.start()
    await resetter.start()
    reloads = asyncio.create_task(_reload_models(catalog), name="switchboard-model-reload")
    log.info(
        "governance on",
        extra={"database": db.dialect, "state": "redis" if redis is not None else "memory", "cache_ttl": ttl},
    )
    try:
        yield GovernanceRuntime(
            auth=auth,
            hooks=(ModelAccessHook(prices), limits),
            custom=tuple(custom),
            sinks=(writer,),
            services=services,
            dependencies=(Dependency("db", db.ping, required=not general.allow_requests_on_db_unavailable),),
        )
    finally:
        reloads.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reloads
        await resetter.stop()
        await limits.stop()
        await writer.stop()
        await bus.stop()
        await db.dispose()
