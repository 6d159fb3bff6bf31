"""From the callback and alerting keys of the configuration to ``ObservabilitySettings``: which
sinks run, what each receives, their credentials (from the file or the environment, as LiteLLM
reads them), and every problem found, with its path.

User sinks (``module:Class``, or LiteLLM's ``custom_callbacks.handler_instance``) are imported
here, from the configuration file only (never from a request), and must offer a sink method: a
function such as ``os:system`` is refused.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from switchboard.adapters.outbound.observability.custom import EVENT_METHODS, sink_methods
from switchboard.adapters.outbound.observability.datadog import intake_url
from switchboard.bootstrap.config.observability import (
    SINK_NAMES,
    DispatcherOptions,
    PrometheusOptions,
    QueueOptions,
)
from switchboard.bootstrap.config.problems import Problem, dotted
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.alerts import RAISED_TYPES, AlertThresholds
from switchboard.domain.call_events import LoggingPolicy

Receives = Literal["all", "success", "failure"]

# (batch size, seconds a batch may wait to fill) per sink, unless its options say otherwise.
BATCHING: dict[str, tuple[int, float]] = {
    "structlog": (256, 0.0),
    "prometheus": (512, 0.0),
    "otel": (512, 0.0),
    "langfuse": (100, 1.0),
    "datadog": (500, 1.0),
    "webhook": (100, 1.0),
    "custom": (100, 0.0),
    "slack": (10, 1.0),
    "watch": (512, 0.0),
}


@dataclass(frozen=True)
class StructlogTarget:
    path: str | None = None


@dataclass(frozen=True)
class OtelTarget:
    endpoint: str | None
    headers: Mapping[str, str]
    service_name: str
    message_logging: bool


@dataclass(frozen=True)
class LangfuseTarget:
    host: str
    public_key: str
    secret_key: str = field(repr=False)


@dataclass(frozen=True)
class DatadogTarget:
    url: str
    api_key: str = field(repr=False)
    service: str = "switchboard"
    tags: str = ""


@dataclass(frozen=True)
class WebhookTarget:
    url: str = field(repr=False)  # may carry a token
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class SlackTarget:
    webhook_url: str = field(repr=False)
    queue: QueueOptions = field(default_factory=QueueOptions)


@dataclass(frozen=True)
class SinkSpec:
    """One sink to build: its kind, its name in metrics, what it receives, its queue and target
    (a ``*Target``, ``PrometheusOptions``, or for ``custom`` the user's class or instance)."""

    kind: str
    name: str
    receives: Receives
    queue: QueueOptions
    target: Any


@dataclass(frozen=True)
class ObservabilitySettings:
    sinks: tuple[SinkSpec, ...] = ()
    policy: LoggingPolicy = field(default_factory=LoggingPolicy)
    metrics_auth: bool = False
    slack: SlackTarget | None = None
    alert_types: frozenset[str] | None = None
    thresholds: AlertThresholds = field(default_factory=AlertThresholds)
    alert_dedup: float = 600.0
    budget_alert_dedup: float = 86_400.0
    dispatcher: DispatcherOptions = field(default_factory=DispatcherOptions)

    @property
    def prometheus(self) -> PrometheusOptions | None:
        return next((s.target for s in self.sinks if s.kind == "prometheus"), None)

    @property
    def alerting(self) -> bool:
        return self.slack is not None


def resolve_observability(
    config: Config, environ: Mapping[str, str], base_dir: Path | None = None
) -> tuple[ObservabilitySettings, list[Problem]]:
    """The settings, and the problems found (errors and warnings) with their paths."""
    litellm, general = config.litellm_settings, config.general_settings
    problems: list[Problem] = []
    wanted: dict[str, set[Receives]] = {}
    where: dict[str, tuple[int | str, ...]] = {}
    lists: tuple[tuple[str, set[Receives]], ...] = (
        ("success_callback", {"success"}),
        ("failure_callback", {"failure"}),
        ("callbacks", {"all"}),
    )
    for key, kinds in lists:
        for index, name in enumerate(getattr(litellm, key)):
            sink = SINK_NAMES.get(name, name)
            wanted.setdefault(sink, set()).update(kinds)
            where.setdefault(sink, ("litellm_settings", key, index))
    options = litellm.callback_settings
    sinks: list[SinkSpec] = []
    for sink, kinds in wanted.items():
        if sink == "slack":
            continue
        receives: Receives = "all" if "all" in kinds or kinds == {"success", "failure"} else kinds.pop()
        path = dotted(where[sink])
        try:
            spec = _sink(sink, receives, options, environ, base_dir)
        except ValueError as exc:
            problems.append(Problem(path, str(exc)))
            continue
        sinks.append(spec)
    slack = None
    if "slack" in wanted or general.alerting:
        slack_path = dotted(where["slack"]) if "slack" in wanted else "general_settings.alerting[0]"
        url = _secret(options.slack.webhook_url) or environ.get("SLACK_WEBHOOK_URL")
        if not url:
            problems.append(
                Problem(
                    slack_path,
                    "slack alerting needs SLACK_WEBHOOK_URL (environment, or callback_settings.slack.webhook_url)",
                )
            )
        elif (bad := _url_problem(url)) is not None:
            problems.append(Problem(slack_path, f"the Slack webhook URL {bad}"))
        else:
            slack = SlackTarget(url, options.slack)
    problems.extend(
        _alert_type_problems(config, alerting=slack is not None or "slack" in wanted or bool(general.alerting))
    )
    args = general.alerting_args
    settings = ObservabilitySettings(
        sinks=tuple(sinks),
        policy=LoggingPolicy(
            log_messages=not litellm.turn_off_message_logging, log_key_info=not litellm.redact_user_api_key_info
        ),
        metrics_auth=litellm.require_auth_for_metrics_endpoint,
        slack=slack,
        alert_types=frozenset(general.alert_types) if general.alert_types is not None else None,
        thresholds=AlertThresholds(
            window=args.outage_alert_ttl,
            min_failures=args.minor_outage_alert_threshold,
            error_rate=args.error_rate_threshold,
            slow_seconds=general.alerting_threshold,
        ),
        alert_dedup=args.alert_dedup_ttl,
        budget_alert_dedup=args.budget_alert_ttl,
        dispatcher=options.dispatcher,
    )
    return settings, problems


def _sink(kind: str, receives: Receives, options: Any, environ: Mapping[str, str], base_dir: Path | None) -> SinkSpec:
    if kind == "prometheus":
        return SinkSpec(kind, kind, "all", QueueOptions(), options.prometheus)
    if kind == "structlog":
        return SinkSpec(kind, kind, receives, options.structlog, StructlogTarget(options.structlog.path))
    if kind == "otel":
        otel = options.otel
        endpoint = otel.endpoint or environ.get("OTEL_ENDPOINT")
        if endpoint and (bad := _url_problem(endpoint)):
            raise ValueError(f"the OpenTelemetry endpoint {bad}")
        headers = otel.headers or parse_headers(environ.get("OTEL_HEADERS", ""))
        service = otel.service_name or environ.get("OTEL_SERVICE_NAME") or "switchboard"
        return SinkSpec(kind, kind, receives, otel, OtelTarget(endpoint, headers, service, otel.message_logging))
    if kind == "langfuse":
        lf = options.langfuse
        public = _secret(lf.public_key) or environ.get("LANGFUSE_PUBLIC_KEY")
        secret = _secret(lf.secret_key) or environ.get("LANGFUSE_SECRET_KEY")
        if not public or not secret:
            raise ValueError(
                "langfuse needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY "
                "(environment, or callback_settings.langfuse)"
            )
        host = lf.host or environ.get("LANGFUSE_HOST") or "https://cloud.langfuse.com"
        if (bad := _url_problem(host)) is not None:
            raise ValueError(f"the Langfuse host {bad}")
        return SinkSpec(kind, kind, receives, lf, LangfuseTarget(host, public, secret))
    if kind == "datadog":
        dd = options.datadog
        api_key = _secret(dd.api_key) or environ.get("DD_API_KEY")
        if not api_key:
            raise ValueError("datadog needs DD_API_KEY (environment, or callback_settings.datadog.api_key)")
        url = dd.url or intake_url(dd.site or environ.get("DD_SITE") or "datadoghq.com")
        if (bad := _url_problem(url)) is not None:
            raise ValueError(f"the Datadog intake URL {bad}")
        tags = dd.tags if dd.tags is not None else environ.get("DD_TAGS", "")
        if environ.get("DD_ENV") and "env:" not in tags:
            tags = ",".join(filter(None, [tags, f"env:{environ['DD_ENV']}"]))
        service = dd.service or environ.get("DD_SERVICE") or "switchboard"
        return SinkSpec(kind, kind, receives, dd, DatadogTarget(url, api_key, service, tags))
    if kind == "webhook":
        hook = options.generic_api
        url = hook.endpoint or environ.get("GENERIC_LOGGER_ENDPOINT")
        if not url:
            raise ValueError(
                "the webhook sink needs an endpoint: callback_settings.generic_api.endpoint or GENERIC_LOGGER_ENDPOINT"
            )
        if (bad := _url_problem(url)) is not None:
            raise ValueError(f"the webhook endpoint {bad}")
        headers = hook.headers or parse_headers(environ.get("GENERIC_LOGGER_HEADERS", ""))
        return SinkSpec(kind, kind, receives, hook, WebhookTarget(url, headers))
    return SinkSpec("custom", kind, receives, QueueOptions(), load_sink_target(kind, base_dir))


def load_sink_target(spec: str, base_dir: Path | None = None) -> Any:
    """The class or instance ``spec`` names (``package.module:Class`` or ``module.attribute``).

    The module is looked up on ``sys.path``, then next to the configuration file. Raises
    ``ValueError`` unless the result is a class or instance offering a sink method.
    """
    module_name, sep, attribute = spec.partition(":")
    if not sep:
        module_name, _, attribute = spec.rpartition(".")
    if not module_name or not attribute:
        raise ValueError(f"{spec!r} is not 'module:Class' or 'module.attribute'")
    module = _import(module_name, base_dir)
    target: Any = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ValueError(f"{module_name} has no attribute {attribute!r}")
        target = getattr(target, part)
    if (
        inspect.ismodule(target)
        or inspect.isroutine(target)
        or not (inspect.isclass(target) or hasattr(target, "__dict__"))
    ):
        raise ValueError(f"{spec!r} is a {type(target).__name__}, not a sink class or instance")
    if not sink_methods(target):
        raise ValueError(f"{spec!r} offers none of the sink methods {', '.join(EVENT_METHODS)}")
    return target


def _import(name: str, base_dir: Path | None) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if base_dir is None or exc.name != name.split(".")[0]:
            raise ValueError(f"cannot import {name}: {exc}") from None
    sys.path.insert(0, str(base_dir))
    try:
        return importlib.import_module(name)
    except Exception as exc:
        raise ValueError(f"cannot import {name}: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(str(base_dir))


def parse_headers(text: str) -> dict[str, str]:
    """``"k=v,k2=v2"`` (LiteLLM's and OpenTelemetry's header variables) as a dict."""
    headers: dict[str, str] = {}
    for pair in text.split(","):
        name, sep, value = pair.partition("=")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
    return headers


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an http(s) URL"
    return None


def _alert_type_problems(config: Config, *, alerting: bool) -> list[Problem]:
    general = config.general_settings
    if general.alert_types is None:
        return []
    if not alerting:
        return [
            Problem(
                "general_settings.alert_types", "has no effect without general_settings.alerting", severity="warning"
            )
        ]
    return [
        Problem(
            f"general_settings.alert_types[{index}]",
            f"accepted for LiteLLM compatibility; Switchboard does not raise {name!r} alerts",
            severity="warning",
        )
        for index, name in enumerate(general.alert_types)
        if name not in RAISED_TYPES
    ]
