"""Callbacks and alerting in LiteLLM's config format: what each sink receives, its credentials
from the file or the environment, and precise errors with paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from switchboard.bootstrap.config.callbacks import (
    DatadogTarget,
    LangfuseTarget,
    ObservabilitySettings,
    WebhookTarget,
    parse_headers,
    resolve_observability,
)
from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.config.problems import Problem
from switchboard.bootstrap.config.schema import Config

MODELS = [{"model_name": "mock", "litellm_params": {"model": "mock/mock"}}]


def problems(config: dict[str, Any], environ: dict[str, str] | None = None) -> list[Problem]:
    _, found = check_config({"model_list": MODELS, **config}, environ=environ or {})
    return found


def errors(config: dict[str, Any], environ: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in problems(config, environ) if p.severity == "error"]


def settings(
    config: dict[str, Any], environ: dict[str, str] | None = None, base: Path | None = None
) -> ObservabilitySettings:
    resolved, found = resolve_observability(
        Config.model_validate({"model_list": MODELS, **config}), environ or {}, base
    )
    assert [p for p in found if p.severity == "error"] == []
    return resolved


def test_no_callbacks_means_no_sinks_and_no_alerting() -> None:
    resolved = settings({})
    assert (resolved.sinks, resolved.alerting, resolved.prometheus) == ((), False, None)


def test_success_and_failure_lists_decide_what_a_sink_receives() -> None:
    resolved = settings(
        {
            "litellm_settings": {
                "success_callback": ["structlog", "otel"],
                "failure_callback": ["otel"],
                "callbacks": ["generic_api"],
            }
        },
        {"GENERIC_LOGGER_ENDPOINT": "http://127.0.0.1:9/hook"},
    )
    assert {s.name: s.receives for s in resolved.sinks} == {"structlog": "success", "otel": "all", "webhook": "all"}


def test_prometheus_receives_every_call_whichever_list_names_it() -> None:
    resolved = settings({"litellm_settings": {"success_callback": ["prometheus"]}})
    assert [(s.kind, s.receives) for s in resolved.sinks] == [("prometheus", "all")]
    assert resolved.prometheus is not None


def test_an_unknown_callback_is_an_error_at_its_path() -> None:
    ((path, message),) = errors({"litellm_settings": {"callbacks": ["prometheus", "promethus"]}})
    assert path == "litellm_settings.callbacks[1]"
    assert "unknown callback 'promethus'" in message and "prometheus" in message


def test_a_litellm_only_callback_is_named_as_such() -> None:
    ((_, message),) = errors({"litellm_settings": {"success_callback": ["langsmith"]}})
    assert "LiteLLM's" in message


def test_langfuse_reads_its_keys_and_host_from_the_environment() -> None:
    env = {"LANGFUSE_PUBLIC_KEY": "pk-lf-1", "LANGFUSE_SECRET_KEY": "sk-lf-1", "LANGFUSE_HOST": "http://127.0.0.1:3000"}
    (sink,) = settings({"litellm_settings": {"success_callback": ["langfuse"]}}, env).sinks
    assert sink.target == LangfuseTarget("http://127.0.0.1:3000", "pk-lf-1", "sk-lf-1")


def test_langfuse_without_keys_is_an_error_naming_the_variables() -> None:
    ((path, message),) = errors({"litellm_settings": {"success_callback": ["langfuse"]}})
    assert path == "litellm_settings.success_callback[0]"
    assert "LANGFUSE_PUBLIC_KEY" in message and "LANGFUSE_SECRET_KEY" in message


def test_datadog_builds_the_intake_url_from_its_site() -> None:
    (sink,) = settings(
        {"litellm_settings": {"callbacks": ["datadog"]}}, {"DD_API_KEY": "dd", "DD_SITE": "datadoghq.eu"}
    ).sinks
    assert sink.target == DatadogTarget("https://http-intake.logs.datadoghq.eu/api/v2/logs", "dd", "switchboard", "")


def test_datadog_without_an_api_key_is_an_error() -> None:
    ((_, message),) = errors({"litellm_settings": {"callbacks": ["datadog"]}})
    assert "DD_API_KEY" in message


def test_the_webhook_takes_endpoint_and_headers_from_callback_settings() -> None:
    config = {
        "litellm_settings": {
            "callbacks": ["webhook"],
            "callback_settings": {"generic_api": {"endpoint": "https://logs.example/in", "headers": {"x-token": "t"}}},
        }
    }
    (sink,) = settings(config).sinks
    assert sink.target == WebhookTarget("https://logs.example/in", {"x-token": "t"})


def test_a_webhook_endpoint_must_be_an_http_url() -> None:
    ((_, message),) = errors(
        {"litellm_settings": {"callbacks": ["generic_api"]}}, {"GENERIC_LOGGER_ENDPOINT": "ftp://x"}
    )
    assert "http(s) URL" in message


def test_an_unknown_sink_option_is_reported_with_its_path() -> None:
    found = problems({"litellm_settings": {"callback_settings": {"langfuse": {"hots": "x"}}}})
    assert [(p.path, p.message) for p in found] == [
        ("litellm_settings.callback_settings.langfuse.hots", "unknown key (ignored)")
    ]


def test_a_bad_sink_option_value_is_an_error_at_its_path() -> None:
    ((path, _),) = errors({"litellm_settings": {"callback_settings": {"datadog": {"queue_size": 0}}}})
    assert path == "litellm_settings.callback_settings.datadog.queue_size"


def test_slack_alerting_needs_its_webhook_url() -> None:
    ((path, message),) = errors({"general_settings": {"alerting": ["slack"]}})
    assert path == "general_settings.alerting[0]"
    assert "SLACK_WEBHOOK_URL" in message


def test_slack_alerting_with_its_url_turns_alerting_on() -> None:
    resolved = settings(
        {"general_settings": {"alerting": ["slack"], "alerting_threshold": 30, "alert_types": ["budget_alerts"]}},
        {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/X"},
    )
    assert resolved.alerting
    assert resolved.thresholds.slow_seconds == 30
    assert resolved.alert_types == frozenset({"budget_alerts"})


def test_an_unsupported_alerting_channel_is_an_error() -> None:
    ((path, message),) = errors({"general_settings": {"alerting": ["email"]}})
    assert path == "general_settings.alerting[0]"
    assert "'slack'" in message


def test_an_unknown_alert_type_is_an_error_and_an_unraised_one_a_warning() -> None:
    found = problems(
        {"general_settings": {"alerting": ["slack"], "alert_types": ["daily_reports", "budget_alert"]}},
        {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x"},
    )
    assert [(p.path, p.severity) for p in found] == [("general_settings.alert_types[1]", "error")]
    found = problems(
        {"general_settings": {"alerting": ["slack"], "alert_types": ["daily_reports"]}},
        {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x"},
    )
    assert [(p.path, p.severity) for p in found] == [("general_settings.alert_types[0]", "warning")]


def test_redaction_switches_become_the_logging_policy() -> None:
    resolved = settings({"litellm_settings": {"turn_off_message_logging": True, "redact_user_api_key_info": True}})
    assert (resolved.policy.log_messages, resolved.policy.log_key_info) == (False, False)


def test_a_function_is_refused_as_a_callback() -> None:
    ((path, message),) = errors({"litellm_settings": {"callbacks": ["os:system"]}})
    assert path == "litellm_settings.callbacks[0]"
    assert "not a sink class or instance" in message


def test_a_class_without_sink_methods_is_refused() -> None:
    ((_, message),) = errors({"litellm_settings": {"callbacks": ["collections:OrderedDict"]}})
    assert "offers none of the sink methods" in message


def test_a_module_that_does_not_exist_is_an_error() -> None:
    ((_, message),) = errors({"litellm_settings": {"callbacks": ["no_such_module_xyz:Sink"]}})
    assert "cannot import no_such_module_xyz" in message


def test_a_user_sink_is_found_next_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "my_callbacks_mod.py").write_text(
        "class Sink:\n    def log(self, event):\n        pass\n\nhandler = Sink()\n"
    )
    path = tmp_path / "config.yaml"
    path.write_text(
        "model_list:\n  - model_name: mock\n    litellm_params: {model: mock/mock}\n"
        "litellm_settings:\n  callbacks: ['my_callbacks_mod:Sink', my_callbacks_mod.handler]\n"
    )
    loaded, found = check_config(path, environ={})
    assert loaded is not None, found
    resolved, _ = resolve_observability(loaded.config, {}, tmp_path)
    assert [s.kind for s in resolved.sinks] == ["custom", "custom"]
    assert isinstance(resolved.sinks[0].target, type)
    assert not isinstance(resolved.sinks[1].target, type)


def test_header_variables_parse_as_pairs() -> None:
    assert parse_headers("Authorization=Bearer x, x-team = ml,broken") == {"Authorization": "Bearer x", "x-team": "ml"}
