"""What happens when an attempt fails: retries, cooldowns and fallbacks, by class of error.

Errors are sorted into a handful of classes (``error_class``); each policy decides per class.
Every policy also builds from LiteLLM's setting names (``from_litellm``), so a LiteLLM router
config keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from switchboard.domain.errors import (
    AllDeploymentsFailed,
    AuthenticationError,
    BudgetExceeded,
    ContentPolicyViolation,
    ContextWindowExceeded,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestRejected,
    SwitchboardError,
    Timeout,
)
from switchboard.domain.ports.randomness import RandomSource

ErrorClass = Literal[
    "bad_request",
    "authentication",
    "not_found",
    "rate_limit",
    "timeout",
    "content_policy",
    "context_window",
    "server",
]

# The classes that are the request's fault: the same request fails anywhere, the deployment is fine.
_REQUESTS_FAULT: frozenset[ErrorClass] = frozenset({"bad_request", "context_window", "content_policy"})
# The classes a retry of the same request cannot fix.
_NOT_RETRIED: frozenset[ErrorClass] = _REQUESTS_FAULT | {"authentication", "not_found"}


def error_class(err: SwitchboardError) -> ErrorClass:
    """The class of an error, as retry, cooldown and fallback policies see it.

    ``AllDeploymentsFailed`` has the class of its last attempt. ``BudgetExceeded`` counts as a
    bad request: no retry, deployment or fallback can spend a budget that is used up.
    """
    match err:
        case AllDeploymentsFailed():
            return error_class(err.last)
        case ContextWindowExceeded():
            return "context_window"
        case ContentPolicyViolation():
            return "content_policy"
        case AuthenticationError() | PermissionDenied():
            return "authentication"
        case NotFound():
            return "not_found"
        case RequestRejected() | BudgetExceeded():
            return "bad_request"
        case RateLimited():
            return "rate_limit"
        case Timeout():
            return "timeout"
        case _:
            return "server"


def _per_class(
    setting: str, keys: Mapping[str, ErrorClass], values: Mapping[str, object] | None
) -> dict[ErrorClass, int]:
    """A LiteLLM ``{"<Name>Error<Suffix>": n}`` mapping as counts per error class; ``None`` values are unset."""
    counts: dict[ErrorClass, int] = {}
    for key, value in (values or {}).items():
        if key not in keys:
            raise ValueError(f"unknown {setting} key {key!r}; valid keys: {', '.join(keys)}")
        if value is None:
            continue
        counts[keys[key]] = _count(f"{setting}.{key}", value)
    return counts


def _count(setting: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{setting} must be a whole number >= 0, not {value!r}")
    return value


_RETRY_KEYS: Mapping[str, ErrorClass] = {
    "BadRequestErrorRetries": "bad_request",
    "AuthenticationErrorRetries": "authentication",
    "TimeoutErrorRetries": "timeout",
    "RateLimitErrorRetries": "rate_limit",
    "ContentPolicyViolationErrorRetries": "content_policy",
    "InternalServerErrorRetries": "server",
    "ContextWindowExceededErrorRetries": "context_window",
    "NotFoundErrorRetries": "not_found",
}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often, and after how long, a failed request is tried again.

    ``num_retries`` applies to rate limits, timeouts and server errors; the request's own faults,
    authentication and not-found errors are not retried. ``per_class`` overrides either. Delays
    back off exponentially from ``base_delay`` up to ``max_delay`` with full jitter, and wait at
    least an error's ``retry_after`` when that is at most ``honour_retry_after_up_to`` seconds.
    """

    num_retries: int = 0
    per_class: Mapping[ErrorClass, int] = field(default_factory=dict)
    base_delay: float = 0.1
    max_delay: float = 8.0
    honour_retry_after_up_to: float = 30.0

    def retries_for(self, err: SwitchboardError) -> int:
        """How many retries an error of this kind gets."""
        cls = error_class(err)
        if cls in self.per_class:
            return self.per_class[cls]
        return 0 if cls in _NOT_RETRIED else self.num_retries

    def delay(self, retry_no: int, err: SwitchboardError, rng: RandomSource) -> float:
        """Seconds to wait before retry number ``retry_no`` (1 for the first) after ``err``."""
        if retry_no < 1:
            raise ValueError(f"retry numbers start at 1, not {retry_no}")
        cap = min(self.max_delay, self.base_delay * 2.0 ** (retry_no - 1))
        jittered = rng.random() * cap
        after = err.retry_after
        if after is not None and 0 <= after <= self.honour_retry_after_up_to:
            return max(jittered, after)
        return jittered

    @classmethod
    def from_litellm(
        cls,
        num_retries: int,
        retry_policy: Mapping[str, object] | None,
        *,
        base_delay: float = 0.1,
        max_delay: float = 8.0,
        honour_retry_after_up_to: float = 30.0,
    ) -> RetryPolicy:
        """From LiteLLM's ``num_retries`` and ``retry_policy`` (``{"TimeoutErrorRetries": 2, ...}``)."""
        return cls(
            num_retries=_count("num_retries", num_retries),
            per_class=_per_class("retry_policy", _RETRY_KEYS, retry_policy),
            base_delay=base_delay,
            max_delay=max_delay,
            honour_retry_after_up_to=honour_retry_after_up_to,
        )


