"""Rate-limit and budget counters in Redis, shared by every gateway instance.

Each operation is one round trip: a Lua script (``counters.lua``) that checks and changes
every counter a call touches atomically, with the time passed in by the caller. Any Redis
failure or a reply slower than ``timeout`` raises ``StateUnavailable``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from redis.exceptions import RedisError

from switchboard.domain.governance.counters import Claim, Granted, Missing, Refused, SettleAction, Settlement
from switchboard.domain.ports.counters import StateUnavailable

_SCRIPT = files(__package__).joinpath("counters.lua").read_text(encoding="utf-8")


def _keys(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        out += [f"{name}:z", f"{name}:h"]
    return out


def _ms(seconds: float | None) -> int:
    return int((seconds or 0.0) * 1000)


class RedisCounterStore:
    def __init__(self, client: Any, timeout: float = 0.5) -> None:
        self._client = client
        self._script = client.register_script(_SCRIPT)
        self._timeout = timeout

    async def _run(self, keys: list[str], args: list[Any]) -> list[Any]:
        try:
            async with asyncio.timeout(self._timeout):
                return list(await self._script(keys=keys, args=args))
        except (RedisError, OSError, TimeoutError) as exc:
            raise StateUnavailable(f"redis: {type(exc).__name__}") from exc

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused | Missing:
        args: list[Any] = ["acquire", _ms(now), member]
        for c in claims:
            args += [c.limit, c.weight, _ms(c.lifetime), -1 if c.spent is None else c.spent, _ms(c.keep)]
        reply = await self._run(_keys([c.key for c in claims]), args)
        if int(reply[0]) == 2:
            return Missing(tuple(int(i) for i in reply[1:]))
        if int(reply[0]) == 0:
            retry = int(reply[3])
            return Refused(int(reply[1]), int(reply[2]), None if retry < 0 else retry / 1000)
        pairs = reply[1:]
        used = tuple(int(pairs[i]) for i in range(0, len(pairs), 2))
        resets = tuple(int(pairs[i]) / 1000 for i in range(1, len(pairs), 2))
        return Granted(used, resets)

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        if not settlements:
            return ()
        args: list[Any] = ["settle", _ms(now), member]
        for s in settlements:
            spent = -1 if s.spent is None or s.action is not SettleAction.SPEND else s.spent
            args += [s.action.value, s.weight, spent, _ms(s.keep)]
        reply = await self._run(_keys([s.key for s in settlements]), args)
        return tuple(int(x) for x in reply)

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        if not claims:
            return ()
        args: list[Any] = ["usage", _ms(now), ""]
        args += [-1 if c.spent is None else c.spent for c in claims]
        reply = await self._run(_keys([c.key for c in claims]), args)
        return tuple(int(x) for x in reply)
