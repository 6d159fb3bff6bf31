"""Anthropic's Messages API spoken natively to Bedrock Claude through InvokeModel (pure).

- Which deployments: a Claude model (``anthropic.claude-...``, with a region prefix such as
  ``us.``, or under LiteLLM's ``invoke/`` route). A ``converse/`` route asks for the Converse API,
  so its deployments stay translated (through chat, then Converse), as do other model families.
- The request: the caller's Messages body unchanged, less ``model`` (it is in the URL) and
  ``stream`` (the operation says it: ``invoke`` or ``invoke-with-response-stream``), plus
  ``anthropic_version: bedrock-2023-05-31`` and the ``anthropic-beta`` header's betas as the
  ``anthropic_beta`` list. Reference:
  https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
- The whole answer is Anthropic's ``Message`` JSON, relayed as it came.
- The stream is AWS event-stream framing: each ``chunk`` event's payload is
  ``{"bytes": "<base64 of one Anthropic stream event's JSON>"}``; ``ChunkRelay`` turns them into
  Anthropic's SSE (``event: <type>`` / ``data: <json>``). The last event carries Bedrock's
  ``amazon-bedrock-invocationMetrics`` (token counts), taken out of the event (it is no part of
  Anthropic's format) and read for usage when the events themselves gave none.
- ``count_tokens`` goes to Bedrock's CountTokens (``/model/{id}/count-tokens``) with the invoke
  body as a string: ``{"input": {"invokeModel": {"body": "..."}}}`` -> ``{"inputTokens": n}``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.bedrock.errors import error_from_stream_exception
from switchboard.adapters.outbound.providers.bedrock.eventstream import EventMessage
from switchboard.adapters.outbound.providers.bedrock.target import bare_model
from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.anthropic_messages.native import MessagesMeter

BEDROCK_VERSION = "bedrock-2023-05-31"
METRICS = "amazon-bedrock-invocationMetrics"
_CONVERSE_ROUTE = "converse/"
_INVOKE_ROUTE = "invoke/"
_LEFT_OUT = frozenset({"model", "stream", "anthropic_version"})
# Bedrock's metrics -> Anthropic's usage fields, for what the events did not report.
_METRIC_USAGE = (
    ("inputTokenCount", "input_tokens"),
    ("outputTokenCount", "output_tokens"),
    ("cacheReadInputTokenCount", "cache_read_input_tokens"),
    ("cacheWriteInputTokenCount", "cache_creation_input_tokens"),
)


def speaks_messages(model: str) -> bool:
    """Whether a ``bedrock/<model>`` deployment is a Claude model reached through InvokeModel."""
    if model.startswith(_CONVERSE_ROUTE):
        return False
    return bare_model(model.removeprefix(_INVOKE_ROUTE)).startswith("anthropic.claude")


def _betas(headers: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip()))


def invoke_body(body: Mapping[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """The InvokeModel body for a Messages request (see the module docstring)."""
    wire: dict[str, Any] = {"anthropic_version": BEDROCK_VERSION}
    wire.update((name, value) for name, value in body.items() if name not in _LEFT_OUT)
    betas = _betas(headers)
    if betas:
        wire["anthropic_beta"] = betas
    return wire


def read_message(answer: bytes, meter: MessagesMeter) -> None:
    """A whole answer's usage and text, into ``meter`` (an answer that is not JSON: nothing)."""
    try:
        meter.read_message(orjson.loads(answer))
    except orjson.JSONDecodeError:
        return


def count_tokens_body(body: Mapping[str, Any], headers: Mapping[str, str]) -> bytes:
    """The CountTokens request for a ``count_tokens`` body (InvokeModel needs ``max_tokens``;
    a count does not depend on it)."""
    wire = invoke_body(body, headers)
    wire.setdefault("max_tokens", 1)
    return orjson.dumps({"input": {"invokeModel": {"body": orjson.dumps(wire).decode()}}})


def input_tokens(answer: bytes) -> int | None:
    """CountTokens' ``inputTokens``, or ``None`` when the answer does not carry one."""
    try:
        count = orjson.loads(answer).get("inputTokens")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


class ChunkRelay:
    """Feed each event-stream message of an InvokeModelWithResponseStream answer; get the SSE
    bytes of the Anthropic events it carries (``call.meter`` read as they pass). An exception
    message raises its domain error; an unreadable chunk raises ``UpstreamProtocolError``."""

    __slots__ = ("_deployment", "_meter", "_provider", "_secrets")

    def __init__(
        self,
        meter: MessagesMeter,
        *,
        provider: str = "bedrock",
        deployment: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self._meter = meter
        self._provider = provider
        self._deployment = deployment
        self._secrets = tuple(secrets)

    def feed(self, message: EventMessage) -> bytes:
        kind = message.header(":message-type")
        if kind == "exception":
            raise self._failure(message.header(":exception-type"), message.payload)
        if kind == "error":
            error_message = orjson.dumps({"message": message.header(":error-message")})
            raise self._failure(message.header(":error-code"), error_message)
        if message.header(":event-type") != "chunk":
            return b""  # events newer than this relay
        try:
            data = base64.b64decode(orjson.loads(message.payload)["bytes"], validate=True)
            event = orjson.loads(data)
            name = event["type"]
        except (orjson.JSONDecodeError, binascii.Error, KeyError, TypeError, ValueError) as exc:
            raise protocol_error(self._provider, "a stream chunk we could not read", self._deployment) from exc
        if not isinstance(name, str) or not isinstance(event, dict):
            raise protocol_error(self._provider, "a stream chunk we could not read", self._deployment)
        metrics = event.pop(METRICS, None)
        self._meter.read_event(event)
        if metrics is not None:
            self._read_metrics(metrics)
            data = orjson.dumps(event)
        elif b"\n" in data or b"\r" in data:
            data = orjson.dumps(event)  # one SSE data line
        return b"event: " + name.encode() + b"\ndata: " + data + b"\n\n"

    def _read_metrics(self, metrics: Any) -> None:
        if not isinstance(metrics, dict):
            return
        usage = self._meter.usage
        for metric, field in _METRIC_USAGE:
            value = metrics.get(metric)
            if field not in usage and isinstance(value, int):
                usage[field] = value

    def _failure(self, exception_type: str, payload: bytes) -> Exception:
        return error_from_stream_exception(
            exception_type, payload, provider=self._provider, deployment=self._deployment, secrets=self._secrets
        )