_ALLOWED_FAILS_KEYS: Mapping[str, ErrorClass] = {
    "BadRequestErrorAllowedFails": "bad_request",
    "AuthenticationErrorAllowedFails": "authentication",
    "TimeoutErrorAllowedFails": "timeout",
    "RateLimitErrorAllowedFails": "rate_limit",
    "ContentPolicyViolationErrorAllowedFails": "content_policy",
    "InternalServerErrorAllowedFails": "server",
}

CooldownReaction = Literal["ignore", "immediate", "count"]


@dataclass(frozen=True, slots=True)
class CooldownPolicy:
    """When a failing deployment is taken out of rotation, and for how long.

    A deployment cools down for ``cooldown_time`` seconds once it fails more than its allowed
    fails (``per_class``, else ``allowed_fails``) within ``window`` seconds. Rate limits,
    authentication and not-found errors cool it at once unless ``per_class`` gives them an
    allowance. The request's own faults never cool a deployment, whatever ``per_class`` says.
    """

    allowed_fails: int = 3
    cooldown_time: float = 5.0
    window: float = 60.0
    per_class: Mapping[ErrorClass, int] = field(default_factory=dict)
    disabled: bool = False

    def reaction(self, err: SwitchboardError) -> CooldownReaction:
        """What a failure does to its deployment: nothing, an immediate cooldown, or a counted fail."""
        if self.disabled:
            return "ignore"
        cls = error_class(err)
        if cls in _REQUESTS_FAULT:
            return "ignore"
        if cls in ("rate_limit", "authentication", "not_found") and cls not in self.per_class:
            return "immediate"
        return "count"

    def allowed_for(self, err: SwitchboardError) -> int:
        """How many fails of this kind a deployment may have within ``window`` before it cools down."""
        return self.per_class.get(error_class(err), self.allowed_fails)

    def cooldown_seconds(self, err: SwitchboardError) -> float:
        """How long the deployment cools down: ``cooldown_time``, or the error's ``retry_after`` when longer."""
        if err.retry_after is not None and err.retry_after > self.cooldown_time:
            return err.retry_after
        return self.cooldown_time

    @classmethod
    def from_litellm(
        cls,
        allowed_fails: int | None,
        cooldown_time: float | None,
        allowed_fails_policy: Mapping[str, object] | None,
        disable_cooldowns: bool = False,
    ) -> CooldownPolicy:
        """From LiteLLM's ``allowed_fails``, ``cooldown_time``, ``allowed_fails_policy`` and ``disable_cooldowns``."""
        defaults = cls()
        if cooldown_time is not None and (isinstance(cooldown_time, bool) or cooldown_time < 0):
            raise ValueError(f"cooldown_time must be a number of seconds >= 0, not {cooldown_time!r}")
        return cls(
            allowed_fails=defaults.allowed_fails if allowed_fails is None else _count("allowed_fails", allowed_fails),
            cooldown_time=defaults.cooldown_time if cooldown_time is None else float(cooldown_time),
            per_class=_per_class("allowed_fails_policy", _ALLOWED_FAILS_KEYS, allowed_fails_policy),
            disabled=disable_cooldowns,
        )


