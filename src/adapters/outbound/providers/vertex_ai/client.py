"""``VertexProvider``: Gemini models on Vertex AI, with OAuth tokens from Google credentials, and
the Anthropic Messages door's requests sent natively to Claude there (``claude.py``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.access import extra_headers
from switchboard.adapters.outbound.providers.anthropic.relay import MeteredEvents, read_message
from switchboard.adapters.outbound.providers.failures import protocol_error, transport_failures
from switchboard.adapters.outbound.providers.gemini.client import GenerateContentClient
from switchboard.adapters.outbound.providers.gemini.embeddings import (
    predict_body,
    predict_vectors,
    task_type,
    texts_of,
)
from switchboard.adapters.outbound.providers.gemini.urls import model_id
from switchboard.adapters.outbound.providers.upstream import Endpoint
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.adapters.outbound.providers.vertex_ai import claude
from switchboard.adapters.outbound.providers.vertex_ai.credentials import (
    Credentials,
    is_inline_json,
    parse_credentials,
)
from switchboard.adapters.outbound.providers.vertex_ai.tokens import AccessTokens
from switchboard.adapters.outbound.providers.vertex_ai.urls import (
    DEFAULT_LOCATION,
    express_prefix,
    vertex_prefix,
    vertex_url,
)
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.errors import AuthenticationError, BadRequest
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.messages import MessagesCall
from switchboard.domain.ports.providers import EmbeddingCall
from switchboard.domain.ports.tokens import TokenCounter

# Instances per predict call: Gemini embedding models take one, the text-embedding models 250.
_PREDICT_BATCH = 250


@dataclass(frozen=True, slots=True)
class _Target:
    prefix: str
    headers: dict[str, str]
    tokens: AccessTokens
    project: str
    location: str


def _setting(deployment: Deployment, *names: str) -> Any:
    """A ``litellm_params`` value under any of LiteLLM's names for it."""
    return next((value for name in names if (value := deployment.params.get(name))), None)


