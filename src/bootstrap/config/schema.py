"""``router_settings``, ``litellm_settings`` and ``general_settings``.

Fields are the keys Switchboard acts on. A key that LiteLLM knows but Switchboard does not act on
is listed in ``ACCEPTED_WITHOUT_EFFECT`` so ``config check`` can say so instead of calling it a typo.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from switchboard.bootstrap.config.access import AccessGeneralSettings
from switchboard.bootstrap.config.caching import CacheParams
from switchboard.bootstrap.config.governance import GovernanceGeneralSettings, GovernanceLitellmSettings
from switchboard.bootstrap.config.models import ModelEntry
from switchboard.bootstrap.config.observability import (
    AlertChannel,
    AlertingArgs,
    AlertTypeName,
    CallbackName,
    CallbackSettings,
)

# LiteLLM's fallback lists: ``[{"gpt-4o": ["gpt-4o-mini", "claude"]}]`` (a plain mapping works too).
FallbackList = list[dict[str, list[str] | str]] | dict[str, list[str] | str]


class RoutingStrategyArgs(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)

    # latency-based routing: deployments within this fraction of the fastest share the traffic
    lowest_latency_buffer: float = Field(default=0.0, ge=0)


class AliasTarget(BaseModel):
    """``model_group_alias`` value in its long form: ``{model: gpt-4o, hidden: true}``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    model: str = Field(min_length=1)
    hidden: bool = False  # hidden: served, but not listed in /v1/models


class RouterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    routing_strategy: str = "simple-shuffle"
    routing_strategy_args: RoutingStrategyArgs = Field(default_factory=RoutingStrategyArgs)
    num_retries: int | None = Field(default=None, ge=0)
    retry_after: float | None = Field(default=None, ge=0)  # the first backoff step, in seconds
    retry_policy: dict[str, int] | None = None
    allowed_fails: int | None = Field(default=None, ge=0)
    allowed_fails_policy: dict[str, int] | None = None
    cooldown_time: float | None = Field(default=None, ge=0)
    disable_cooldowns: bool = False
    fallbacks: FallbackList | None = None
    default_fallbacks: list[str] | None = None
    context_window_fallbacks: FallbackList | None = None
    content_policy_fallbacks: FallbackList | None = None
    max_fallbacks: int | None = Field(default=None, ge=0)
    # a request's own num_retries / fallbacks are capped at these (retries: at num_retries when unset)
    max_request_retries: int | None = Field(default=None, ge=0)
    max_request_fallbacks: int = Field(default=5, ge=0)
    enable_pre_call_checks: bool = False
    enable_tag_filtering: bool = False
    # where the router's live state lives: "auto" = Redis when one is configured, else memory
    routing_state: Literal["auto", "memory", "redis"] = "auto"
    timeout: float | None = Field(default=None, gt=0)
    stream_timeout: float | None = Field(default=None, gt=0)
    redis_url: str | None = None
    redis_host: str | None = None
    redis_port: int | None = Field(default=None, ge=1, le=65535)
    redis_password: SecretStr | None = None
    # another name for a model group: {"gpt-4": "gpt-4o"} or {"gpt-4": {"model": "gpt-4o", "hidden": true}}
    model_group_alias: dict[str, str | AliasTarget] = Field(default_factory=dict)


_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class LitellmSettings(GovernanceLitellmSettings):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    @field_validator("ssl_verify", mode="before")
    @classmethod
    def _bundle_exists(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:  # from os.environ/NAME
            return _BOOLEANS[value.strip().lower()]
        if isinstance(value, str) and not os.path.isfile(value):
            raise ValueError(f"no CA bundle at {value!r} (give a file of PEM certificates, true or false)")
        return value

    drop_params: bool = False
    request_timeout: float | None = Field(default=None, gt=0)
    # Upstream certificates: true (the system's authorities), a CA bundle's path, or false (none)
    ssl_verify: bool | str = True
    num_retries: int | None = Field(default=None, ge=0)
    # LiteLLM also reads these here; router_settings wins when both are set
    fallbacks: FallbackList | None = None
    default_fallbacks: list[str] | None = None
    context_window_fallbacks: FallbackList | None = None
    content_policy_fallbacks: FallbackList | None = None
    allowed_fails: int | None = Field(default=None, ge=0)
    cooldown_time: float | None = Field(default=None, ge=0)
    json_logs: bool | None = None
    # A LiteLLM-format price file (path, relative to the config file) or its entries inline;
    # its models win over Switchboard's curated catalog.
    model_cost_map: str | dict[str, dict[str, Any]] | None = None
    cache: bool = False
    cache_params: CacheParams | None = None
    # observability (bootstrap/config/observability.py)
    success_callback: list[CallbackName] = Field(default_factory=list)
    failure_callback: list[CallbackName] = Field(default_factory=list)
    callbacks: list[CallbackName] = Field(default_factory=list)
    callback_settings: CallbackSettings = Field(default_factory=CallbackSettings)
    turn_off_message_logging: bool = False
    redact_user_api_key_info: bool = False
    require_auth_for_metrics_endpoint: bool = False


class GeneralSettings(GovernanceGeneralSettings, AccessGeneralSettings):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    master_key: SecretStr | None = None
    max_request_size_mb: float = Field(default=20, gt=0)
    # the server's own limits (adapters/inbound/http/guarded_protocol.py)
    request_header_timeout: float = Field(default=10, gt=0, le=600)  # seconds for a request's headers
    request_body_timeout: float = Field(default=30, gt=0, le=3600)  # seconds between parts of a body
    max_connections_per_client: int = Field(default=256, ge=1)  # open connections from one address
    redis_url: str | None = None
    # The upstream HTTP client: the lean HTTP/1.1 one, or aiohttp (same contract; it follows redirects)
    upstream_transport: Literal["http1", "aiohttp"] = "http1"
    # alerting (bootstrap/config/observability.py)
    alerting: list[AlertChannel] = Field(default_factory=list)
    alerting_threshold: float = Field(default=300, gt=0)
    alert_types: list[AlertTypeName] | None = None
    alerting_args: AlertingArgs = Field(default_factory=AlertingArgs)
    # deployment health checks (GET /health; bootstrap/health.py)
    background_health_checks: bool = False
    health_check_interval: float = Field(default=300, gt=0)  # seconds between background rounds
    health_check_timeout: float | None = Field(default=None, gt=0)  # per probe; default 30s
    # LiteLLM compatibility (bootstrap/config/litellm_keys.py)
    custom_auth: str | None = Field(default=None, min_length=3)  # "module:function", next to the config file
    disable_master_key_return: bool = True  # Switchboard never returns the master key
    store_model_in_db: bool = True  # /model/new models are always kept in the database


ACCEPTED_WITHOUT_EFFECT: dict[str, frozenset[str]] = {
    "litellm_settings": frozenset({"set_verbose", "telemetry", "suppress_debug_info"}),
    "general_settings": frozenset(),
    "router_settings": frozenset(),
}


class Config(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    model_list: list[ModelEntry] = Field(default_factory=list)
    router_settings: RouterSettings = Field(default_factory=RouterSettings)
    litellm_settings: LitellmSettings = Field(default_factory=LitellmSettings)
    general_settings: GeneralSettings = Field(default_factory=GeneralSettings)
    environment_variables: dict[str, str] = Field(default_factory=dict)
