"""Deployment health checks: probe each deployment with the cheapest call its mode allows.

    chat (the default mode)       a one-token, non-streaming chat: "ping", max_tokens=1
    embedding                     an embedding of ["ping"]
    image_generation, audio_*,    no call (nothing cheap to send): healthy when the provider has
    completion                    an adapter for the endpoint, reported with ``probe: "none"``

The mode is the deployment's ``model_info.mode``. Probes run concurrently (at most
``concurrency`` at once), each within ``timeout`` seconds; a probe that takes longer is cancelled
and reported unhealthy. Wildcard deployments are not probed: they name no concrete model.
Probes go straight to the provider, past the router and the call hooks: they are not charged to
anyone, not rate-limited, and a cooled-down deployment is probed too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from switchboard.application.deployments import DeploymentDirectory
from switchboard.domain.chat import ChatRequest
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, ModelNotFound, SwitchboardError
from switchboard.domain.health import EndpointHealth, HealthReport, Probe
from switchboard.domain.params import enforce_supported
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall, ProviderDirectory

log = logging.getLogger(__name__)

OnResult = Callable[[EndpointHealth], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]

PING = "ping"
# Modes with no cheap probe -> the ProviderDirectory lookups, any of which finding an adapter will do.
_LOOKUPS_OF_MODE: dict[str, tuple[str, ...]] = {
    "image_generation": ("images",),
    "image": ("images",),
    "audio_transcription": ("transcriptions",),
    "audio_speech": ("speech",),
    "completion": ("completions", "chat"),  # served through chat when a provider has no native endpoint
}


def mode_of(deployment: Deployment) -> str:
    """The deployment's ``model_info.mode``; ``chat`` when absent."""
    mode = deployment.model_info.get("mode")
    return mode if isinstance(mode, str) and mode else "chat"


class HealthService:
    """Checks deployments on demand (``check``) or forever in the background (``run_background``).

    ``on_result`` hears every probe's result as it arrives (the router cools unhealthy
    deployments down with it); a failure in it is logged and does not stop the check.
    """

    def __init__(
        self,
        directory: DeploymentDirectory,
        providers: ProviderDirectory,
        clock: Clock,
        *,
        timeout: float = 30.0,
        on_result: OnResult | None = None,
        concurrency: int = 10,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if timeout <= 0:
            raise ValueError("the health check timeout must be > 0")
        self._directory = directory
        self._providers = providers
        self._clock = clock
        self._timeout = timeout
        self._on_result = on_result
        self._concurrency = max(1, concurrency)
        self._sleep = sleep
        self._last: HealthReport | None = None

    def last(self) -> HealthReport | None:
        """The most recent report (on demand or background); ``None`` before the first."""
        return self._last

    async def check(self, model: str | None = None) -> HealthReport:
        """Probe every deployment, or those of the model group ``model`` (an exact group name;
        ``ModelNotFound`` if there is none)."""
        deployments: Sequence[Deployment]
        if model is None:
            deployments = self._directory.all()
        else:
            deployments = self._directory.group(model)
            if not deployments:
                raise ModelNotFound(f"The model `{model}` does not exist.", param="model", code="model_not_found")
        targets = [d for d in deployments if not d.is_wildcard]
        gate = asyncio.Semaphore(self._concurrency)

        async def bounded(deployment: Deployment) -> EndpointHealth:
            async with gate:
                result = await self._probe(deployment)
            await self._tell(result)
            return result

        results = await asyncio.gather(*(bounded(d) for d in targets))
        report = HealthReport.of(results, self._clock.now())
        self._last = report
        return report

    async def run_background(self, interval: float) -> None:
        """Check every deployment, then wait ``interval`` seconds, forever. A failed round is
        logged and the loop goes on; cancelling the task stops it (and any probe in flight)."""
        if interval <= 0:
            raise ValueError("the health check interval must be > 0")
        while True:
            try:
                report = await self.check()
            except Exception:
                log.exception("background health check failed")
            else:
                _log_report(report)
            await self._sleep(interval)

    async def _probe(self, deployment: Deployment) -> EndpointHealth:
        started = self._clock.monotonic()
        probe: Probe = "none"
        try:
            mode = mode_of(deployment)
            if mode == "embedding":
                probe = "embedding"
                async with asyncio.timeout(self._timeout):
                    await self._embed(deployment)
            elif mode in _LOOKUPS_OF_MODE:
                self._adapter(deployment, mode)
            else:
                probe = "chat"
                async with asyncio.timeout(self._timeout):
                    await self._chat(deployment)
        except TimeoutError:
            return self._result(deployment, started, probe, f"Timeout: timed out after {self._timeout:g}s")
        except SwitchboardError as exc:
            return self._result(deployment, started, probe, f"{type(exc).__name__}: {exc.message}")
        except Exception as exc:  # not ours: its message could hold anything, so only its class is shown
            log.warning("health probe failed unexpectedly", extra={"deployment": deployment.id}, exc_info=True)
            return self._result(deployment, started, probe, type(exc).__name__)
        return self._result(deployment, started, probe, None)

    async def _chat(self, deployment: Deployment) -> None:
        request = ChatRequest.model_validate(
            {"model": deployment.model_name, "messages": [{"role": "user", "content": PING}], "max_tokens": 1}
        )
        provider = self._providers.chat(deployment.provider)
        supported = self._providers.chat_params(deployment.provider, deployment.model)
        sendable, _ = enforce_supported(request, supported, provider=deployment.provider, drop=True)
        call = ChatCall(request=sendable, deployment=deployment, request_id="health-check", timeout=self._timeout)
        await provider.complete(call)

    async def _embed(self, deployment: Deployment) -> None:
        request = EmbeddingRequest.model_validate({"model": deployment.model_name, "input": [PING]})
        call = EmbeddingCall(request=request, deployment=deployment, request_id="health-check", timeout=self._timeout)
        await self._providers.embeddings(deployment.provider).embed(call)

    def _adapter(self, deployment: Deployment, mode: str) -> None:
        """Raises ``BadRequest`` when no adapter serves ``mode`` for the deployment's provider."""
        for lookup in _LOOKUPS_OF_MODE[mode]:
            find: Any = getattr(self._providers, lookup, None)
            if find is not None and find(deployment.provider) is not None:
                return
        raise BadRequest(f"Provider '{deployment.provider}' has no adapter for {mode}.", param="model")

    def _result(self, deployment: Deployment, started: float, probe: Probe, error: str | None) -> EndpointHealth:
        return EndpointHealth(
            deployment_id=deployment.id,
            model_name=deployment.model_name,
            model=f"{deployment.provider}/{deployment.model}",
            api_base=deployment.api_base,
            healthy=error is None,
            error=error,
            latency=max(0.0, self._clock.monotonic() - started),
            probe=probe,
        )

    async def _tell(self, result: EndpointHealth) -> None:
        if self._on_result is None:
            return
        try:
            await self._on_result(result)
        except Exception:
            log.exception("health check result handler failed", extra={"deployment": result.deployment_id})


def _log_report(report: HealthReport) -> None:
    log.info(
        "health check finished",
        extra={"healthy": len(report.healthy), "unhealthy": len(report.unhealthy)},
    )
    for endpoint in report.unhealthy:
        log.warning(
            "deployment unhealthy",
            extra={"deployment": endpoint.deployment_id, "model_name": endpoint.model_name, "error": endpoint.error},
        )
