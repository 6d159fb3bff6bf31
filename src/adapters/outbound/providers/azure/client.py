"""The Azure providers: OpenAI's wire format at Azure's addresses, with Azure's credentials.

``AzureOpenAIProvider`` (``azure/<deployment>``) serves every endpoint; ``AzureAIProvider``
(``azure_ai/<deployment>``) serves chat and embeddings on Azure AI Foundry's OpenAI-style
inference endpoint. Both reuse ``OpenAIProvider`` for bodies, streams and answers and override
where requests go (``_resolve_target``), how errors read (Azure's ``error_from_response``) and
what a stream chunk is (``_chunk_decoder``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from switchboard.adapters.outbound.providers.access import extra_headers
from switchboard.adapters.outbound.providers.azure.addresses import (
    DEFAULT_API_VERSION,
    Address,
    azure_ai_address,
    azure_openai_address,
)
from switchboard.adapters.outbound.providers.azure.auth import (
    AccessToken,
    ApiKey,
    ClientCredentials,
    Credential,
    StaticToken,
    azure_credential,
    token_from_reply,
)
from switchboard.adapters.outbound.providers.azure.errors import error_from_response
from switchboard.adapters.outbound.providers.azure.stream import AzureChunkDecoder
from switchboard.adapters.outbound.providers.failures import transport_failures
from switchboard.adapters.outbound.providers.openai.client import (
    ChunkDecoder,
    OpenAIProvider,
    Target,
)
from switchboard.adapters.outbound.providers.upstream import Endpoint
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.clock import Clock

# What Foundry's model inference API documents for chat (other models' extras need a header).
AZURE_AI_CHAT_PARAMS = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "max_tokens",
        "response_format",
        "seed",
        "stop",
        "temperature",
        "top_p",
        "tools",
        "tool_choice",
        "modalities",
    }
)


class EntraTokens:
    """Client-credentials tokens from Entra ID, cached per principal until shortly before they
    expire. Callers who need a token at the same time share one request for it."""

    def __init__(self, transport: Transport, clock: Clock, provider: str) -> None:
        self._transport = transport
        self._clock = clock
        self._provider = provider
        self._tokens: dict[ClientCredentials, AccessToken] = {}
        self._locks: dict[ClientCredentials, asyncio.Lock] = {}

    async def token(self, principal: ClientCredentials, deployment: str) -> str:
        cached = self._tokens.get(principal)
        if cached is not None and cached.fresh(self._clock.monotonic()):
            return cached.value
        lock = self._locks.setdefault(principal, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(principal)
            if cached is not None and cached.fresh(self._clock.monotonic()):
                return cached.value
            async with transport_failures(self._provider, deployment):
                reply = await self._transport.send(
                    "POST",
                    principal.token_url,
                    headers={"content-type": "application/x-www-form-urlencoded"},
                    body=principal.form(),
                    timeout=30.0,
                )
            token = token_from_reply(
                reply.status,
                reply.body,
                self._clock.monotonic(),
                provider=self._provider,
                deployment=deployment,
                secrets=(principal.client_secret,),
            )
            self._tokens[principal] = token
            return token.value


class AzureOpenAIProvider(OpenAIProvider):
    """Azure OpenAI: ``api_base`` (or ``AZURE_API_BASE``), ``api_version`` (or
    ``AZURE_API_VERSION``, default ``DEFAULT_API_VERSION``), and a key or Entra ID credential."""

    key_env = "AZURE_API_KEY"
    base_env = "AZURE_API_BASE"

    def __init__(
        self,
        transport: Transport,
        clock: Clock,
        *,
        name: str = "azure",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            transport,
            name=name,
            api_key_env=None,
            key_required=False,
            environ=environ,
            errors=error_from_response,
        )
        self._entra = EntraTokens(transport, clock, name)
        self._places: dict[str, tuple[Address, Credential]] = {}

    def _address(self, deployment: Deployment, api_base: str) -> Address:
        version = deployment.api_version or self._environ.get("AZURE_API_VERSION") or DEFAULT_API_VERSION
        return azure_openai_address(api_base, deployment.model, version)

    def _auth_headers(self, credential: Credential, secret: str) -> dict[str, str]:
        if isinstance(credential, ApiKey):
            return {"api-key": secret}
        return {"authorization": f"Bearer {secret}"}

    def _place(self, deployment: Deployment) -> tuple[Address, Credential]:
        place = self._places.get(deployment.id)
        if place is None:
            api_base = deployment.api_base or self._environ.get(self.base_env, "")
            if not api_base:
                raise BadRequest(
                    f"No api_base for {self.name} deployment '{deployment.model_name}': set api_base "
                    f"(https://NAME.openai.azure.com) or {self.base_env}.",
                    provider=self.name,
                    deployment=deployment.id,
                )
            credential = azure_credential(deployment, self._environ, provider=self.name, key_env=self.key_env)
            place = self._places[deployment.id] = (self._address(deployment, api_base), credential)
        return place

    async def _resolve_target(self, deployment: Deployment) -> Target:
        address, credential = self._place(deployment)
        match credential:
            case ApiKey(key=secret) | StaticToken(token=secret):
                pass
            case ClientCredentials():
                secret = await self._entra.token(credential, deployment.id)
        target = self._targets.get(deployment.id)
        if target is None or target.key != secret:  # a renewed token makes a new target
            headers = {"content-type": "application/json", **self._auth_headers(credential, secret)}
            headers.update(extra_headers(deployment))
            target = self._targets[deployment.id] = Target(address.base, headers, secret, address.query)
        return target

    def _chunk_decoder(self, deployment: Deployment) -> ChunkDecoder:
        return AzureChunkDecoder(self.name, deployment.id)

    async def _responses_endpoint(self, deployment: Deployment) -> Endpoint:
        # Responses live beside the deployments, not under one: {root}/openai/responses (the
        # deployment is named in the body's model), or {root}/openai/v1/responses.
        target = await self._resolve_target(deployment)
        base = target.base
        cut = base.find("/openai/deployments/")
        if cut >= 0:
            base = base[:cut] + "/openai"
        return Endpoint(base + "/responses" + target.query, target.headers, (target.key,))


class AzureAIProvider(AzureOpenAIProvider):
    """Azure AI Foundry's OpenAI-style inference (``https://NAME.services.ai.azure.com/models``
    or a serverless ``https://ENDPOINT.REGION.models.ai.azure.com``): chat and embeddings, the
    deployment named in the body, the key sent as ``api-key`` and as a bearer token."""

    key_env = "AZURE_AI_API_KEY"
    base_env = "AZURE_AI_API_BASE"

    def __init__(self, transport: Transport, clock: Clock, *, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(transport, clock, name="azure_ai", environ=environ)

    def _address(self, deployment: Deployment, api_base: str) -> Address:
        return azure_ai_address(api_base, deployment.api_version)

    def _auth_headers(self, credential: Credential, secret: str) -> dict[str, str]:
        # Serverless endpoints read the bearer token, Foundry resources the api-key header.
        headers = {"authorization": f"Bearer {secret}"}
        if isinstance(credential, ApiKey):
            headers["api-key"] = secret
        return headers
