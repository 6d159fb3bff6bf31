"""The composition root: the only place that knows which adapter implements which port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dependency_injector import containers, providers

from switchboard.adapters.outbound.persistence.responses import MemoryResponseStore
from switchboard.adapters.outbound.providers.info import ProviderDeps
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
from switchboard.application.pricing import Pricing
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
from switchboard.bootstrap.governance import GovernanceRuntime, call_pipeline, open_governance
from switchboard.bootstrap.health import build_health_service, open_health_checks
from switchboard.bootstrap.observability import open_observability
from switchboard.bootstrap.providers import build_registry
from switchboard.bootstrap.redis import open_redis
from switchboard.bootstrap.routing import catalog_lookups, open_routing_state
from switchboard.bootstrap.settings import RuntimeSettings
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.responses import ResponseStore


async def open_transport(ssl_verify: bool | str = True, kind: str = "http1") -> AsyncIterator[Transport]:
    """The process's pooled upstream client (``general_settings.upstream_transport``); closed at
    shutdown."""
    from switchboard.bootstrap.tls import upstream_tls

    tls = upstream_tls(ssl_verify)
    transport: Transport
    if kind == "aiohttp":
        from switchboard.adapters.outbound.transport.aiohttp_transport import AiohttpTransport

        transport = AiohttpTransport(ssl_context=tls)
    else:
        from switchboard.adapters.outbound.transport.http1 import Http1Transport

        transport = Http1Transport(ssl_context=tls)
    try:
        yield transport
    finally:
        await transport.aclose()


def used_providers(deployments: tuple[Deployment, ...]) -> list[str]:
    return sorted({d.provider for d in deployments})


def response_store_of(governance: GovernanceRuntime) -> ResponseStore:
    """The governance database's store when there is one, else a bounded one in memory."""
    return governance.responses if governance.responses is not None else MemoryResponseStore()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=RuntimeSettings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidIdSource)
    rng = providers.Singleton(SystemRandom)
    tokens = providers.Singleton(TiktokenCounter)
    transport = providers.Resource(
        open_transport,
        settings.provided.config.litellm_settings.ssl_verify,
        settings.provided.config.general_settings.upstream_transport,
    )
    redis = providers.Resource(open_redis, settings.provided.redis_url)

    provider_deps = providers.Singleton(ProviderDeps, transport=transport, clock=clock, ids=ids, tokens=tokens)
    registry = providers.Singleton(
        build_registry, provider_deps, providers.Callable(used_providers, settings.provided.deployments)
    )
    directory = providers.Singleton(DeploymentDirectory, settings.provided.deployments, settings.provided.aliases)

    observability = providers.Resource(open_observability, settings.provided.observability, transport, clock)
    alerts = observability.provided.alerts  # the Alerts port, for the router and governance

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
        price=lookups.provided[0],
        context_window=lookups.provided[1],
    )

    # Keys, limits, budgets, spend, custom call hooks: bootstrap/governance.py.
    governance = providers.Resource(open_governance, settings, clock, ids, redis, directory, catalog, alerts)
    hooks = providers.Singleton(call_pipeline, governance, observability)
    auth = governance.provided.auth

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
    response_store = providers.Singleton(response_store_of, governance)
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

    # deployment health checks (GET /health, general_settings.background_health_checks): bootstrap/health.py
    health = providers.Singleton(
        build_health_service, settings, directory, registry, clock, router.provided.health_result
    )
    health_checks = providers.Resource(open_health_checks, settings, health)


def build_container(settings: RuntimeSettings) -> Container:
    return Container(settings=settings)


async def start(container: Container) -> None:
    """Open every resource (the transport, Redis, governance...): the container's resources are
    async, so ``init_resources`` returns an awaitable (typed optional for sync containers)."""
    if (pending := container.init_resources()) is not None:
        await pending


async def stop(container: Container) -> None:
    """Close every resource, in the reverse order of their opening."""
    if (pending := container.shutdown_resources()) is not None:
        await pending
