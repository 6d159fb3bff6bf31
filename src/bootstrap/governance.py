"""Governance, wired: keys, limits, budgets, spend and the management services, as a
sub-container of the composition root (``bootstrap/container.py``).

The gateway selects it when ``general_settings.master_key`` is set; the CLI's management
commands resolve its ``services`` alone (no hook, no background task). Every part is a named
provider, so a test or an embedding application swaps one with
``container.governance.<part>.override(...)``.

The SQL side (``bootstrap/governance_store.py``: SQLAlchemy, Alembic, the repositories) is
imported by the two providers that need it, when they are first resolved: a gateway or facade
without governance never loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from switchboard.adapters.outbound.persistence.journal import FileSpendJournal
from switchboard.adapters.outbound.state.counters_memory import InMemoryCounterStore
from switchboard.adapters.outbound.state.invalidation import LocalInvalidationBus, RedisInvalidationBus
from switchboard.application.auth import Authenticator, CustomAuth
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
from switchboard.application.governance.rehydration import BudgetRehydration
from switchboard.application.governance.resets import BudgetResetter
from switchboard.application.governance.services import Governance, Invalidations
from switchboard.application.governance.spend import SpendService
from switchboard.application.governance.spend_writer import FIELDS, SpendWriter
from switchboard.application.governance.store import GovernanceStore
from switchboard.application.governance.teams import TeamService
from switchboard.application.governance.users import UserService
from switchboard.application.pricing import Pricing
from switchboard.application.readiness import Dependency
from switchboard.bootstrap.config.governance import GovernanceGeneralSettings, JwtAuthSettings, database_url
from switchboard.bootstrap.config.models import ModelEntry
from switchboard.bootstrap.governance_runtime import GovernanceRuntime
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
from switchboard.domain.ports.counters import CounterStore
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.invalidation import EVERYTHING, InvalidationBus
from switchboard.domain.ports.responses import ResponseStore
from switchboard.domain.ports.spend import SpendJournal

if TYPE_CHECKING:
    from switchboard.adapters.outbound.persistence.database import Database

log = logging.getLogger("switchboard.governance")

MODEL_RELOAD_SECONDS = 60.0


# --- the SQL side, loaded on first use ----------------------------------------------------------


async def open_database(general: GovernanceGeneralSettings) -> AsyncIterator[Database]:
    """The database, migrated when ``auto_migrate`` says so; disposed at shutdown."""
    from switchboard.bootstrap import governance_store  # lazy: SQLAlchemy and Alembic (~1 s), only with governance

    await governance_store.migrate(general)
    db = governance_store.open_database(general)
    try:
        yield db
    finally:
        await db.dispose()


def response_store(db: Database) -> ResponseStore:
    """Stored Responses API responses, in the governance database (every instance sees them)."""
    from switchboard.adapters.outbound.persistence.responses import SqlResponseStore  # lazy: SQLAlchemy

    return SqlResponseStore(db)


def build_store(db: Database, master_key: str | None) -> GovernanceStore:
    from switchboard.bootstrap import governance_store  # lazy: the SQL repositories, only with governance

    return governance_store.build_store(db, master_key)


# --- the parts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counters:
    """Where rate limits and budgets count: Redis when the gateway has one (``fallback``: memory,
    while Redis is down), else memory."""

    primary: CounterStore
    fallback: CounterStore | None = None


def build_counters(redis: Any, general: GovernanceGeneralSettings) -> Counters:
    if redis is None:
        return Counters(InMemoryCounterStore())
    from switchboard.adapters.outbound.state.counters_redis import RedisCounterStore  # lazy: redis, only with one

    return Counters(RedisCounterStore(redis, timeout=general.state_store_timeout), InMemoryCounterStore())


def invalidation_bus(redis: Any) -> InvalidationBus:
    """Changes reach every instance through Redis pub/sub when there is a Redis."""
    return RedisInvalidationBus(redis) if redis is not None else LocalInvalidationBus()


def _unknown(identity: Identity) -> bool:
    return identity.refusal is Refusal.UNKNOWN


def key_cache(loader: PrincipalLoader, clock: Clock, general: GovernanceGeneralSettings) -> IdentityCache[Identity]:
    """Keys' identities, cached ``user_api_key_cache_ttl`` seconds; served stale while the
    database is down when ``allow_requests_on_db_unavailable`` says so."""
    return IdentityCache(
        loader.for_key,
        clock,
        general.user_api_key_cache_ttl,
        stale_for=general.db_unavailable_grace_seconds if general.allow_requests_on_db_unavailable else 0.0,
        negative=_unknown,
    )


def jwt_authenticator(
    general: GovernanceGeneralSettings, loader: PrincipalLoader, clock: Clock
) -> JwtAuthenticator | None:
    """``None`` unless ``enable_jwt_auth``."""
    if not general.enable_jwt_auth:
        return None
    from switchboard.adapters.outbound.identity.jwt_verifier import JwksTokenVerifier  # lazy: the JOSE library

    jwt = general.litellm_jwtauth or JwtAuthSettings()
    env = os.environ
    verifier = JwksTokenVerifier(
        issuer=jwt.issuer or env["JWT_ISSUER"],
        audience=jwt.audience or env["JWT_AUDIENCE"],
        algorithms=list(jwt.algorithms),
        jwks_url=jwt.jwks_url or env.get("JWT_PUBLIC_KEY_URL"),
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


def price_book(directory: DeploymentDirectory, catalog: ModelCatalog | None) -> PriceBook:
    return PriceBook(directory.candidates, Pricing(catalog))


def end_user_scopes(store: GovernanceStore, clock: Clock, settings: RuntimeSettings) -> EndUserScopes:
    """End users' budgets; ``max_end_user_budget`` applies to every end user without one."""
    general, litellm = settings.config.general_settings, settings.config.litellm_settings
    budget = litellm.max_end_user_budget
    default = Limits(max_budget=budget) if budget is not None else None
    return EndUserScopes(store, clock, general.user_api_key_cache_ttl, default=default)


