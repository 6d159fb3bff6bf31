"""The router: which deployment of a model group serves an attempt, and what happens when it fails.

``Router.run(info, attempt)`` picks a deployment with the configured strategy among those that pass
the pre-call checks (tags, cooldown, context window, rpm/tpm, priority tier), runs ``attempt`` on it,
and on failure records it (failure counts, cooldowns), retries with backoff on another deployment of
the group where one is left, then walks the group's fallbacks. The decisions are the pure policies of
``domain.routing``; the live figures they read come from the ``RoutingState`` port, which several
gateway instances share through Redis.

For a stream, ``attempt`` returns once the first chunk has arrived, so a stream falls back only
before anything reached the client.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from switchboard.application.deployments import DeploymentDirectory
from switchboard.domain.alerts import cooldown_alert
from switchboard.domain.calls import CallInfo
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    Attempt,
    BadRequest,
    ContextWindowExceeded,
    ModelNotFound,
    RateLimited,
    SwitchboardError,
    UpstreamFailure,
)
from switchboard.domain.health import EndpointHealth
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.randomness import RandomSource
from switchboard.domain.ports.routing_state import RoutingState
from switchboard.domain.routing import DeploymentStats
from switchboard.domain.routing.checks import Eligibility, by_tags, context_window_of, eligible
from switchboard.domain.routing.policies import CooldownPolicy, Fallbacks, RetryPolicy, error_class, spare_last
from switchboard.domain.routing.stats import NO_STATS
from switchboard.domain.routing.strategies import Strategy, choose, needs_latency, needs_usage
from switchboard.domain.usage import Usage

T = TypeVar("T")

log = logging.getLogger(__name__)


async def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class Routed(Generic[T]):
    """An attempt's result, the deployment that produced it, and the deployments that failed before it.

    ``finish`` must be awaited when a stream ends (however it ends): until then the deployment
    counts it as in flight. For an answer it does nothing.
    """

    value: T
    deployment: Deployment
    attempted: tuple[str, ...] = ()
    finish: Callable[[], Awaitable[None]] = _nothing


@dataclass(frozen=True, slots=True)
class RouterPolicy:
    """Everything ``router_settings`` decides, as domain policies."""

    strategy: Strategy = Strategy.SIMPLE_SHUFFLE
    retries: RetryPolicy = field(default_factory=RetryPolicy)
    cooldowns: CooldownPolicy = field(default_factory=CooldownPolicy)
    fallbacks: Fallbacks = field(default_factory=lambda: Fallbacks(general={}, context_window={}, content_policy={}))
    latency_buffer: float = 0.0
    context_window_check: bool = True  # skip deployments whose known context window cannot hold the prompt
    tag_filtering: bool = False
    # A request's own ``num_retries`` is capped here (``None``: at the configured ``num_retries``),
    # its own ``fallbacks`` de-duplicated and cut to ``max_request_fallbacks``.
    max_request_retries: int | None = None
    max_request_fallbacks: int = 5


class Router:
    """Routes attempts over a ``DeploymentDirectory``. Without a ``state`` the router keeps no live
    figures: no cooldowns, no rpm/tpm accounting, strategies see empty stats (embedded uses)."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        rng: RandomSource,
        clock: Clock,
        *,
        policy: RouterPolicy | None = None,
        state: RoutingState | None = None,
        alerts: Alerts | None = None,
        price: Callable[[Deployment], float | None] = lambda _: None,
        context_window: Callable[[Deployment], int | None] = context_window_of,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._directory = directory
        self._rng = rng
        self.policy = policy or RouterPolicy()
        self._state = state
        self._clock = clock
        self._alerts = alerts
        self._price = price
        self._context_window = context_window
        self._sleep = sleep

    def candidates(self, model: str) -> Sequence[Deployment]:
        """The deployments that may serve ``model``; raises ``ModelNotFound``."""
        return self._directory.candidates(model)

    async def health_result(self, result: EndpointHealth) -> None:
        """A health probe's verdict: a deployment found unhealthy cools down like one that failed,
        so background health checks keep traffic off it before a caller has to find out."""
        if result.healthy or self._state is None or self.policy.cooldowns.disabled:
            return
        deployment = self._directory.by_id(result.deployment_id)
        if deployment is None:
            return
        now = self._clock.now()
        group = self._directory.group(deployment.model_name)
        stats = await self._state.stats([d.id for d in group], now)
        seconds = self.policy.cooldowns.cooldown_time
        await self._cool_down(deployment, deployment.model_name, group, stats, now, seconds, "failed health check")

    async def run(
        self,
        info: CallInfo[Any],
        attempt: Callable[[Deployment], Awaitable[T]],
        usage: Callable[[T], Usage | None] | None = None,
        *,
        gate: Callable[[str], Awaitable[None]] | None = None,
    ) -> Routed[T]:
        """Run ``attempt`` on a deployment of ``info.model_group``, retrying and falling back as
        the policy and the request's options (``num_retries``, ``fallbacks``, ``tags``) say, and
        return the first success.

        ``attempt`` raises a ``domain.errors`` error when that deployment fails; whatever it has
        opened must be closed before it raises. ``usage`` reads what an answer used, for the
        deployment's tpm figures. ``gate`` is asked before each fallback group is tried; when it
        raises, that group is skipped (the reason is logged) and the next one is asked. No retry
        or fallback starts once ``info.deadline`` has passed. When no attempt succeeds,
        ``AllDeploymentsFailed`` lists every attempt (its ``last`` is the error that ended the
        call, with a ``retry_after`` from the group's cooldowns when it is an upstream failure);
        an error that stops the call before any attempt (``ModelNotFound``, no deployment
        available now) is raised as it is.
        """
        failures: list[Attempt] = []
        group = info.model_group
        options = info.options
        retries = self.policy.retries
        if options.num_retries is not None:
            retries = replace(retries, num_retries=self._request_retries(options.num_retries))
        try:
            value, deployment, finish = await self._run_group(group, info, attempt, usage, failures, retries)
            return Routed(value, deployment, _ids(failures) if failures else (), finish)
        except ModelNotFound:
            raise
        except SwitchboardError as first:
            last = first
        for fallback in self._fallbacks(group, last, options.fallbacks):
            if _past(info, self._clock):
                break
            try:
                candidates = self._directory.candidates(fallback)
            except ModelNotFound:
                continue
            if gate is not None:
                try:
                    await gate(fallback)
                except SwitchboardError as refused:
                    log.warning(
                        "fallback skipped",
                        extra={"model_group": group, "fallback": fallback, "reason": refused.code or "refused"},
                    )
                    _note_skipped(info, fallback, refused)
                    continue
            log.info("falling back", extra={"model_group": group, "fallback": fallback, "error": type(last).__name__})
            try:
                value, deployment, finish = await self._run_group(
                    fallback, info, attempt, usage, failures, retries, candidates
                )
                return Routed(value, deployment, _ids(failures), finish)
            except SwitchboardError as err:
                last = err
        if not failures:
            raise last
        if last.retry_after is None and isinstance(last, UpstreamFailure):
            last.retry_after = await self._retry_after(group)
        raise AllDeploymentsFailed(failures, last)

    def _request_retries(self, asked: int) -> int:
        """A request's own ``num_retries``, within what the operator allows."""
        cap = self.policy.max_request_retries
        return min(asked, self.policy.retries.num_retries if cap is None else cap)

    async def _retry_after(self, group: str) -> float:
        """When a group whose every attempt failed is worth asking again: when its first cooling
        deployment comes back, else after the cooldown time."""
        fallback = self.policy.cooldowns.cooldown_time or 1.0
        if self._state is None:
            return fallback
        try:
            candidates = self._directory.candidates(group)
        except ModelNotFound:
            return fallback
        now = self._clock.now()
        stats = await self._state.stats([d.id for d in candidates], now)
        ends = [s.cooldown_until - now for s in stats.values() if s.cooldown_until is not None and s.cooling(now)]
        return min(ends) if ends else fallback

    async def _run_group(
        self,
        group: str,
        info: CallInfo[Any],
        attempt: Callable[[Deployment], Awaitable[T]],
        usage: Callable[[T], Usage | None] | None,
        failures: list[Attempt],
        retry: RetryPolicy,
        candidates: Sequence[Deployment] | None = None,
    ) -> tuple[T, Deployment, Callable[[], Awaitable[None]]]:
        """Attempts on one group: pick, run, and on failure record it and retry while the retry
        policy allows, preferring an eligible deployment not tried yet, and backing off before
        trying one again."""
        if candidates is None:
            candidates = self._directory.candidates(group)
        if self.policy.tag_filtering:
            candidates = by_tags(candidates, info.options.tags)
        tried: set[str] = set()
        retries = 0
        refusals = 0  # reservations lost to another instance between the check and the reserve
        owed: SwitchboardError | None = None  # the failure to back off from before trying a deployment again
        while True:
            now = self._clock.now()
            stats = await self._stats(candidates, now)
            fit = self._eligible(candidates, stats, now, info)
            if not fit.deployments:
                raise _none_available(group, candidates, fit, now)
            untried = [d for d in fit.deployments if d.id not in tried]
            if owed is not None and not untried:  # every eligible deployment failed already: back off first
                delay = retry.delay(retries, owed, self._rng)
                if info.deadline is not None:
                    left = info.deadline - self._clock.monotonic()
                    if delay >= left:  # the wait would outlast the request: give up now
                        raise owed
                await self._sleep(delay)
                owed = None
                continue  # who is eligible may have changed while waiting
            owed = None
            deployment = choose(
                self.policy.strategy,
                untried or fit.deployments,
                stats,
                self._rng,
                stream=info.stream,
                price=self._price,
                latency_buffer=self.policy.latency_buffer,
            )
            tracked = self._tracks(deployment)
            tokens = info.prompt_size() if deployment.tpm is not None else 0
            if tracked and not await self._reserve(deployment, now, tokens):
                refusals += 1
                if refusals > len(candidates):
                    raise _none_available(group, candidates, fit, now)
                continue
            started = self._clock.monotonic()
            try:
                value = await attempt(deployment)
            except SwitchboardError as err:
                if tracked:
                    await self._release(deployment, tokens=-tokens)  # a failed attempt used no tokens
                await self._failed(deployment, err, group, candidates, stats)
                tried.add(deployment.id)
                failures.append(Attempt(deployment.id, deployment.provider, err))
                retries += 1
                if retries > self._retries_for(retry, deployment, info, err) or _past(info, self._clock):
                    raise
                owed = err
                continue
            except BaseException:
                if tracked:
                    await self._release(deployment, tokens=0)
                raise
            if not tracked:
                return value, deployment, _nothing
            elapsed = self._clock.monotonic() - started
            if info.stream:  # in flight until the stream ends; ``finish`` releases it then
                return value, deployment, self._stream_finish(deployment, elapsed)
            await self._succeeded(deployment, usage(value) if usage is not None else None, elapsed, tokens)
            return value, deployment, _nothing

    def _retries_for(
        self, retry: RetryPolicy, deployment: Deployment, info: CallInfo[Any], err: SwitchboardError
    ) -> int:
        """Retries after ``err`` on ``deployment``: the request's own ``num_retries`` (capped),
        else the deployment's ``num_retries`` (its ``litellm_params``), else the router's."""
        if deployment.num_retries is not None and info.options.num_retries is None:
            retry = replace(retry, num_retries=deployment.num_retries)
        return retry.retries_for(err)

    def _fallbacks(self, group: str, err: SwitchboardError, asked: Sequence[str] | None) -> Sequence[str]:
        """The groups to try after ``group`` failed with ``err``: the request's own ``fallbacks``
        (for any error the request is not at fault for), else the configured ones."""
        if asked is None:
            return self.policy.fallbacks.after(group, err)
        if error_class(err) == "bad_request":
            return ()
        return list(dict.fromkeys(g for g in asked if g != group))[: self.policy.max_request_fallbacks]

    def _eligible(
        self, candidates: Sequence[Deployment], stats: Mapping[str, DeploymentStats], now: float, info: CallInfo[Any]
    ) -> Eligibility:
        """Who may take the attempt. The prompt's size is counted when a known context window is
        checked, or when a tpm limit must have room for it (as ``_reserve`` will require)."""
        check_window = self.policy.context_window_check and any(self._context_window(d) is not None for d in candidates)
        check_tpm = self._state is not None and any(d.tpm is not None for d in candidates)
        prompt = (info.prompt_size() or None) if check_window or check_tpm else None
        return eligible(
            candidates,
            stats,
            now,
            prompt_tokens=prompt,
            context_window=self._context_window if check_window else _unknown_window,
            check_limits=self._state is not None,
        )

    def _tracks(self, deployment: Deployment) -> bool:
        """Whether this attempt is counted in the state (in-flight, minute usage, latency)."""
        if self._state is None:
            return False
        strategy = self.policy.strategy
        return (
            needs_usage(strategy) or needs_latency(strategy) or deployment.rpm is not None or deployment.tpm is not None
        )

    async def _stats(self, candidates: Sequence[Deployment], now: float) -> Mapping[str, DeploymentStats]:
        if self._state is None:
            return {}
        return await self._state.stats([d.id for d in candidates], now)

    async def _reserve(self, deployment: Deployment, now: float, tokens: int) -> bool:
        assert self._state is not None
        return await self._state.reserve(deployment.id, now, rpm=deployment.rpm, tpm=deployment.tpm, tokens=tokens)

    async def _release(
        self, deployment: Deployment, *, tokens: int, latency: float | None = None, ttft: float | None = None
    ) -> None:
        assert self._state is not None
        await self._state.release(deployment.id, self._clock.now(), tokens=tokens, latency=latency, ttft=ttft)

    def _stream_finish(self, deployment: Deployment, ttft: float) -> Callable[[], Awaitable[None]]:
        """The release of a stream's reservation, with its time to first token; once only."""
        done = False

        async def finish() -> None:
            nonlocal done
            if not done:
                done = True
                await self._release(deployment, tokens=0, ttft=ttft)

        return finish

    async def _succeeded(self, deployment: Deployment, usage: Usage | None, elapsed: float, reserved: int) -> None:
        total = usage.total_tokens if usage is not None else 0
        output = usage.completion_tokens if usage is not None else 0
        latency = elapsed / output if output else elapsed
        await self._release(deployment, tokens=max(0, total - reserved), latency=latency)

    async def _failed(
        self,
        deployment: Deployment,
        err: SwitchboardError,
        group: str,
        candidates: Sequence[Deployment],
        stats: Mapping[str, DeploymentStats],
    ) -> None:
        """Count the failure and cool the deployment down when the cooldown policy says so."""
        log.info(
            "deployment failed",
            extra={"model_group": group, "deployment": deployment.id, "error": type(err).__name__},
        )
        if self._state is None:
            return
        policy = self.policy.cooldowns
        reaction = policy.reaction(err)
        if reaction == "ignore":
            return
        now = self._clock.now()
        if reaction == "count":
            failures = await self._state.fail(deployment.id, now, window=policy.window)
            if failures <= policy.allowed_for(err):
                return
        await self._cool_down(
            deployment, group, candidates, stats, now, policy.cooldown_seconds(err), type(err).__name__
        )

    async def _cool_down(
        self,
        deployment: Deployment,
        group: str,
        candidates: Sequence[Deployment],
        stats: Mapping[str, DeploymentStats],
        now: float,
        seconds: float,
        reason: str,
    ) -> None:
        """Take the deployment out of rotation for ``seconds``, unless it is the group's last
        healthy one and the group has no fallback; raise the cooldown alert."""
        assert self._state is not None
        others = sum(1 for d in candidates if d.id != deployment.id and not stats.get(d.id, NO_STATS).cooling(now))
        if spare_last(others, self.policy.fallbacks.has_any(group)):
            return
        await self._state.cool_down(deployment.id, now, seconds=seconds)
        log.warning(
            "deployment cooling down",
            extra={"model_group": group, "deployment": deployment.id, "seconds": seconds, "reason": reason},
        )
        if self._alerts is not None:
            self._alerts.notify(cooldown_alert(deployment.id, group, now + seconds, now, reason, deployment.provider))


