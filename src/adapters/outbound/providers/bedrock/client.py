"""BedrockProvider: the I/O shell around the pure Converse and InvokeModel mapping (and the
Anthropic Messages door's requests sent natively to Claude through InvokeModel, ``messages.py``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import quote

import orjson

from switchboard.adapters.outbound.providers.bedrock import embeddings as embedding_wire
from switchboard.adapters.outbound.providers.bedrock.credentials import RequestSigner
from switchboard.adapters.outbound.providers.bedrock.errors import error_from_response
from switchboard.adapters.outbound.providers.bedrock.eventstream import EventStreamDecoder, MalformedFrame
from switchboard.adapters.outbound.providers.bedrock.messages import (
    ChunkRelay,
    count_tokens_body,
    input_tokens,
    invoke_body,
    read_message,
)
from switchboard.adapters.outbound.providers.bedrock.request import to_wire
from switchboard.adapters.outbound.providers.bedrock.response import chat_response
from switchboard.adapters.outbound.providers.bedrock.stream import ConverseStreamDecoder
from switchboard.adapters.outbound.providers.bedrock.target import Target, bare_model, resolve
from switchboard.adapters.outbound.providers.failures import protocol_error, transport_failures
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.adapters.outbound.transport import Reply, Transport
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.messages import MessagesCall
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall

# Titan embeds one text per call; this many calls run at once for a multi-input request.
EMBED_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class _Deployed:
    target: Target
    signer: RequestSigner


class BedrockProvider:
    """Chat over Converse / ConverseStream and embeddings over InvokeModel, signed with SigV4 or
    a Bedrock API key. Targets and signers are built once per deployment."""

    name = "bedrock"

    def __init__(
        self,
        transport: Transport,
        clock: Clock,
        ids: IdSource,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._upstream = Upstream(transport, self.name, error_from_response)
        self._clock = clock
        self._ids = ids
        self._environ = os.environ if environ is None else environ
        self._deployed: dict[tuple[str, str], _Deployed] = {}

    def _deployment(self, deployment: Deployment) -> _Deployed:
        # Keyed by model too: a wildcard deployment (bedrock/*) keeps its id for every model it serves.
        key = (deployment.id, deployment.model)
        deployed = self._deployed.get(key)
        if deployed is None:
            target = resolve(deployment, self._environ)
            deployed = self._deployed[key] = _Deployed(target, RequestSigner(target, self._clock))
        return deployed

    async def _post(
        self, deployed: _Deployed, operation: str, body: bytes, deployment_id: str, timeout: float | None
    ) -> Reply:
        endpoint = await self._signed(deployed, operation, body)
        return await self._upstream.post(endpoint, body, timeout, deployment_id)

    async def _signed(self, deployed: _Deployed, operation: str, body: bytes) -> Endpoint:
        """Where ``operation`` goes, with headers signed for ``body`` (SigV4 signs each request)."""
        path = deployed.target.path(operation)
        headers = await deployed.signer.headers(path, body)
        return Endpoint(deployed.target.origin + path, headers, deployed.signer.secrets)

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        deployed = self._deployment(deployment)
        wire = to_wire(call.request, deployed.target.model_id, deployment.params)
        reply = await self._post(deployed, "converse", orjson.dumps(wire.body), deployment.id, call.timeout)
        return chat_response(
            reply.body,
            response_id=self._ids.new("chatcmpl-"),
            created=int(self._clock.now()),
            model=deployed.target.model_id,
            json_tool=wire.json_tool,
            provider=self.name,
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        deployed = self._deployment(deployment)
        target = deployed.target
        wire = to_wire(call.request, target.model_id, deployment.params)
        body = orjson.dumps(wire.body)
        endpoint = await self._signed(deployed, "converse-stream", body)
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            decoder = ConverseStreamDecoder(
                response_id=self._ids.new("chatcmpl-"),
                created=int(self._clock.now()),
                model=target.model_id,
                json_tool=wire.json_tool,
                provider=self.name,
                deployment=deployment.id,
                secrets=deployed.signer.secrets,
            )
            yield self._chunks(reply.chunks(), decoder)

    async def _chunks(self, raw: AsyncIterator[bytes], decoder: ConverseStreamDecoder) -> AsyncIterator[ChatChunk]:
        frames = EventStreamDecoder()
        async with transport_failures(self.name, decoder.deployment):
            async for data in raw:
                try:
                    messages = frames.feed(data)
                except MalformedFrame as exc:
                    raise protocol_error(self.name, f"a malformed event stream ({exc})", decoder.deployment) from exc
                for message in messages:
                    for chunk in decoder.feed(message):
                        yield chunk
        for chunk in decoder.finish():
            yield chunk

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        deployed = self._deployment(deployment)
        kind = embedding_wire.family(deployed.target.model_id)
        items = embedding_wire.texts(call.request)
        if kind in ("titan", "titan-v2"):
            gate = asyncio.Semaphore(EMBED_CONCURRENCY)

            async def one(text: str) -> tuple[list[float], int]:
                body = embedding_wire.titan_body(text, kind, call.request, deployment.params)
                async with gate:
                    reply = await self._post(deployed, "invoke", body, deployment.id, call.timeout)
                return embedding_wire.titan_vector(reply.body)

            tasks = [asyncio.ensure_future(one(text)) for text in items]
            try:
                answers = await asyncio.gather(*tasks)
            finally:
                for task in tasks:  # one failure ends the request: stop the calls still running
                    task.cancel()
            vectors = [vector for vector, _ in answers]
            tokens = sum(count for _, count in answers)
        else:
            vectors, tokens = [], 0
            for body in embedding_wire.cohere_bodies(items, kind, call.request, deployment.params):
                reply = await self._post(deployed, "invoke", body, deployment.id, call.timeout)
                vectors.extend(embedding_wire.cohere_vectors(reply.body))
                tokens += int(reply.headers.get("x-amzn-bedrock-input-token-count") or 0)
        return to_embedding_response(vectors, deployed.target.model_id, tokens, call.request.encoding_format)

    # --- Messages, natively: Claude through InvokeModel ------------------------------------------

    async def send_messages(self, call: MessagesCall) -> bytes:
        deployment = call.deployment
        deployed = self._deployment(deployment)
        body = orjson.dumps(invoke_body(call.body, call.headers))
        reply = await self._post(deployed, "invoke", body, deployment.id, call.timeout)
        read_message(reply.body, call.meter)
        return reply.body

    @asynccontextmanager
    async def stream_messages(self, call: MessagesCall) -> AsyncIterator[AsyncIterator[bytes]]:
        deployment = call.deployment
        deployed = self._deployment(deployment)
        body = orjson.dumps(invoke_body(call.body, call.headers))
        endpoint = await self._signed(deployed, "invoke-with-response-stream", body)
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            relay = ChunkRelay(
                call.meter, provider=self.name, deployment=deployment.id, secrets=deployed.signer.secrets
            )
            yield self._events(reply.chunks(), relay, deployment.id)

    async def _events(self, raw: AsyncIterator[bytes], relay: ChunkRelay, deployment_id: str) -> AsyncIterator[bytes]:
        frames = EventStreamDecoder()
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                try:
                    messages = frames.feed(data)
                except MalformedFrame as exc:
                    raise protocol_error(self.name, f"a malformed event stream ({exc})", deployment_id) from exc
                events = b"".join([relay.feed(message) for message in messages])
                if events:
                    yield events

    async def count_message_tokens(self, call: MessagesCall) -> int:
        """Bedrock's CountTokens, which takes the base model id (not an inference profile)."""
        deployment = call.deployment
        deployed = self._deployment(deployment)
        target = deployed.target
        body = count_tokens_body(call.body, call.headers)
        base = target.model_path.rsplit("/", 1)[0] + "/" + quote(bare_model(target.model_id), safe="")
        path = f"{base}/count-tokens"
        headers = await deployed.signer.headers(path, body)
        endpoint = Endpoint(target.origin + path, headers, deployed.signer.secrets)
        reply = await self._upstream.post(endpoint, body, call.timeout, deployment.id)
        count = input_tokens(reply.body)
        if count is None:
            raise protocol_error(self.name, "a token count we could not read", deployment.id)
        return count
