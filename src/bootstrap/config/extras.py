"""Optional extras: what a setting needs installed beyond the facade's dependencies.

``pip install switchboard-gateway`` installs what the facade and the CLI need. A feature that needs
more names its extra (``pip install 'switchboard-gateway[redis]'``); ``config check`` and every
entry point report a missing one at the setting that asked for it, before anything starts.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from switchboard.bootstrap.config.observability import SINK_NAMES
from switchboard.bootstrap.config.problems import Problem
from switchboard.bootstrap.config.schema import Config


@dataclass(frozen=True, slots=True)
class Extra:
    """An extra of the distribution: its name and the modules that tell it is installed."""

    name: str
    modules: tuple[str, ...]

    def missing(self, available: Callable[[str], bool]) -> tuple[str, ...]:
        return tuple(module for module in self.modules if not available(module))


DB = Extra("db", ("sqlalchemy", "sqlmodel", "alembic", "aiosqlite", "cryptography"))
POSTGRES = Extra("postgres", ("asyncpg",))
REDIS = Extra("redis", ("redis",))
JWT = Extra("jwt", ("jwt",))
PROMETHEUS = Extra("prometheus", ("prometheus_client",))
OTEL = Extra("otel", ("opentelemetry.sdk", "opentelemetry.exporter.otlp.proto.http"))
AIOHTTP = Extra("aiohttp", ("aiohttp", "yarl"))
SERVER = Extra("server", ("litestar", "uvicorn", "multipart"))


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a module blocked in sys.modules
        return False


def install_hint(extra: Extra) -> str:
    return f"pip install 'switchboard-gateway[{extra.name}]'"


def missing_message(extra: Extra, feature: str, modules: Iterable[str]) -> str:
    return f"{feature} needs the `{extra.name}` extra ({', '.join(modules)} not installed): {install_hint(extra)}"


class MissingExtra(ImportError):
    """A feature was asked for whose extra is not installed."""

    def __init__(self, extra: Extra, feature: str, modules: Iterable[str]) -> None:
        self.extra = extra
        super().__init__(missing_message(extra, feature, modules))


def require(extra: Extra, feature: str, available: Callable[[str], bool] = installed) -> None:
    """Raise ``MissingExtra`` when ``extra`` is not installed."""
    if missing := extra.missing(available):
        raise MissingExtra(extra, feature, missing)


def wanted_extras(config: Config, environ: Mapping[str, str]) -> list[tuple[str, Extra, str]]:
    """What the configuration asks for that needs an extra: (setting path, extra, feature)."""
    general, litellm, router = config.general_settings, config.litellm_settings, config.router_settings
    wanted: list[tuple[str, Extra, str]] = []
    if general.master_key:
        wanted.append(("general_settings.master_key", DB, "Virtual keys, budgets and spend tracking"))
        url = general.database_url or environ.get("DATABASE_URL") or ""
        if url.startswith(("postgres://", "postgresql")):
            where = "general_settings.database_url" if general.database_url else "general_settings.master_key"
            wanted.append((where, POSTGRES, "A PostgreSQL database"))
    if general.enable_jwt_auth:
        wanted.append(("general_settings.enable_jwt_auth", JWT, "JWT authentication"))
    for path, value in (
        ("general_settings.redis_url", general.redis_url),
        ("router_settings.redis_url", router.redis_url),
        ("router_settings.redis_host", router.redis_host),
    ):
        if value:
            wanted.append((path, REDIS, "Shared state in Redis"))
            break
    else:
        if environ.get("REDIS_URL"):
            wanted.append(("REDIS_URL", REDIS, "Shared state in Redis"))
    cache = litellm.cache_params
    if litellm.cache and cache is not None and cache.type in _REDIS_CACHES:
        wanted.append(("litellm_settings.cache_params.type", REDIS, f"The `{cache.type}` cache"))
    for key in ("success_callback", "failure_callback", "callbacks"):
        for index, name in enumerate(getattr(litellm, key)):
            extra = _SINK_EXTRAS.get(SINK_NAMES.get(name, name))
            if extra is not None:
                wanted.append((f"litellm_settings.{key}[{index}]", extra, f"The `{name}` callback"))
    if general.upstream_transport == "aiohttp":
        wanted.append(("general_settings.upstream_transport", AIOHTTP, "The aiohttp upstream transport"))
    return wanted


_REDIS_CACHES = frozenset({"redis", "dual", "redis-semantic", "valkey-semantic"})
_SINK_EXTRAS = {"prometheus": PROMETHEUS, "otel": OTEL}


def extras_problems(
    config: Config, environ: Mapping[str, str] | None = None, available: Callable[[str], bool] = installed
) -> list[Problem]:
    """A problem per setting whose extra is not installed, naming the extra to install."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    for path, extra, feature in wanted_extras(config, environ):
        if missing := extra.missing(available):
            problems.append(Problem(path, missing_message(extra, feature, missing)))
    return problems