def spare_last(healthy_others: int, has_fallback: bool) -> bool:
    """Whether to skip cooling a deployment down: it is its group's last healthy one and nothing can take over."""
    return healthy_others <= 0 and not has_fallback


# LiteLLM writes fallbacks as a list of one-key dicts: ``[{"gpt-4o": ["gpt-4o-mini", "claude"]}]``.
LiteLLMFallbacks = Sequence[Mapping[str, Sequence[str] | str]] | Mapping[str, Sequence[str] | str] | None


@dataclass(frozen=True, slots=True)
class Fallbacks:
    """Which other model groups to try when a whole group fails, by class of error.

    ``general`` maps a group to its fallbacks for most errors; ``default`` serves groups without
    an entry there. ``context_window`` and ``content_policy`` map groups to the fallbacks for
    those errors (a bigger, or a more permissive, model). At most ``max_fallbacks`` are tried.
    """

    general: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default: tuple[str, ...] = ()
    context_window: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    content_policy: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_fallbacks: int = 5

    def after(self, group: str, err: SwitchboardError) -> tuple[str, ...]:
        """The groups to try, in order, after ``group`` failed with ``err``.

        A context-window or content-policy error uses its own list, else the general one; any
        other bad request has no fallback; every other error uses the general list, else the
        default. ``group`` itself is never in the answer.
        """
        match error_class(err):
            case "context_window":
                chosen = self.context_window.get(group, self.general.get(group, ()))
            case "content_policy":
                chosen = self.content_policy.get(group, self.general.get(group, ()))
            case "bad_request":
                chosen = ()
            case _:
                chosen = self.general.get(group, self.default)
        return _without(chosen, group)[: self.max_fallbacks]

    def has_any(self, group: str) -> bool:
        """Whether ``group`` has a fallback for at least one kind of error."""
        lists = (
            self.general.get(group, self.default),
            self.context_window.get(group, ()),
            self.content_policy.get(group, ()),
        )
        return self.max_fallbacks > 0 and any(_without(groups, group) for groups in lists)

    @classmethod
    def from_litellm(
        cls,
        fallbacks: LiteLLMFallbacks,
        default_fallbacks: Sequence[str] | str | None,
        context_window_fallbacks: LiteLLMFallbacks,
        content_policy_fallbacks: LiteLLMFallbacks,
        max_fallbacks: int | None = None,
    ) -> Fallbacks:
        """From LiteLLM's ``fallbacks``, ``default_fallbacks``, ``context_window_fallbacks``,
        ``content_policy_fallbacks`` and ``max_fallbacks``.

        Each mapping setting is LiteLLM's list of one-key dicts, or one plain dict; a single
        group name stands for a list of one. Any other shape raises ``ValueError``.
        """
        return cls(
            general=_fallback_map("fallbacks", fallbacks),
            default=_groups("default_fallbacks", default_fallbacks),
            context_window=_fallback_map("context_window_fallbacks", context_window_fallbacks),
            content_policy=_fallback_map("content_policy_fallbacks", content_policy_fallbacks),
            max_fallbacks=5 if max_fallbacks is None else _count("max_fallbacks", max_fallbacks),
        )


def _without(groups: tuple[str, ...], group: str) -> tuple[str, ...]:
    """``groups`` without ``group`` and without repeats, in order."""
    return tuple(dict.fromkeys(g for g in groups if g != group))


def _fallback_map(setting: str, value: object) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        entries: list[object] = [value]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        entries = list(value)
    else:
        raise ValueError(f"{setting} must be a list of {{group: [fallbacks]}} entries, not {value!r}")
    result: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry:
            raise ValueError(f"each {setting} entry must be a {{group: [fallbacks]}} mapping, not {entry!r}")
        for group, groups in entry.items():
            if not isinstance(group, str) or not group:
                raise ValueError(f"{setting} names a group with {group!r}; group names are non-empty strings")
            if group in result:
                raise ValueError(f"{setting} lists group {group!r} twice")
            result[group] = _groups(f"{setting}[{group!r}]", groups)
    return result


def _groups(setting: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(g, str) and g for g in value):
        raise ValueError(f"{setting} must be a group name or a list of group names, not {value!r}")
    return tuple(value)