def record_to_deployment(record: ModelRecord) -> Deployment:
    """A model added through the API, as a deployment (refused like a configured one)."""
    try:
        entry = ModelEntry(
            model_name=record.model_name, litellm_params=record.litellm_params, model_info=record.model_info
        )
    except Exception as exc:
        raise ValueError(f"invalid model: {exc}") from None
    return to_deployment(entry, 0, known_providers())


def deployment_catalog(
    directory: DeploymentDirectory, settings: RuntimeSettings, store: GovernanceStore, prices: PriceBook
) -> DeploymentCatalog:
    """The models the gateway serves: the configured ones and those added through the API."""
    return DeploymentCatalog(directory, settings.deployments, record_to_deployment, store, prices)


def build_services(
    store: GovernanceStore, changes: Changes, models: DeploymentCatalog, allow_self_rotation: bool = False
) -> Governance:
    """``allow_self_rotation``: ``general_settings.allow_key_self_rotation``."""
    keys = KeyService(store, changes, allow_self_rotation=allow_self_rotation)
    return Governance(
        keys=keys,
        teams=TeamService(store, changes, keys),
        users=UserService(store, changes, keys),
        orgs=OrgService(store, changes),
        budgets=BudgetService(store, changes),
        customers=CustomerService(store, changes),
        models=ModelService(store, changes, models),
        spend=SpendService(store.ledger, store.audit),
    )


class _LoggedAlerts:
    """Alerts to the log, when no alerting is wired."""

    def notify(self, alert: Alert) -> None:
        log.warning("%s: %s", alert.title, alert.message)


def limits_hook(
    counters: Counters,
    prices: PriceBook,
    clock: Clock,
    ids: IdSource,
    alerts: Alerts | None,
    end_users: EndUserScopes,
    general: GovernanceGeneralSettings,
    rehydration: BudgetRehydration,
) -> LimitsHook:
    return LimitsHook(
        counters.primary,
        prices,
        clock,
        ids,
        alerts or _LoggedAlerts(),
        end_users=end_users,
        fallback=counters.fallback,
        settings=LimitSettings(
            lease=general.reservation_lease_seconds,
            default_output_tokens=general.default_reserved_output_tokens,
            budgets_fail_open=general.budget_store_failure == "open",
            rate_limits_fail_open=general.rate_limit_store_failure == "open",
            unpriced_policy=general.unpriced_model_policy,
        ),
        rehydration=rehydration,
    )


def spend_journal(general: GovernanceGeneralSettings) -> SpendJournal | None:
    """Rows queued for the database are journaled to disk first (``spend_journal_dir``)."""
    folder = journal_dir(general.spend_journal_dir, database_url(general))
    return FileSpendJournal(folder, FIELDS) if folder is not None else None


def build_spend_writer(
    store: GovernanceStore,
    clock: Clock,
    ids: IdSource,
    prices: PriceBook,
    journal: SpendJournal | None,
    general: GovernanceGeneralSettings,
    rehydration: BudgetRehydration,
) -> SpendWriter:
    """The spend writer; a lost budget counter is rebuilt from the database and its queue."""
    writer = SpendWriter(
        store.ledger,
        clock,
        ids,
        cost=prices.cost,
        max_queue=general.spend_log_queue_size,
        batch_size=general.spend_log_batch_size,
        interval=general.proxy_batch_write_at,
        keep_rows=not general.disable_spend_logs,
        journal=journal,
    )
    rehydration.attach(writer)
    return writer


