"""The composition root: the only place that knows which adapter implements which port.

The server (``bootstrap/http.py``), the facade (``bootstrap/facade.py``) and the CLI
(``bootstrap/cli.py``) all build this one container and resolve what they need from it, by name:
``http_services``, ``sdk_services``, ``governance.services``. Resolving a provider opens the
resources it needs (the upstream transport, Redis, the database) and nothing else; ``stop``
closes what was opened.

A test or an embedding application swaps a part before resolving anything::

    container = build_container(load_settings(config, known_providers()))
    container.transport.override(providers.Object(my_transport))
    app = build_app(container)                  # or AsyncClient(container=container)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from switchboard.adapters.inbound.sdk import SdkServices
from switchboard.adapters.outbound.providers.info import ProviderDeps
from switchboard.adapters.outbound.state.responses_memory import MemoryResponseStore
from switchboard.adapters.outbound.system import SystemClock, SystemRandom, UuidIdSource
from switchboard.adapters.outbound.tokens import TiktokenCounter
from switchboard.adapters.outbound.transport import Transport
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.media import ImageService, SpeechService, TranscriptionService
from switchboard.application.messages import MessagesService
from switchboard.application.models import ModelEntry, list_models
from switchboard.application.pricing import Pricing
from switchboard.application.readiness import Dependency
from switchboard.application.readiness import readiness as check_readiness
from switchboard.application.responses import ResponsesService
from switchboard.application.router import Router
from switchboard.bootstrap.caching import (
    build_cache_store,
    build_chat_cache,
    build_embedding_cache,
    open_cache_redis,
    open_response_cache,
    open_vector_index,
)
from switchboard.bootstrap.catalog import build_catalog
from switchboard.bootstrap.config.routing import router_policy
from switchboard.bootstrap.custom_auth import configured_custom_auth
from switchboard.bootstrap.governance import GovernanceContainer
from switchboard.bootstrap.governance_runtime import GovernanceRuntime, call_pipeline, governance_mode, open_gateway
from switchboard.bootstrap.health import build_health_service, open_health_checks
from switchboard.bootstrap.hooks import load_call_hooks
from switchboard.bootstrap.observability import open_observability
from switchboard.bootstrap.providers import build_registry
from switchboard.bootstrap.redis import open_redis
from switchboard.bootstrap.routing import catalog_lookups, open_routing_state
from switchboard.bootstrap.settings import RuntimeSettings
from switchboard.bootstrap.tls import upstream_tls
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.responses import ResponseStore

if TYPE_CHECKING:
    from switchboard.adapters.inbound.http.access import AccessPolicy
    from switchboard.adapters.inbound.http.services import HttpServices


async def open_http1_transport(ssl_verify: bool | str = True) -> AsyncIterator[Transport]:
    """The default upstream client (``general_settings.upstream_transport: http1``), pooled for
    the process and closed at shutdown."""
    from switchboard.adapters.outbound.transport.http1 import Http1Transport  # lazy: httptools, only once built

    transport = Http1Transport(ssl_context=upstream_tls(ssl_verify))
    try:
        yield transport
    finally:
        await transport.aclose()


async def open_aiohttp_transport(ssl_verify: bool | str = True) -> AsyncIterator[Transport]:
    """``upstream_transport: aiohttp``."""
    from switchboard.adapters.outbound.transport.aiohttp_transport import (  # lazy: aiohttp (~100 ms), only when chosen
        AiohttpTransport,
    )

    transport = AiohttpTransport(ssl_context=upstream_tls(ssl_verify))
    try:
        yield transport
    finally:
        await transport.aclose()


def used_providers(deployments: tuple[Deployment, ...]) -> list[str]:
    return sorted({d.provider for d in deployments})


def response_store_of(governance: GovernanceRuntime) -> ResponseStore:
    """The governance database's store when there is one, else a bounded one in memory."""
    return governance.responses if governance.responses is not None else MemoryResponseStore()


def model_lister(directory: DeploymentDirectory) -> Callable[[], list[ModelEntry]]:
    """``GET /v1/models`` and ``client.models()``: the directory as it is at each call."""
    return lambda: list_models(directory)


