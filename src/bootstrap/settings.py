"""From the validated configuration to the values the container wires: deployments, defaults,
the master key. Pure apart from reading ``SWITCHBOARD_CONFIG``."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from switchboard.application.deployments import ModelAlias
from switchboard.bootstrap.cache_settings import CacheSettings, cache_settings
from switchboard.bootstrap.config.aliases import model_aliases
from switchboard.bootstrap.config.callbacks import ObservabilitySettings, resolve_observability
from switchboard.bootstrap.config.check import load_config
from switchboard.bootstrap.config.deployment_prices import is_price_key, with_param_prices
from switchboard.bootstrap.config.litellm_shape import refused_params
from switchboard.bootstrap.config.loader import LoadedConfig, config_dir, relative_to_config
from switchboard.bootstrap.config.models import ModelEntry
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.call_options import CallDefaults
from switchboard.domain.deployments import ANY_PROVIDER, Deployment, split_model

CONFIG_ENV = "SWITCHBOARD_CONFIG"

DEFAULT_CONFIG: dict[str, Any] = {
    "model_list": [
        {"model_name": "mock", "litellm_params": {"model": "mock/mock"}},
        {"model_name": "mock-embedding", "litellm_params": {"model": "mock/mock-embedding"}},
    ],
}

# litellm_params that describe the deployment itself rather than provider settings.
_DEPLOYMENT_FIELDS = frozenset(
    {
        "model",
        "api_base",
        "base_url",
        "api_key",
        "api_version",
        "rpm",
        "tpm",
        "weight",
        "order",
        "timeout",
        "stream_timeout",
        "max_parallel_requests",
        "drop_params",
        "num_retries",
        "tags",
    }
)


@dataclass(frozen=True)
class RuntimeSettings:
    """Everything the container needs, derived once from the configuration."""

    deployments: tuple[Deployment, ...]
    chat: CallDefaults  # the timeouts and drop_params every call path defaults to
    master_key: str | None
    max_body_bytes: int
    source: str = "<defaults>"
    json_logs: bool | None = None
    redis_url: str | None = None
    config: Config = field(default_factory=Config)
    model_cost_map: Path | Mapping[str, Any] | None = None
    cache: CacheSettings | None = None  # None: no response cache
    observability: ObservabilitySettings = field(default_factory=ObservabilitySettings)
    aliases: Mapping[str, ModelAlias] = field(default_factory=dict)  # router_settings.model_group_alias


def deployment_id(entry: ModelEntry, index: int) -> str:
    explicit = entry.model_info.get("id")
    if explicit:
        return str(explicit)
    params = entry.litellm_params
    seed = f"{index}|{entry.model_name}|{params.model}|{params.api_base or params.base_url or ''}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def to_deployment(entry: ModelEntry, index: int, known_providers: Collection[str]) -> Deployment:
    params = entry.litellm_params
    wildcard = params.model == ANY_PROVIDER
    provider, model = (ANY_PROVIDER, ANY_PROVIDER) if wildcard else split_model(params.model, known_providers)
    extra: dict[str, Any] = {
        k: v
        for k, v in params.model_dump(exclude_none=True).items()
        if k not in _DEPLOYMENT_FIELDS and not is_price_key(k)
    }
    if "litellm_credential_name" in extra:
        raise ValueError("litellm_credential_name: named credentials come from the config file's credential_list")
    if refused := refused_params(extra):
        raise ValueError("; ".join(refused))
    return Deployment(
        any_provider=frozenset(known_providers) if wildcard else frozenset(),
        id=deployment_id(entry, index),
        model_name=entry.model_name,
        provider=provider,
        model=model,
        api_base=params.api_base or params.base_url,
        api_key=params.api_key,
        api_version=params.api_version,
        params=extra,
        model_info=with_param_prices(params.model_extra or {}, entry.model_info),
        rpm=params.rpm,
        tpm=params.tpm,
        weight=params.weight,
        order=params.order,
        tags=tuple(params.tags or ()),
        timeout=params.timeout,
        stream_timeout=params.stream_timeout,
        max_parallel_requests=params.max_parallel_requests,
        drop_params=params.drop_params,
        num_retries=params.num_retries,
    )


def runtime_settings(loaded: LoadedConfig, known_providers: Collection[str]) -> RuntimeSettings:
    config = loaded.config
    litellm, router, general = config.litellm_settings, config.router_settings, config.general_settings
    deployments = tuple(to_deployment(e, i, known_providers) for i, e in enumerate(config.model_list))
    timeout = router.timeout or litellm.request_timeout or 600.0
    redis_url = redis_url_from(config)
    return RuntimeSettings(
        deployments=deployments,
        chat=CallDefaults(
            timeout=timeout,
            stream_timeout=router.stream_timeout,
            drop_params=litellm.drop_params,
        ),
        master_key=general.master_key.get_secret_value() if general.master_key else None,
        max_body_bytes=int(general.max_request_size_mb * 1024 * 1024),
        source=loaded.source,
        json_logs=litellm.json_logs,
        redis_url=redis_url,
        config=config,
        model_cost_map=cost_map_source(litellm.model_cost_map, loaded.source),
        cache=cache_settings(config, redis_url),
        observability=resolve_observability(
            config, {**os.environ, **config.environment_variables}, config_dir(loaded.source)
        )[0],
        aliases=model_aliases(config),
    )


def redis_url_from(config: Config, environ: Mapping[str, str] | None = None) -> str | None:
    """The Redis every instance shares: ``general_settings.redis_url`` / ``router_settings.redis_url``,
    or ``router_settings.redis_host``/``redis_port``/``redis_password`` (LiteLLM's keys), or
    ``REDIS_URL``; ``None``: state stays in memory."""
    environ = os.environ if environ is None else environ
    general, router = config.general_settings, config.router_settings
    if general.redis_url:
        return general.redis_url
    if router.redis_url:
        return router.redis_url
    if router.redis_host:
        password = router.redis_password.get_secret_value() if router.redis_password else ""
        auth = f":{quote(password, safe='')}@" if password else ""
        return f"redis://{auth}{router.redis_host}:{router.redis_port or 6379}/0"
    return environ.get("REDIS_URL") or None


def cost_map_source(value: str | Mapping[str, Any] | None, config_path: str) -> Path | Mapping[str, Any] | None:
    """``litellm_settings.model_cost_map``: inline entries as they are, a path resolved against
    the config file's directory (or the working directory for a config given as a dict)."""
    if value is None or isinstance(value, Mapping):
        return value
    return relative_to_config(value, config_path)


def config_source(config: str | Path | Mapping[str, Any] | None) -> str | Path | Mapping[str, Any]:
    """What to load: the argument, else ``$SWITCHBOARD_CONFIG``, else the built-in defaults."""
    if config is not None:
        return config
    from_env = os.environ.get(CONFIG_ENV)
    return from_env if from_env else DEFAULT_CONFIG


def load_settings(config: str | Path | Mapping[str, Any] | None, known_providers: Collection[str]) -> RuntimeSettings:
    loaded = load_config(config_source(config), known_providers=known_providers)
    export_environment(loaded.config.environment_variables)
    return runtime_settings(loaded, known_providers)


def export_environment(variables: Mapping[str, str]) -> None:
    """``environment_variables`` into the process environment, where providers read their keys
    (``OPENAI_API_KEY``...) as LiteLLM's do. A variable the process has already keeps its value."""
    for name, value in variables.items():
        os.environ.setdefault(name, str(value))
