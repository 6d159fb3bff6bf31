"""The observability parts of the configuration, as LiteLLM names them.

litellm_settings:
  success_callback: [langfuse]           # sinks that see successful calls
  failure_callback: [langfuse]           # sinks that see failed calls
  callbacks: [prometheus, otel]          # sinks that see every call
  callback_settings: {langfuse: {...}}   # per-sink options (Switchboard's)
  turn_off_message_logging: true         # no prompts or completions in any sink
  redact_user_api_key_info: true         # no key, user, team or org in any sink
general_settings:
  alerting: [slack]
  alerting_threshold: 300                # seconds: slower responses raise llm_too_slow
  alert_types: [budget_alerts, cooldown_deployment]
  alerting_args: {...}
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr
from pydantic_core import PydanticCustomError

from switchboard.domain.alerts import ALERT_TYPES

# Callback names -> the sink that serves them.
SINK_NAMES: dict[str, str] = {
    "prometheus": "prometheus",
    "otel": "otel",
    "opentelemetry": "otel",
    "langfuse": "langfuse",
    "datadog": "datadog",
    "generic_api": "webhook",
    "generic": "webhook",
    "webhook": "webhook",
    "structlog": "structlog",
    "slack": "slack",
}

# LiteLLM callbacks Switchboard does not ship, named so the error says so rather than "unknown".
_LITELLM_ONLY = frozenset(
    {
        "langsmith", "lunary", "helicone", "s3", "gcs_bucket", "azure_storage", "dynamodb", "sentry",
        "arize", "arize_phoenix", "braintrust", "mlflow", "logfire", "athina", "greenscale", "openmeter",
        "literalai", "galileo", "opik", "humanloop", "lago", "email", "pagerduty", "sqs", "cloudzero",
        "traceloop", "openllmetry", "wandb", "weights_biases", "posthog", "custom_callback_api",
    }
)  # fmt: skip


def _problem(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as is (a ``ValueError`` gets "Value error, ")."""
    return PydanticCustomError("invalid_setting", message)


def _callback_name(value: str) -> str:
    name = value.strip()
    if name in SINK_NAMES or ":" in name or "." in name:
        return name
    known = ", ".join(sorted(SINK_NAMES))
    if name.lower() in _LITELLM_ONLY:
        raise _problem(f"the {name!r} callback is LiteLLM's; Switchboard provides {known}, or 'module:Class'")
    raise _problem(f"unknown callback {name!r}; use one of {known}, or 'module:Class' for your own sink")


def _alert_type(value: str) -> str:
    if value not in ALERT_TYPES:
        raise _problem(f"unknown alert type {value!r}; one of {', '.join(sorted(ALERT_TYPES))}")
    return value


def _alerting_channel(value: str) -> str:
    if value != "slack":
        raise _problem(f"alerting channel {value!r} is not supported; Switchboard alerts to 'slack'")
    return value


CallbackName = Annotated[str, AfterValidator(_callback_name)]
AlertTypeName = Annotated[str, AfterValidator(_alert_type)]
AlertChannel = Annotated[str, AfterValidator(_alerting_channel)]


class QueueOptions(BaseModel):
    """How a sink's queue behaves; every sink accepts these."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    queue_size: int = Field(default=10_000, ge=1)
    batch_size: int | None = Field(default=None, ge=1)
    flush_interval: float | None = Field(default=None, ge=0)
    max_retries: int = Field(default=3, ge=0)
    timeout: float = Field(default=10.0, gt=0)


class StructlogOptions(QueueOptions):
    path: str | None = None  # a file to append JSON lines to; standard output by default


class PrometheusOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    max_label_values: int = Field(default=100, ge=1)
    key_labels: bool = False  # key alias and team as labels: they name callers, so opt-in


class OtelOptions(QueueOptions):
    endpoint: str | None = None  # else OTEL_ENDPOINT, else the SDK's OTEL_EXPORTER_OTLP_* variables
    headers: dict[str, str] = Field(default_factory=dict)
    service_name: str | None = None
    message_logging: bool = True


class LangfuseOptions(QueueOptions):
    host: str | None = None  # else LANGFUSE_HOST, else https://cloud.langfuse.com
    public_key: SecretStr | None = None  # else LANGFUSE_PUBLIC_KEY
    secret_key: SecretStr | None = None  # else LANGFUSE_SECRET_KEY


class DatadogOptions(QueueOptions):
    api_key: SecretStr | None = None  # else DD_API_KEY
    site: str | None = None  # else DD_SITE, else datadoghq.com
    url: str | None = None  # the full intake URL, overriding the site
    service: str | None = None  # else DD_SERVICE, else switchboard
    tags: str | None = None  # else DD_TAGS: "env:prod,team:ml"


class WebhookOptions(QueueOptions):
    endpoint: str | None = None  # else GENERIC_LOGGER_ENDPOINT
    headers: dict[str, str] = Field(default_factory=dict)  # else GENERIC_LOGGER_HEADERS "k=v,k2=v2"


class SlackOptions(QueueOptions):
    webhook_url: SecretStr | None = None  # else SLACK_WEBHOOK_URL


class DispatcherOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    queue_size: int = Field(default=10_000, ge=1)
    shutdown_timeout: float = Field(default=5.0, gt=0)
    warn_interval: float = Field(default=60.0, gt=0)


class CallbackSettings(BaseModel):
    """``litellm_settings.callback_settings``: options per sink."""

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    structlog: StructlogOptions = Field(default_factory=StructlogOptions)
    prometheus: PrometheusOptions = Field(default_factory=PrometheusOptions)
    otel: OtelOptions = Field(default_factory=OtelOptions)
    langfuse: LangfuseOptions = Field(default_factory=LangfuseOptions)
    datadog: DatadogOptions = Field(default_factory=DatadogOptions)
    generic_api: WebhookOptions = Field(default_factory=WebhookOptions, alias="webhook")
    slack: SlackOptions = Field(default_factory=SlackOptions)
    dispatcher: DispatcherOptions = Field(default_factory=DispatcherOptions)


class AlertingArgs(BaseModel):
    """``general_settings.alerting_args``. LiteLLM's names where they mean the same."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    budget_alert_ttl: float = Field(default=86_400, gt=0)  # a budget alert repeats at most this often
    outage_alert_ttl: float = Field(default=60, gt=0)  # the window error rates and latency are taken over
    minor_outage_alert_threshold: int = Field(default=5, ge=1)  # failures in the window before an alert
    error_rate_threshold: float = Field(default=0.5, gt=0, le=1)  # ...that are at least this share of calls
    alert_dedup_ttl: float = Field(default=600, gt=0)  # any other alert repeats at most this often
    # Accepted for LiteLLM compatibility; Switchboard does not act on them.
    daily_report_frequency: float | None = None
    report_check_interval: float | None = None
    region_outage_alert_ttl: float | None = None
    major_outage_alert_threshold: int | None = None
    max_outage_alert_list_size: int | None = None
    log_to_console: bool | None = None