def http_services(**parts: Any) -> HttpServices:
    """The server's bundle (``HttpServices``' fields, by name)."""
    from switchboard.adapters.inbound.http.services import HttpServices  # lazy: Litestar, for the server only

    return HttpServices(**parts)


def http_access(settings: RuntimeSettings, clock: Clock) -> AccessPolicy:
    """The access decision's settings (``bootstrap/access.py``)."""
    from switchboard.bootstrap.access import access_policy  # lazy: Litestar, for the server only

    return access_policy(settings, clock)


def readiness_check(governance: GovernanceRuntime, redis: Any, models: int) -> Callable[[], Awaitable[dict[str, Any]]]:
    """``GET /health/readiness``: the database (governance's) and Redis, pinged."""
    dependencies = [*governance.dependencies]
    if redis is not None:
        dependencies.append(Dependency("redis", redis.ping, required=False))

    async def check() -> dict[str, Any]:
        return {**await check_readiness(dependencies), "models": models}

    return check


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=RuntimeSettings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidIdSource)
    rng = providers.Singleton(SystemRandom)
    tokens = providers.Singleton(TiktokenCounter)
    ssl_verify = settings.provided.config.litellm_settings.ssl_verify
    transport = providers.Selector(
        settings.provided.config.general_settings.upstream_transport,
        http1=providers.Resource(open_http1_transport, ssl_verify),
        aiohttp=providers.Resource(open_aiohttp_transport, ssl_verify),
    )
    redis = providers.Resource(open_redis, settings.provided.redis_url)

    provider_deps = providers.Singleton(ProviderDeps, transport=transport, clock=clock, ids=ids, tokens=tokens)
    registry = providers.Singleton(
        build_registry, provider_deps, providers.Callable(used_providers, settings.provided.deployments)
    )
    directory = providers.Singleton(DeploymentDirectory, settings.provided.deployments, settings.provided.aliases)

    observability = providers.Resource(open_observability, settings.provided.observability, transport, clock)
    alerts = observability.provided.alerts  # the Alerts port, for the router and governance
    metrics = observability.provided.metrics  # GET /metrics, or None

    catalog = providers.Singleton(build_catalog, settings.provided.model_cost_map)

    # The router: policy from router_settings, live state in Redis when there is one (bootstrap/routing.py).
    routing_state = providers.Resource(open_routing_state, settings.provided.config, redis, clock)
    lookups = providers.Singleton(catalog_lookups, catalog)
    router = providers.Singleton(
        Router,
        directory,
        rng,
        clock,
        policy=providers.Singleton(router_policy, settings.provided.config),
        state=routing_state,
        alerts=alerts,
        price=lookups.provided.price,
        context_window=lookups.provided.context_window,
    )

    # Keys, limits, budgets, spend (bootstrap/governance.py): on with a master key, else an
    # open gateway. The CLI's management commands resolve governance.services alone.
    # general_settings.custom_auth, for the open gateway and for governance alike
    custom_auth = providers.Singleton(
        configured_custom_auth, settings.provided.config.general_settings.custom_auth, settings.provided.source
    )
    governance = providers.Container(
        GovernanceContainer,
        settings=settings,
        custom_auth=custom_auth,
        clock=clock,
        ids=ids,
        redis=redis,
        directory=directory,
        catalog=catalog,
        alerts=alerts,
    )
    governance_runtime = providers.Selector(
        providers.Callable(governance_mode, settings.provided.master_key),
        on=governance.runtime,
        off=providers.Singleton(open_gateway, custom_auth),
    )
    auth = governance_runtime.provided.auth
    custom_hooks = providers.Singleton(load_call_hooks, settings.provided.config.litellm_settings.call_hooks)
    hooks = providers.Singleton(call_pipeline, governance_runtime, observability, custom_hooks)

    # the response cache (litellm_settings.cache); every part is None when it is off
    cache_redis = providers.Resource(open_cache_redis, settings.provided.cache, redis)
    cache_backend = providers.Resource(open_response_cache, settings.provided.cache, cache_redis, clock)
    cache_vectors = providers.Resource(open_vector_index, settings.provided.cache, cache_redis, clock)
    cache_store = providers.Singleton(build_cache_store, cache_backend, clock)
    embedding_cache = providers.Singleton(build_embedding_cache, settings.provided.cache, cache_store)
    # Every call, whatever its endpoint, goes through the one call path (application/call_path.py).
    call_path = providers.Singleton(CallPath, router=router, clock=clock, hooks=hooks, defaults=settings.provided.chat)
    embeddings = providers.Singleton(
        EmbeddingService, path=call_path, providers=registry, catalog=catalog, cache=embedding_cache
    )
    chat_cache = providers.Singleton(
        build_chat_cache, settings.provided.cache, cache_store, cache_vectors, embeddings, clock
    )
    chat = providers.Singleton(
        ChatService, path=call_path, providers=registry, tokens=tokens, catalog=catalog, cache=chat_cache
    )
    completions = providers.Singleton(
        CompletionService, path=call_path, providers=registry, chat=chat, tokens=tokens, catalog=catalog
    )
    # the Responses door: stored responses in the governance database, else in memory
    response_store = providers.Singleton(response_store_of, governance_runtime)
    responses = providers.Singleton(
        ResponsesService,
        path=call_path,
        providers=registry,
        chat=chat,
        tokens=tokens,
        store=response_store,
        clock=clock,
        ids=ids,
        pricing=providers.Factory(Pricing, catalog),
        retention=settings.provided.config.general_settings.responses_retention_seconds,
    )
    images = providers.Singleton(ImageService, path=call_path, providers=registry)
    transcriptions = providers.Singleton(TranscriptionService, path=call_path, providers=registry)
    speech = providers.Singleton(SpeechService, path=call_path, providers=registry)
    messages = providers.Singleton(
        MessagesService, path=call_path, natives=registry, chat=chat, tokens=tokens, catalog=catalog
    )
    models = providers.Singleton(model_lister, directory)

    # deployment health checks (GET /health, general_settings.background_health_checks): bootstrap/health.py
    health = providers.Singleton(
        build_health_service, settings, directory, registry, clock, router.provided.health_result
    )
    health_checks = providers.Resource(open_health_checks, settings, health)
    readiness = providers.Singleton(
        readiness_check, governance_runtime, redis, providers.Callable(len, settings.provided.deployments)
    )

    # What each door is given: the gateway's handlers and the facade's client.
    http_services = providers.Singleton(
        http_services,
        chat=chat,
        embeddings=embeddings,
        auth=auth,
        models=models,
        readiness=readiness,
        max_body_bytes=settings.provided.max_body_bytes,
        completions=completions,
        images=images,
        transcriptions=transcriptions,
        speech=speech,
        messages=messages,
        responses=responses,
        health=health_checks,
        governance=governance_runtime.provided.services,
        access=providers.Singleton(http_access, settings, clock),
    )
    sdk_services = providers.Singleton(
        SdkServices,
        chat=chat,
        embeddings=embeddings,
        models=models,
        completions=completions,
        images=images,
        transcriptions=transcriptions,
        speech=speech,
        messages=messages,
        responses=responses,
    )


def build_container(settings: RuntimeSettings) -> Container:
    return Container(settings=settings)


async def stop(container: Container) -> None:
    """Close every resource that was opened, each after every resource that depends on it
    (dependency-injector's own ``shutdown_resources`` looks at direct dependencies only, so a
    resource reached through a singleton or a sub-container could close first)."""
    opened = [r for r in container.traverse(types=[providers.Resource]) if r.initialized]
    needs = {id(r): {id(p) for p in r.traverse(types=[providers.Provider])} for r in opened}
    while opened:
        free = [r for r in opened if not any(id(r) in needs[id(o)] for o in opened if o is not r)]
        if not free:
            raise RuntimeError("the container's resources depend on each other in a cycle")
        for resource in free:
            if (pending := resource.shutdown()) is not None:
                await pending
        opened = [r for r in opened if r.initialized]