def budget_resetter(
    store: GovernanceStore, clock: Clock, bus: InvalidationBus, general: GovernanceGeneralSettings
) -> BudgetResetter:
    """Resets budgets whose period is over, then drops every cached identity."""

    async def everything() -> None:
        await bus.publish(EVERYTHING)

    return BudgetResetter(store.ledger, clock, everything, general.budget_reset_interval)


async def _reload_models(catalog: DeploymentCatalog) -> None:
    while True:
        await asyncio.sleep(MODEL_RELOAD_SECONDS)
        with contextlib.suppress(ServiceUnavailable):
            await catalog.reload()


async def run_governance(
    *,
    database: Database,
    redis: Any,
    bus: InvalidationBus,
    invalidations: Invalidations,
    models: DeploymentCatalog,
    writer: SpendWriter,
    limits: LimitsHook,
    resetter: BudgetResetter,
    auth: Authenticator,
    access: ModelAccessHook,
    services: Governance,
    responses: ResponseStore,
    general: GovernanceGeneralSettings,
) -> AsyncIterator[GovernanceRuntime]:
    """Governance running: invalidations heard, models loaded, spend written, limits' leases
    swept, budgets reset; stopped in the reverse order at shutdown. It takes the database and
    Redis directly so the container closes them after it."""
    await bus.start(invalidations)
    try:
        await models.reload()
    except ServiceUnavailable:
        log.error("database unreachable at start; serving the configured models only until it is back")
    await writer.start()
    await limits.start()
    await resetter.start()
    reloads = asyncio.create_task(_reload_models(models), name="switchboard-model-reload")
    log.info(
        "governance on",
        extra={
            "database": database.dialect,
            "state": "redis" if redis is not None else "memory",
            "cache_ttl": general.user_api_key_cache_ttl,
        },
    )
    try:
        yield GovernanceRuntime(
            auth=auth,
            hooks=(access, limits),
            sinks=(writer,),
            services=services,
            dependencies=(Dependency("db", database.ping, required=not general.allow_requests_on_db_unavailable),),
            responses=responses,
        )
    finally:
        reloads.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reloads
        await resetter.stop()
        await limits.stop()
        await writer.stop()
        await bus.stop()


class GovernanceContainer(containers.DeclarativeContainer):
    """Inputs from the root container: settings, clock, ids, the shared Redis (or ``None``), the
    deployment directory, the price catalog, the alerts port and the custom auth function."""

    settings = providers.Dependency(instance_of=RuntimeSettings)
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdSource] = providers.Dependency()
    redis: providers.Dependency[Any] = providers.Dependency()  # None: no Redis, state in memory
    directory = providers.Dependency(instance_of=DeploymentDirectory)
    catalog: providers.Dependency[ModelCatalog] = providers.Dependency()  # the price catalog
    alerts: providers.Dependency[Alerts] = providers.Dependency()
    custom_auth: providers.Dependency[CustomAuth | None] = providers.Dependency()  # general_settings.custom_auth

    general = settings.provided.config.general_settings
    master_key = settings.provided.master_key

    database = providers.Resource(open_database, general)
    store = providers.Singleton(build_store, database, master_key)
    bus = providers.Singleton(invalidation_bus, redis)
    counters = providers.Singleton(build_counters, redis, general)
    principals = providers.Singleton(PrincipalLoader, store)
    keys = providers.Singleton(key_cache, principals, clock, general)
    jwt = providers.Singleton(jwt_authenticator, general, principals, clock)
    auth = providers.Singleton(Authenticator, master_key, keys=keys, jwt=jwt, clock=clock, custom=custom_auth)
    prices = providers.Singleton(price_book, directory, catalog)
    end_users = providers.Singleton(end_user_scopes, store, clock, settings)
    models = providers.Singleton(deployment_catalog, directory, settings, store, prices)
    changes = providers.Singleton(Changes, clock, ids, bus)
    services = providers.Singleton(
        build_services, store, changes, models, settings.provided.config.general_settings.allow_key_self_rotation
    )
    responses = providers.Singleton(response_store, database)
    access = providers.Singleton(ModelAccessHook, prices)
    rehydration = providers.Singleton(BudgetRehydration, store.provided.ledger)
    limits = providers.Singleton(limits_hook, counters, prices, clock, ids, alerts, end_users, general, rehydration)
    journal = providers.Singleton(spend_journal, general)
    spend_writer = providers.Singleton(build_spend_writer, store, clock, ids, prices, journal, general, rehydration)
    resetter = providers.Singleton(budget_resetter, store, clock, bus, general)
    invalidations = providers.Singleton(Invalidations, auth, prices, models, end_users)
    runtime = providers.Resource(
        run_governance,
        database=database,
        redis=redis,
        bus=bus,
        invalidations=invalidations,
        models=models,
        writer=spend_writer,
        limits=limits,
        resetter=resetter,
        auth=auth,
        access=access,
        services=services,
        responses=responses,
        general=general,
    )