class VertexProvider(GenerateContentClient):
    """Vertex AI: chat over ``generateContent``, embeddings over ``predict``.

    Per deployment (``litellm_params``, LiteLLM's names): ``vertex_project``, ``vertex_location``
    and ``vertex_credentials`` (a credential file's path or its JSON text), falling back to
    ``VERTEXAI_PROJECT``, ``VERTEXAI_LOCATION`` (else ``us-central1``) and
    ``GOOGLE_APPLICATION_CREDENTIALS`` (else gcloud's application-default login); the project
    defaults to the credential's own. Deployments sharing a credential share its tokens. A
    deployment with an ``api_key`` uses express mode (the key in ``x-goog-api-key``; no project,
    credentials or tokens).
    """

    def __init__(
        self,
        transport: Transport,
        clock: Clock,
        ids: IdSource,
        tokens: TokenCounter,
        *,
        environ: Mapping[str, str] | None = None,
        name: str = "vertex_ai",
        read_file: Callable[[str], str] = lambda path: Path(path).read_text(),
    ) -> None:
        super().__init__(transport, clock, ids, tokens, name=name)
        self._environ = os.environ if environ is None else environ
        self._read_file = read_file
        self._targets: dict[str, _Target] = {}
        self._access: dict[str, AccessTokens] = {}
        self._express: dict[tuple[str, str], Endpoint] = {}

    async def _endpoint(self, deployment: Deployment, method: str) -> Endpoint:
        if deployment.key:
            return self._express_endpoint(deployment, method)
        target = self._targets.get(deployment.id) or await self._new_target(deployment)
        token = await target.tokens.get()
        headers = {**target.headers, "authorization": f"Bearer {token}"}
        return Endpoint(vertex_url(target.prefix, method), headers, (token,))

    def _express_endpoint(self, deployment: Deployment, method: str) -> Endpoint:
        endpoint = self._express.get((deployment.id, method))
        if endpoint is None:
            prefix = express_prefix(deployment.api_base, deployment.api_version, deployment.model)
            headers = {
                "content-type": "application/json",
                **extra_headers(deployment),
                "x-goog-api-key": deployment.key,
            }
            endpoint = Endpoint(vertex_url(prefix, method), headers, (deployment.key,))
            self._express[(deployment.id, method)] = endpoint
        return endpoint

    async def _new_target(self, deployment: Deployment) -> _Target:
        credentials = await self._credentials(deployment)
        project = (
            _setting(deployment, "vertex_project", "vertex_ai_project")
            or self._environ.get("VERTEXAI_PROJECT")
            or credentials.project
        )
        if not project:
            raise AuthenticationError(
                f"{self.name}: no Google Cloud project: set vertex_project on the deployment or "
                "the VERTEXAI_PROJECT environment variable.",
                provider=self.name,
                deployment=deployment.id,
            )
        location = (
            _setting(deployment, "vertex_location", "vertex_ai_location")
            or self._environ.get("VERTEXAI_LOCATION")
            or DEFAULT_LOCATION
        )
        access = self._access.get(credentials.identity)
        if access is None:
            access = self._access[credentials.identity] = AccessTokens(
                credentials, self._transport, self._clock, provider=self.name
            )
        prefix = vertex_prefix(deployment.api_base, deployment.api_version, project, location, deployment.model)
        headers = {"content-type": "application/json", **extra_headers(deployment)}
        target = self._targets[deployment.id] = _Target(prefix, headers, access, project, location)
        return target

    async def _credentials(self, deployment: Deployment) -> Credentials:
        value = _setting(deployment, "vertex_credentials", "vertex_ai_credentials")
        if isinstance(value, Mapping) or (isinstance(value, str) and is_inline_json(value)):
            return parse_credentials(value, self.name)
        path = value or self._environ.get("GOOGLE_APPLICATION_CREDENTIALS") or self._gcloud_file()
        if not path:
            raise self._no_credentials(deployment)
        try:
            text = await asyncio.to_thread(self._read_file, str(path))
        except OSError as exc:
            if not value and not self._environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
                raise self._no_credentials(deployment) from None  # no gcloud login either
            raise AuthenticationError(
                f"{self.name}: cannot read the credentials file {path}: {exc.strerror}",
                provider=self.name,
                deployment=deployment.id,
            ) from None
        return parse_credentials(text, self.name)

    def _gcloud_file(self) -> str | None:
        """Where ``gcloud auth application-default login`` leaves user credentials."""
        directory = self._environ.get("CLOUDSDK_CONFIG")
        if not directory and (home := self._environ.get("HOME")):
            directory = f"{home}/.config/gcloud"
        return f"{directory}/application_default_credentials.json" if directory else None

    def _no_credentials(self, deployment: Deployment) -> AuthenticationError:
        return AuthenticationError(
            f"{self.name}: no Google credentials: set vertex_credentials on the deployment or the "
            "GOOGLE_APPLICATION_CREDENTIALS environment variable, or run "
            "'gcloud auth application-default login'.",
            provider=self.name,
            deployment=deployment.id,
        )

    # --- Messages, natively: Claude's rawPredict ------------------------------------------------

    async def _claude(self, call: MessagesCall, model: str, method: str) -> Endpoint:
        """``publishers/anthropic/models/{model}:{method}``, with the caller's betas."""
        deployment = call.deployment
        if deployment.key:
            raise BadRequest(
                f"{self.name}: Claude on Vertex AI needs Google credentials, not an API key (express mode).",
                param="api_key",
                provider=self.name,
                deployment=deployment.id,
            )
        target = self._targets.get(deployment.id) or await self._new_target(deployment)
        token = await target.tokens.get()
        prefix = vertex_prefix(
            deployment.api_base, deployment.api_version, target.project, target.location, model, "anthropic"
        )
        headers = {**target.headers, "authorization": f"Bearer {token}"}
        beta = call.headers.get("anthropic-beta")
        if beta:
            headers["anthropic-beta"] = beta
        return Endpoint(vertex_url(prefix, method), headers, (token,))

    async def send_messages(self, call: MessagesCall) -> bytes:
        deployment = call.deployment
        endpoint = await self._claude(call, deployment.model, "rawPredict")
        body = orjson.dumps(claude.raw_predict_body(call.body))
        reply = await self._upstream.post(endpoint, body, call.timeout, deployment.id)
        read_message(reply.body, call.meter)
        return reply.body

    @asynccontextmanager
    async def stream_messages(self, call: MessagesCall) -> AsyncIterator[AsyncIterator[bytes]]:
        deployment = call.deployment
        endpoint = await self._claude(call, deployment.model, "streamRawPredict")
        body = orjson.dumps(claude.raw_predict_body(call.body))
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            yield self._relay(reply.chunks(), MeteredEvents(call.meter), deployment.id)

    async def _relay(self, raw: AsyncIterator[bytes], meter: MeteredEvents, deployment_id: str) -> AsyncIterator[bytes]:
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                meter.feed(data)
                yield data
        meter.flush()

    async def count_message_tokens(self, call: MessagesCall) -> int:
        deployment = call.deployment
        endpoint = await self._claude(call, claude.COUNT_TOKENS_MODEL, "rawPredict")
        body = orjson.dumps(claude.count_tokens_body(call.body, deployment.model))
        reply = await self._upstream.post(endpoint, body, call.timeout, deployment.id)
        try:
            count = orjson.loads(reply.body)["input_tokens"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise protocol_error(self.name, "a token count we could not read", deployment.id) from exc
        if not isinstance(count, int):
            raise protocol_error(self.name, "a token count we could not read", deployment.id)
        return count

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        request = call.request
        texts = texts_of(request)
        model = model_id(deployment.model)
        size = 1 if model.startswith("gemini") else _PREDICT_BATCH
        task = task_type(request, deployment.params)
        bodies = [
            orjson.dumps(predict_body(texts[i : i + size], request.dimensions, task))
            for i in range(0, len(texts), size)
        ]
        endpoint = await self._endpoint(deployment, "predict")
        try:
            async with asyncio.TaskGroup() as group:
                calls = [
                    group.create_task(self._upstream.post(endpoint, body, call.timeout, deployment.id))
                    for body in bodies
                ]
        except ExceptionGroup as failed:  # the first failure speaks for the call; the rest were cancelled
            raise failed.exceptions[0] from None
        vectors: list[list[float]] = []
        counted: int | None = None
        for task_call in calls:
            payload = self._parsed(task_call.result().body, deployment, "a predict response")
            found, tokens = predict_vectors(payload, self.name)
            vectors.extend(found)
            if tokens is not None:
                counted = (counted or 0) + tokens
        if len(vectors) != len(texts):
            raise protocol_error(self.name, f"{len(vectors)} embeddings for {len(texts)} inputs", deployment.id)
        prompt = counted if counted is not None else self._estimate(texts, model)
        return to_embedding_response(vectors, deployment.model, prompt, request.encoding_format)
