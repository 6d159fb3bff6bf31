"""The router's live state in Redis, shared by every gateway instance.

Every key of a deployment shares one hash tag (``<prefix>{<id>}:...``), so a script touching
them stays in one cluster slot:

- ``:n`` in-flight requests (kept ``in_flight_ttl`` after the last reservation, so the count a
  crashed instance leaves behind does not stay forever);
- ``:r:<minute>`` / ``:t:<minute>`` requests and tokens of the minute window ``int(now // 60)``,
  expiring ~120 s after their last change;
- ``:lat`` / ``:ttft`` the newest ``samples`` latency / time-to-first-token samples;
- ``:f`` failure timestamps (a sorted set), trimmed to the window each time one is counted;
- ``:c`` the cooldown end in epoch seconds, expiring when it is over.

``reserve``, ``release``, ``fail`` and ``cool_down`` are one atomic Lua script call each
(``routing.lua``); ``stats`` is one pipelined round trip of reads for every id. Time always
comes from the caller's ``now``. Any Redis failure or a reply slower than ``timeout`` raises
``StateUnavailable``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from importlib.resources import files
from typing import Any, TypeVar

from redis.exceptions import RedisError

from switchboard.domain.ports.counters import StateUnavailable
from switchboard.domain.routing.stats import DeploymentStats

_SCRIPT = files(__package__).joinpath("routing.lua").read_text(encoding="utf-8")
_MINUTE_TTL_MS = 120_000
_IN_FLIGHT_TTL_MS = 3_600_000
_SAMPLES_TTL_MS = 86_400_000

T = TypeVar("T")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _int(value: Any) -> int:
    return 0 if value is None else int(_text(value))


def _mean(samples: Sequence[Any]) -> float | None:
    return sum(float(_text(s)) for s in samples) / len(samples) if samples else None


def _ms(seconds: float) -> int:
    return max(0, int(seconds * 1000))


class RedisRoutingState:
    """``RoutingState`` in Redis. ``client``: a ``redis.asyncio.Redis`` (bytes or decoded
    replies); ``prefix`` starts every key; ``samples``: how many recent latency / ttft samples
    each mean is taken over."""

    def __init__(self, client: Any, *, prefix: str = "sb:rt:", timeout: float = 0.5, samples: int = 10) -> None:
        if samples < 1:
            raise ValueError("samples must be at least 1")
        self._client = client
        self._script = client.register_script(_SCRIPT)
        self._prefix = prefix
        self._timeout = timeout
        self._samples = samples

    def _key(self, deployment_id: str, suffix: str) -> str:
        return f"{self._prefix}{{{deployment_id}}}:{suffix}"

    async def _guard(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            async with asyncio.timeout(self._timeout):
                return await call()
        except (RedisError, OSError, TimeoutError) as exc:
            raise StateUnavailable(f"redis: {type(exc).__name__}") from exc

    async def _run(self, keys: list[str], args: list[Any]) -> Any:
        return await self._guard(lambda: self._script(keys=keys, args=args))

    async def stats(self, ids: Sequence[str], now: float) -> Mapping[str, DeploymentStats]:
        if not ids:
            return {}
        minute = int(now // 60)
        last = self._samples - 1

        async def read() -> list[Any]:
            async with self._client.pipeline(transaction=False) as pipe:
                for d in ids:
                    pipe.mget(
                        self._key(d, "n"), self._key(d, f"r:{minute}"), self._key(d, f"t:{minute}"), self._key(d, "c")
                    )
                    pipe.lrange(self._key(d, "lat"), 0, last)
                    pipe.lrange(self._key(d, "ttft"), 0, last)
                return list(await pipe.execute())

        replies = await self._guard(read)
        out: dict[str, DeploymentStats] = {}
        for index, deployment_id in enumerate(ids):
            (in_flight, rpm, tpm, cooldown), latencies, ttfts = replies[3 * index : 3 * index + 3]
            until = None if cooldown is None else float(_text(cooldown))
            out[deployment_id] = DeploymentStats(
                in_flight=max(0, _int(in_flight)),
                rpm_used=_int(rpm),
                tpm_used=_int(tpm),
                latency=_mean(latencies),
                ttft=_mean(ttfts),
                cooldown_until=until if until is not None and until > now else None,
            )
        return out

    async def reserve(self, deployment_id: str, now: float, *, rpm: int | None, tpm: int | None, tokens: int) -> bool:
        minute = int(now // 60)
        keys = [self._key(deployment_id, f"r:{minute}"), self._key(deployment_id, f"t:{minute}")]
        keys.append(self._key(deployment_id, "n"))
        args = ["reserve", -1 if rpm is None else rpm, -1 if tpm is None else tpm, tokens]
        args += [_MINUTE_TTL_MS, _IN_FLIGHT_TTL_MS]
        return _int(await self._run(keys, args)) == 1

    async def release(
        self,
        deployment_id: str,
        now: float,
        *,
        tokens: int = 0,
        latency: float | None = None,
        ttft: float | None = None,
    ) -> None:
        minute = int(now // 60)
        keys = [self._key(deployment_id, s) for s in ("n", f"t:{minute}", "lat", "ttft")]
        args: list[Any] = ["release", tokens, _MINUTE_TTL_MS]
        args += ["" if latency is None else repr(float(latency)), "" if ttft is None else repr(float(ttft))]
        args += [self._samples, _SAMPLES_TTL_MS]
        await self._run(keys, args)

    async def fail(self, deployment_id: str, now: float, *, window: float) -> int:
        member = f"{now!r}:{uuid.uuid4().hex}"
        args = ["fail", repr(float(now)), repr(float(now - window)), member, _ms(window)]
        return _int(await self._run([self._key(deployment_id, "f")], args))

    async def cool_down(self, deployment_id: str, now: float, *, seconds: float) -> None:
        keys = [self._key(deployment_id, "c"), self._key(deployment_id, "f")]
        await self._run(keys, ["cool_down", repr(float(now + seconds)), _ms(seconds)])
