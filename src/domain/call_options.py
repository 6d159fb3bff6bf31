"""What a request asks of the gateway itself, besides what it asks of the model: LiteLLM's
per-request ``timeout`` (or ``request_timeout``), ``stream_timeout``, ``num_retries``,
``fallbacks``, ``tags`` (top level or in ``metadata``), ``drop_params``, ``mock_response`` and the
cache controls (``cache``, ``caching``).

They are parsed once, when a call starts and before any hook runs, into one ``CallOptions``
(``options_of``); a malformed one is a ``BadRequest`` naming it. They are gateway parameters
(``domain.params.GATEWAY_PARAMS``): the request keeps them, and no provider is sent them.

The rules that read them with a deployment's settings and the gateway's defaults live here too:
``call_timeouts`` (how long one attempt may take) and ``drops_unsupported`` (whether a parameter
the deployment cannot take is dropped or refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from switchboard.domain.caching.controls import NO_CONTROLS, CacheControls, controls_of
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest


class CallRequest(Protocol):
    """What the gateway reads of every canonical request (a ``WireModel``): the model group it asks
    for, and the fields the model does not name (where gateway parameters ride)."""

    @property
    def model(self) -> str: ...

    @property
    def __pydantic_extra__(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class CallOptions:
    """A request's gateway parameters; ``None`` where the request says nothing."""

    timeout: float | None = None
    stream_timeout: float | None = None
    num_retries: int | None = None
    fallbacks: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    drop_params: bool | None = None
    mock_response: str | None = None
    cache: CacheControls = NO_CONTROLS


NO_OPTIONS = CallOptions()


def options_of(request: CallRequest) -> CallOptions:
    """The gateway parameters ``request`` carries (as extra fields, tags also in ``metadata``).

    Raises ``BadRequest`` naming the parameter when one is malformed. A request with no extra
    field and no ``metadata.tags`` costs two dictionary reads.
    """
    extra = request.__pydantic_extra__
    metadata = request.__dict__.get("metadata")
    if metadata is None and extra:
        metadata = extra.get("metadata")
    tags = metadata.get("tags") if metadata is not None and isinstance(metadata, dict) else None
    if not extra:
        return NO_OPTIONS if tags is None else CallOptions(tags=_names(tags, "metadata.tags"))
    if extra.get("tags") is not None:
        tags = _names(extra["tags"], "tags")
    elif tags is not None:
        tags = _names(tags, "metadata.tags")
    return CallOptions(
        timeout=_seconds(extra, "timeout") or _seconds(extra, "request_timeout"),
        stream_timeout=_seconds(extra, "stream_timeout"),
        num_retries=_count(extra, "num_retries"),
        fallbacks=_names(extra.get("fallbacks"), "fallbacks"),
        tags=tags,
        drop_params=_flag(extra, "drop_params"),
        mock_response=_text(extra, "mock_response"),
        cache=controls_of(extra),
    )


def _seconds(extra: Mapping[str, Any], name: str) -> float | None:
    value = extra.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        raise BadRequest(f"`{name}` must be a positive number of seconds.", param=name)
    return float(value)


def _count(extra: Mapping[str, Any], name: str) -> int | None:
    value = extra.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequest(f"`{name}` must be a whole number of at least 0.", param=name)
    return value


def _flag(extra: Mapping[str, Any], name: str) -> bool | None:
    value = extra.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise BadRequest(f"`{name}` must be true or false.", param=name)


def _text(extra: Mapping[str, Any], name: str) -> str | None:
    value = extra.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadRequest(f"`{name}` must be a string.", param=name)


def _names(value: Any, param: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise BadRequest(f"`{param}` must be a list of strings.", param=param)


@dataclass(frozen=True, slots=True)
class CallDefaults:
    """The gateway's defaults (``litellm_settings.request_timeout``, ``stream_timeout``,
    ``drop_params``). A deployment's own value wins over them, and a request's over both."""

    timeout: float | None = 600.0
    stream_timeout: float | None = None
    drop_params: bool = False


class Timeouts(NamedTuple):
    """How long one attempt may take, in seconds (``None``: no limit).

    ``total`` bounds a whole answer, or a stream's wait for its first piece; ``idle`` bounds a
    stream's wait for each later piece (``None`` for an answer).
    """

    total: float | None
    idle: float | None


def call_timeouts(deployment: Deployment, defaults: CallDefaults, options: CallOptions, stream: bool) -> Timeouts:
    """The timeouts of one attempt on ``deployment``: the deployment's value, else the default;
    the request's own value wins. A stream waits for its first piece the lesser of ``timeout``
    and ``stream_timeout``, and ``stream_timeout`` for each later one."""
    timeout = options.timeout
    if timeout is None:
        timeout = deployment.timeout if deployment.timeout is not None else defaults.timeout
    if not stream:
        return _new(Timeouts, (timeout, None))
    idle = options.stream_timeout
    if idle is None:
        idle = deployment.stream_timeout if deployment.stream_timeout is not None else defaults.stream_timeout
    if idle is not None and (timeout is None or idle < timeout):
        return _new(Timeouts, (idle, idle))
    return _new(Timeouts, (timeout, idle))


# What ``Timeouts(total, idle)`` runs, without its Python-level ``__new__``: half the cost, on
# every attempt of every call.
_new = tuple.__new__


def drops_unsupported(deployment: Deployment, defaults: CallDefaults, options: CallOptions) -> bool:
    """Whether a parameter ``deployment`` cannot take is dropped (else the call is refused): the
    request's ``drop_params``, else the deployment's, else the gateway's."""
    if options.drop_params is not None:
        return options.drop_params
    if deployment.drop_params is not None:
        return deployment.drop_params
    return defaults.drop_params
