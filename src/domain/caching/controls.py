"""Per-request cache controls, spelled as LiteLLM spells them.

A request may carry ``"cache": {...}`` with any of:

    no-cache   true: do not answer from the cache (the fresh answer is still stored)
    no-store   true: do not store this answer
    ttl        seconds this answer stays cached (instead of the configured ttl)
    s-maxage   only accept a cached answer younger than this many seconds ("s-max-age" too)
    namespace  keep this answer apart from others, under its own name
    use-cache  true: use the cache although the gateway runs with ``mode: default_off``

and ``"caching": false`` turns the cache off for the request altogether.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from switchboard.domain.errors import BadRequest

MAX_NAMESPACE_LENGTH = 128
_KNOWN = ("no-cache", "no-store", "ttl", "s-maxage", "s-max-age", "namespace", "use-cache")


@dataclass(frozen=True, slots=True)
class CacheControls:
    """What one request asked of the cache; the default asks nothing special."""

    no_cache: bool = False
    no_store: bool = False
    ttl: float | None = None
    max_age: float | None = None
    namespace: str | None = None
    use_cache: bool = False
    disabled: bool = False  # "caching": false


NO_CONTROLS = CacheControls()


def controls_of(extra: Mapping[str, Any] | None) -> CacheControls:
    """The controls in a request's extra fields (``cache`` and ``caching``).

    Raises ``BadRequest`` naming the offending field (``cache.ttl``...) for a wrong type, a
    negative or non-finite number, or a key LiteLLM does not define.
    """
    if not extra:
        return NO_CONTROLS
    spec, caching = extra.get("cache"), extra.get("caching")
    if spec is None and caching is None:
        return NO_CONTROLS
    if caching is not None and not isinstance(caching, bool):
        raise _bad("caching", "must be true or false")
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        raise _bad("cache", 'must be an object such as {"no-cache": true}')
    for name in spec:
        if name not in _KNOWN:
            raise _bad(f"cache.{name}", f"is not a cache control; use one of {', '.join(_KNOWN)}")
    max_age = _seconds(spec, "s-maxage", allow_zero=True)
    if max_age is None:
        max_age = _seconds(spec, "s-max-age", allow_zero=True)
    return CacheControls(
        no_cache=_flag(spec, "no-cache"),
        no_store=_flag(spec, "no-store"),
        ttl=_seconds(spec, "ttl", allow_zero=False),
        max_age=max_age,
        namespace=_namespace(spec.get("namespace")),
        use_cache=_flag(spec, "use-cache"),
        disabled=caching is False,
    )


def _flag(spec: Mapping[str, Any], name: str) -> bool:
    value = spec.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _bad(f"cache.{name}", "must be true or false")
    return value


def _seconds(spec: Mapping[str, Any], name: str, *, allow_zero: bool) -> float | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"cache.{name}", "must be a number of seconds")
    if value < 0 or (value == 0 and not allow_zero):
        raise _bad(f"cache.{name}", "must be greater than 0" if not allow_zero else "must not be negative")
    return float(value)


def _namespace(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_NAMESPACE_LENGTH or not value.isprintable():
        raise _bad("cache.namespace", f"must be a printable string of 1 to {MAX_NAMESPACE_LENGTH} characters")
    return value


def _bad(param: str, problem: str) -> BadRequest:
    return BadRequest(f"'{param}' {problem}.", param=param, code="invalid_cache_control")
