"""AnthropicProvider: the I/O shell around the pure Anthropic Messages mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson

from adapters.outbound.providers.anthropic.capabilities import rules
from adapters.outbound.providers.anthropic.errors import error_from_response
from adapters.outbound.providers.anthropic.request import (
    DEFAULT_MAX_TOKENS,
    WireSettings,
    chat_params,
    to_wire,
)
from adapters.outbound.providers.anthropic.response import chat_response
from adapters.outbound.providers.anthropic.stream import AnthropicStreamDecoder
from adapters.outbound.providers.failures import transport_failures
from adapters.outbound.providers.sse import SseDecoder
from adapters.outbound.transport import Transport
from domain.chat import ChatChunk, ChatResponse
from domain.deployments import Deployment
from domain.errors import AuthenticationError
from domain.ports.clock import Clock
from domain.ports.providers import ChatCall

DEFAULT_API_BASE = "https://api.anthropic.com"
API_KEY_ENV = "ANTHROPIC_API_KEY"
_REQUEST_DEFAULTS = frozenset(
    {"max_tokens", "temperature", "top_p", "top_k", "stop", "reasoning_effort", "thinking", "n"}
)


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    headers: dict[str, str]
    key: str
    settings: WireSettings


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
        self._transport = transport
        self._clock = clock
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, _Target] = {}

    def supported_params(self, model: str) -> frozenset[str]:
        return chat_params(model)

    def _target(self, deployment: Deployment) -> _Target:
        target = self._targets.get(deployment.id)
        if target is not None:
            return target
        params = deployment.params
        key = deployment.key or self._environ.get(API_KEY_ENV, "")
        if not key:
            raise AuthenticationError(
                f"No API key for anthropic: set api_key on the deployment or the {API_KEY_ENV} environment variable.",
                provider=self.name,
                deployment=deployment.id,
            )
        version = str(
            deployment.api_version or params.get("anthropic_version") or rules(deployment.model).default_api_version
        )
        headers = {"content-type": "application/json", "x-api-key": key, "anthropic-version": version}
        if params.get("anthropic_beta"):
            headers["anthropic-beta"] = _betas(params["anthropic_beta"])
        extra = params.get("extra_headers") or params.get("headers")
        if isinstance(extra, Mapping):
            headers.update({str(k).lower(): str(v) for k, v in extra.items()})
        info_limit = deployment.model_info.get("max_output_tokens")
        settings = WireSettings(
            model=deployment.model,
            api_version=version,
            defaults={k: v for k, v in params.items() if k in _REQUEST_DEFAULTS},
            max_tokens=info_limit if isinstance(info_limit, int) and info_limit > 0 else DEFAULT_MAX_TOKENS,
        )
        target = self._targets[deployment.id] = _Target(messages_url(deployment.api_base), headers, key, settings)
        return target

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        wire = to_wire(call.request, target.settings, stream=False)
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send(
                "POST", target.url, headers=target.headers, body=orjson.dumps(wire.body), timeout=call.timeout
            )
        if reply.status >= 400:
            raise error_from_response(
                reply.status,
                reply.headers,
                reply.body,
                provider=self.name,
                deployment=deployment.id,
                secrets=(target.key,),
            )
        return chat_response(reply.body, created=int(self._clock.now()), response_tool=wire.response_tool)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        wire = to_wire(call.request, target.settings, stream=True)
        async with (
            transport_failures(self.name, deployment.id),
            self._transport.stream(
                "POST",
                target.url,
                headers=target.headers,
                body=orjson.dumps(wire.body),
                idle_timeout=call.idle_timeout,
            ) as reply,
        ):
            if reply.status >= 400:
                raise error_from_response(
                    reply.status,
                    reply.headers,
                    await reply.read(),
                    provider=self.name,
                    deployment=deployment.id,
                    secrets=(target.key,),
                )
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
