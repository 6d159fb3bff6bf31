"""AnthropicProvider: the I/O shell around the pure Anthropic Messages mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.access import api_key, extra_headers, missing_key
from switchboard.adapters.outbound.providers.anthropic.capabilities import rules
from switchboard.adapters.outbound.providers.anthropic.errors import error_from_response
from switchboard.adapters.outbound.providers.anthropic.relay import MeteredEvents, forwarded_headers, read_message
from switchboard.adapters.outbound.providers.anthropic.request import (
    DEFAULT_MAX_TOKENS,
    WireSettings,
    to_wire,
)
from switchboard.adapters.outbound.providers.anthropic.response import chat_response
from switchboard.adapters.outbound.providers.anthropic.stream import AnthropicStreamDecoder
from switchboard.adapters.outbound.providers.failures import protocol_error, transport_failures
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.messages import MessagesCall
from switchboard.domain.ports.providers import ChatCall

DEFAULT_API_BASE = "https://api.anthropic.com"
API_KEY_ENV = "ANTHROPIC_API_KEY"
_REQUEST_DEFAULTS = frozenset(
    {"max_tokens", "temperature", "top_p", "top_k", "stop", "reasoning_effort", "thinking", "n"}
)


@dataclass(frozen=True, slots=True)
class _Target:
    messages: Endpoint
    settings: WireSettings
    count_tokens: Endpoint


def messages_url(api_base: str | None) -> str:
    """``https://api.anthropic.com`` (or ``.../v1``, or the full path) -> the Messages endpoint."""
    base = (api_base or DEFAULT_API_BASE).rstrip("/")
    if base.endswith("/v1/messages"):
        return base
    return base + ("/messages" if base.endswith("/v1") else "/v1/messages")


def _betas(value: Any) -> str:
    return ",".join(value) if isinstance(value, list | tuple) else str(value)


class AnthropicProvider:
    """Chat (JSON and SSE) over Anthropic's Messages API.

    The key comes from the deployment, else ``ANTHROPIC_API_KEY``, and is sent as ``x-api-key``.
    ``anthropic-version`` is the deployment's ``api_version`` (or ``anthropic_version`` param),
    else the model's default (``capabilities.py``); ``anthropic_beta`` (a string or list) becomes
    the ``anthropic-beta`` header. URL, headers and settings are computed once per deployment.
    """

    name = "anthropic"

    def __init__(self, transport: Transport, clock: Clock, *, environ: Mapping[str, str] | None = None) -> None:
        self._upstream = Upstream(transport, self.name, error_from_response)
        self._clock = clock
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, _Target] = {}

    def _target(self, deployment: Deployment) -> _Target:
        target = self._targets.get(deployment.id)
        if target is not None:
            return target
        params = deployment.params
        key = api_key(deployment, self._environ, (API_KEY_ENV,))
        if not key:
            raise missing_key(self.name, deployment.id, API_KEY_ENV)
        version = str(
            deployment.api_version or params.get("anthropic_version") or rules(deployment.model).default_api_version
        )
        headers = {"content-type": "application/json", "x-api-key": key, "anthropic-version": version}
        if params.get("anthropic_beta"):
            headers["anthropic-beta"] = _betas(params["anthropic_beta"])
        headers.update(extra_headers(deployment))
        info_limit = deployment.model_info.get("max_output_tokens")
        settings = WireSettings(
            model=deployment.model,
            api_version=version,
            defaults={k: v for k, v in params.items() if k in _REQUEST_DEFAULTS},
            max_tokens=info_limit if isinstance(info_limit, int) and info_limit > 0 else DEFAULT_MAX_TOKENS,
        )
        url = messages_url(deployment.api_base)
        endpoint = Endpoint(url, headers, (key,))
        count = Endpoint(url + "/count_tokens", headers, (key,))
        target = self._targets[deployment.id] = _Target(endpoint, settings, count)
        return target

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        wire = to_wire(call.request, target.settings, stream=False)
        reply = await self._upstream.post(target.messages, orjson.dumps(wire.body), call.timeout, deployment.id)
        return chat_response(reply.body, created=int(self._clock.now()), response_tool=wire.response_tool)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        wire = to_wire(call.request, target.settings, stream=True)
        body = orjson.dumps(wire.body)
        async with self._upstream.stream(target.messages, body, call.idle_timeout, deployment.id) as reply:
            decoder = AnthropicStreamDecoder(
                model=deployment.model,
                created=int(self._clock.now()),
                response_tool=wire.response_tool,
                deployment=deployment.id,
            )
            yield self._chunks(reply.chunks(), decoder, deployment.id)

    async def _chunks(
        self, raw: AsyncIterator[bytes], decoder: AnthropicStreamDecoder, deployment_id: str
    ) -> AsyncIterator[ChatChunk]:
        events = SseDecoder()
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                for event in events.feed(data):
                    for chunk in decoder.feed(event):
                        yield chunk
        for event in events.flush():
            for chunk in decoder.feed(event):
                yield chunk
        for chunk in decoder.finish():
            yield chunk

    # --- Messages, natively: the caller's body, relayed ------------------------------------------

    def _native(self, call: MessagesCall, endpoint: Endpoint) -> Endpoint:
        if not call.headers:
            return endpoint
        return Endpoint(endpoint.url, forwarded_headers(endpoint.headers, call.headers), endpoint.secrets)

    async def send_messages(self, call: MessagesCall) -> bytes:
        deployment = call.deployment
        endpoint = self._native(call, self._target(deployment).messages)
        reply = await self._upstream.post(endpoint, orjson.dumps(call.body), call.timeout, deployment.id)
        read_message(reply.body, call.meter)
        return reply.body

    @asynccontextmanager
    async def stream_messages(self, call: MessagesCall) -> AsyncIterator[AsyncIterator[bytes]]:
        deployment = call.deployment
        endpoint = self._native(call, self._target(deployment).messages)
        body = orjson.dumps(call.body)
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
        endpoint = self._native(call, self._target(deployment).count_tokens)
        reply = await self._upstream.post(endpoint, orjson.dumps(call.body), call.timeout, deployment.id)
        try:
            count = orjson.loads(reply.body)["input_tokens"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise protocol_error(self.name, "a token count we could not read") from exc
        if not isinstance(count, int):
            raise protocol_error(self.name, "a token count we could not read")
        return count
