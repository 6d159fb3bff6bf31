"""The composition root: the only place that knows which adapter implements which port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dependency_injector import containers, providers

from adapters.outbound.system import SystemClock, SystemRandom, UuidIdSource
from adapters.outbound.tokens import TiktokenCounter
from adapters.outbound.transport import Transport
from application.chat import ChatService
from application.deployments import DeploymentDirectory
from application.embeddings import EmbeddingService
from application.hooks import HookPipeline
from application.router import Router
from bootstrap.governance import open_governance
from bootstrap.providers import ProviderDeps, build_registry
from bootstrap.redis import open_redis
from bootstrap.settings import RuntimeSettings


async def open_transport() -> AsyncIterator[Transport]:
    """The process's pooled upstream client; closed at shutdown."""
    from adapters.outbound.transport.aiohttp_transport import AiohttpTransport

    transport = AiohttpTransport()
    try:
        yield transport
    finally:
        await transport.aclose()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=RuntimeSettings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidIdSource)
    rng = providers.Singleton(SystemRandom)
    tokens = providers.Singleton(TiktokenCounter)
    transport = providers.Resource(open_transport)
    redis = providers.Resource(open_redis, settings.provided.redis_url)

    provider_deps = providers.Singleton(
        ProviderDeps, transport=transport, clock=clock, ids=ids, tokens=tokens
    )
    registry = providers.Singleton(build_registry, provider_deps)
    directory = providers.Singleton(DeploymentDirectory, settings.provided.deployments)

    router = providers.Singleton(Router, directory, rng)
    # Keys, limits, budgets, spend (and custom hooks): see bootstrap/governance.py.
    governance = providers.Resource(open_governance, settings, clock, ids, redis, directory)
    hooks = providers.Singleton(HookPipeline, governance.provided.hooks, governance.provided.sinks)
    auth = governance.provided.auth
    chat = providers.Singleton(ChatService, router, registry, tokens, clock, hooks, settings.provided.chat)
    embeddings = providers.Singleton(
        EmbeddingService, router, registry, clock, hooks, settings.provided.chat.provided.timeout
    )


def build_container(settings: RuntimeSettings) -> Container:
    return Container(settings=settings)
