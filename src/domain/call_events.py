"""One event per call, the same for every sink: what was asked, by whom, what came back, what it cost.

``call_event`` turns a settled ``CallOutcome`` into a ``CallEvent``. It runs off the request's path
(in the event dispatcher's background task), so it may serialize messages; the request itself only
hands the outcome over.

What a sink may see is decided here, once, for every sink (``LoggingPolicy``):

- ``log_messages=False`` (``turn_off_message_logging``) withholds prompts and completions;
- ``log_key_info=False`` (``redact_user_api_key_info``) withholds the key hash and alias, user,
  team and organization;
- a request whose ``metadata`` sets ``no-log`` (or ``no_log``) to true has its prompts and
  completions withheld, whatever the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from switchboard.domain.calls import CallOutcome
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    ClientAborted,
    LimitReached,
    RequestRejected,
    SwitchboardError,
    UpstreamFailure,
)

CallStatus = Literal["success", "error", "cancelled", "incomplete", "client_aborted"]
"""``success``: answered in full. ``error``: refused or failed. ``cancelled``: the caller went away
while waiting. ``incomplete``: a stream the caller stopped reading before its end.
``client_aborted``: the HTTP client disconnected before the answer ended (before or during a
stream, or while waiting for a whole answer); the upstream request was cancelled."""

ErrorOrigin = Literal["caller", "limit", "upstream", "gateway"]
"""Whose fault a failure is: the request (``RequestRejected``), a rate limit or budget
(``LimitReached``), the provider (``UpstreamFailure``, ``AllDeploymentsFailed``), or the gateway."""

NO_LOG_KEYS = ("no-log", "no_log")

# Request parameters worth recording with a call (never credentials or routing fields).
_PARAMS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "n",
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "reasoning_effort",
    "response_format",
    "tool_choice",
    "parallel_tool_calls",
    "service_tier",
    "dimensions",
    "encoding_format",
)


@dataclass(frozen=True, slots=True)
class LoggingPolicy:
    """What every sink may see. The defaults log everything."""

    log_messages: bool = True
    log_key_info: bool = True


@dataclass(slots=True)  # not frozen: a frozen __init__ costs ~10 µs more per call; sinks treat it as read-only
class CallEvent:
    """One call as sinks record it, shared by every sink: read it, never change it. Times are
    epoch seconds; durations are seconds.

    ``input`` holds the prompt (chat messages, embedding input, completion prompt) and ``output``
    the answer (assistant messages, completion text, or the count of embeddings); both are
    ``None`` when withheld (``redacted``) or unknown (a stream's text, a failed call).
    """

    request_id: str
    kind: str
    status: CallStatus
    start_time: float
    end_time: float
    latency: float
    model_group: str
    time_to_first_token: float | None = None
    model: str | None = None  # the upstream model name the deployment calls
    response_model: str | None = None
    response_id: str | None = None
    deployment_id: str | None = None
    provider: str | None = None
    stream: bool = False
    cache_hit: bool = False
    attempted: tuple[str, ...] = ()
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float | None = None
    finish_reasons: tuple[str, ...] = ()
    error_class: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_origin: ErrorOrigin | None = None
    key_hash: str | None = None
    key_alias: str | None = None
    user_id: str | None = None
    team_id: str | None = None
    org_id: str | None = None
    end_user: str | None = None
    tags: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    input: Any = None
    output: Any = None
    redacted: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "success"

    @property
    def failed(self) -> bool:
        """Refused or failed (``error`` or ``cancelled``); an ``incomplete`` stream and a
        ``client_aborted`` call did not fail: their callers left."""
        return self.status in ("error", "cancelled")


def call_event(outcome: CallOutcome[Any, Any], end_time: float, policy: LoggingPolicy = LoggingPolicy()) -> CallEvent:
    """The event for ``outcome``, settled at wall-clock ``end_time``."""
    info = outcome.info
    request = info.request
    principal = info.ctx.principal
    metadata = _metadata(request)
    no_log = any(_truthy(metadata.get(key)) for key in NO_LOG_KEYS)
    withhold = no_log or not policy.log_messages
    usage = outcome.usage
    error = outcome.error
    deployment = outcome.deployment
    response = outcome.response
    key_info = policy.log_key_info
    return CallEvent(
        request_id=info.ctx.request_id,
        kind=info.kind,
        status=_status(outcome),
        start_time=end_time - outcome.latency,
        end_time=end_time,
        latency=outcome.latency,
        time_to_first_token=outcome.time_to_first_token,
        model_group=info.model_group,
        model=deployment.model if deployment is not None else None,
        response_model=_str_or_none(getattr(response, "model", None)),
        response_id=_str_or_none(getattr(response, "id", None)),
        deployment_id=deployment.id if deployment is not None else (error.deployment if error else None),
        provider=deployment.provider if deployment is not None else (error.provider if error else None),
        stream=info.stream,
        cache_hit=outcome.cache_hit or _route_flag(response, "cache_hit"),
        attempted=outcome.attempted,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        total_tokens=usage.total_tokens if usage else 0,
        cached_tokens=usage.cached_tokens if usage else 0,
        reasoning_tokens=usage.reasoning_tokens if usage else 0,
        cost=outcome.cost if outcome.cost is not None else _route_cost(response),
        finish_reasons=_finish_reasons(response),
        error_class=type(error).__name__ if error else None,
        error_code=error.code if error else None,
        error_message=error.message if error else None,
        error_origin=error_origin(error) if error else None,
        key_hash=(principal.key_hash or None) if key_info else None,
        key_alias=principal.key_alias if key_info else None,
        user_id=_str_or_none(getattr(principal, "user_id", None)) if key_info else None,
        team_id=_str_or_none(getattr(principal, "team_id", None)) if key_info else None,
        org_id=_str_or_none(getattr(principal, "org_id", None)) if key_info else None,
        end_user=_str_or_none(_fields(request).get("user")),
        tags=_tags(info.ctx.tags, metadata),
        params=_params(request),
        metadata={k: v for k, v in metadata.items() if k not in NO_LOG_KEYS},
        input=None if withhold else _input(request),
        output=None if withhold else _output(response, outcome.completion_text),
        redacted=withhold,
    )


def error_origin(error: SwitchboardError) -> ErrorOrigin:
    if isinstance(error, RequestRejected):
        return "caller"
    if isinstance(error, LimitReached):
        return "limit"
    if isinstance(error, UpstreamFailure | AllDeploymentsFailed):
        return "upstream"
    return "gateway"


def _status(outcome: CallOutcome[Any, Any]) -> CallStatus:
    error = outcome.error
    if error is None:
        return "success" if outcome.completed else "incomplete"
    if isinstance(error, ClientAborted):
        return "client_aborted"
    return "cancelled" if error.code == "cancelled" else "error"


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _metadata(request: Any) -> dict[str, Any]:
    metadata = _fields(request).get("metadata")
    return dict(metadata) if isinstance(metadata, Mapping) else {}


def _tags(ctx_tags: tuple[str, ...], metadata: Mapping[str, Any]) -> tuple[str, ...]:
    extra = metadata.get("tags")
    if isinstance(extra, list | tuple):
        return (*ctx_tags, *(str(t) for t in extra if str(t) not in ctx_tags))
    return ctx_tags


def _fields(obj: Any) -> dict[str, Any]:
    """An object's attributes as a dict (a pydantic model keeps its fields there), so that
    looking up a field the request kind lacks costs a dict miss, not an exception."""
    fields = getattr(obj, "__dict__", None)
    return fields if isinstance(fields, dict) else {}


def _params(request: Any) -> dict[str, Any]:
    fields = _fields(request)
    return {name: _plain(value) for name in _PARAMS if (value := fields.get(name)) is not None}


def _plain(value: Any) -> Any:
    serializer = getattr(value, "__pydantic_serializer__", None)
    if serializer is not None:
        return serializer.to_python(value, mode="json", exclude_none=True, by_alias=True)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _input(request: Any) -> Any:
    fields = _fields(request)
    for name in ("messages", "input", "prompt"):
        value = fields.get(name)
        if value is not None:
            return _plain(value)
    return None


def _output(response: Any, streamed: str | None) -> Any:
    if response is None:
        return [{"role": "assistant", "content": streamed}] if streamed is not None else None
    choices = getattr(response, "choices", None)
    if isinstance(choices, list):
        return [_plain(getattr(c, "message", None) or getattr(c, "text", None)) for c in choices]
    data = getattr(response, "data", None)
    if isinstance(data, list):
        return {"count": len(data)}  # embeddings and images: the vectors and bytes are not logged
    return None


def _finish_reasons(response: Any) -> tuple[str, ...]:
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list):
        return ()
    return tuple(reason for c in choices if isinstance(reason := getattr(c, "finish_reason", None), str))


def _route_flag(response: Any, name: str) -> bool:
    route = getattr(response, "route", None)
    return bool(getattr(route, name, False)) if route is not None else False


def _route_cost(response: Any) -> float | None:
    route = getattr(response, "route", None)
    cost = getattr(route, "cost", None) if route is not None else None
    return float(cost) if isinstance(cost, int | float) else None