def _past(info: CallInfo[Any], clock: Clock) -> bool:
    """Whether the request's deadline has passed: no retry or fallback starts after it."""
    return info.deadline is not None and clock.monotonic() >= info.deadline


_SKIPPED = "x-switchboard-skipped-fallbacks"


def _note_skipped(info: CallInfo[Any], fallback: str, refused: SwitchboardError) -> None:
    """Say on the answer which fallback groups were not tried, and why (``group (code)``)."""
    headers = info.ctx.response_headers
    note = f"{fallback} ({refused.code or 'refused'})"
    headers[_SKIPPED] = f"{headers[_SKIPPED]}, {note}" if _SKIPPED in headers else note


def _ids(failures: list[Attempt]) -> tuple[str, ...]:
    return tuple([failure.deployment for failure in failures])


def _unknown_window(_: Deployment) -> int | None:
    """No context window: what every deployment has when the context-window check is off."""
    return None


def _none_available(group: str, candidates: Sequence[Deployment], fit: Eligibility, now: float) -> SwitchboardError:
    """Why no deployment of the group can take the call now."""
    if not candidates:
        return BadRequest(
            f"No deployment of `{group}` serves the request's tags.", param="metadata.tags", code="no_matching_tags"
        )
    if fit.too_small and len(fit.too_small) == len(candidates):
        return ContextWindowExceeded(
            f"The prompt does not fit the context window of any deployment of `{group}`.",
            code="context_length_exceeded",
        )
    reasons = []
    if fit.cooling:
        reasons.append(f"{len(fit.cooling)} cooling down")
    if fit.at_limit:
        reasons.append(f"{len(fit.at_limit)} at their rpm/tpm limit")
    if fit.too_small:
        reasons.append(f"{len(fit.too_small)} too small for the prompt")
    detail = ", ".join(reasons) or "none match the request's tags"
    retry_after = fit.retry_after
    if retry_after is None and fit.at_limit:
        retry_after = 60.0 - now % 60.0  # the next minute window
    return RateLimited(
        f"No deployments available for model group `{group}` ({detail}); try again later.",
        retry_after=retry_after,
        code="no_deployments_available",
    )
