"""Every key LiteLLM documents for its proxy configuration, and what Switchboard does with it.

Each key is in one of three states:

- ``honoured``: Switchboard acts on it (the note says how, or where it differs);
- ``refused``: ``config check`` fails at the key, naming the feature Switchboard does not have;
- ``ignored``: harmless here; ``config check`` warns that it has no effect.

A key that changes who may call what, what a call costs, where a call goes or whose credentials
it uses is never ``ignored``. ``docs/litellm-compat.md`` is generated from ``KEYS``
(``switchboard config compat-table``). Keys of ``litellm_params`` not listed here are provider
settings, passed to the provider as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    HONOURED = "honoured"
    REFUSED = "refused"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class LitellmKey:
    """One key: the section it sits in, its state, and a note (what Switchboard does with it,
    the feature it lacks, or why the key is harmless)."""

    section: str
    name: str
    state: State
    note: str


TOP = "top level"
PARAMS = "model_list[].litellm_params"
INFO = "model_list[].model_info"
LITELLM = "litellm_settings"
ROUTER = "router_settings"
GENERAL = "general_settings"
ENVIRONMENT = "environment_variables"
CREDENTIALS = "credential_list[]"

SECTIONS: tuple[str, ...] = (TOP, PARAMS, INFO, CREDENTIALS, LITELLM, ROUTER, GENERAL, ENVIRONMENT)


def _rows(section: str, state: State, note: str, names: Iterable[str]) -> list[LitellmKey]:
    return [LitellmKey(section, name, state, note) for name in names]


H, R, IG = State.HONOURED, State.REFUSED, State.IGNORED

_PRICE_NOTE = "the deployment's price (cost, budgets, cost-based routing), from litellm_params or model_info"
_NO_MCP = "MCP servers"
_UI_ONLY = "LiteLLM's admin UI; Switchboard has none"

KEYS: tuple[LitellmKey, ...] = (
    # --- the file's sections -------------------------------------------------------------------
    *_rows(TOP, H, "the deployments", ["model_list"]),
    *_rows(TOP, H, "see its keys below", ["litellm_settings", "router_settings", "general_settings"]),
    *_rows(TOP, H, "set for os.environ/ references and exported to the process environment", ["environment_variables"]),
    *_rows(TOP, H, "named credentials, used by litellm_params.litellm_credential_name", ["credential_list"]),
    LitellmKey(TOP, "include", R, "including other config files; merge them into one file"),
    LitellmKey(TOP, "guardrails", R, "guardrails (use litellm_settings.call_hooks for your own checks)"),
    LitellmKey(TOP, "mcp_servers", R, _NO_MCP),
    LitellmKey(TOP, "search_tools", R, "the search API"),
    LitellmKey(TOP, "vector_store_registry", R, "vector stores"),
    LitellmKey(TOP, "prompts", R, "prompt management"),
    LitellmKey(TOP, "assistant_settings", R, "the Assistants API"),
    LitellmKey(TOP, "finetune_settings", R, "the fine-tuning API"),
    LitellmKey(TOP, "files_settings", R, "the Files API"),
    LitellmKey(TOP, "callback_settings", R, "callback_settings at the top level; put it under litellm_settings"),
    # --- model_list[].litellm_params ------------------------------------------------------------
    LitellmKey(PARAMS, "model", H, "provider/model; `*` and `provider/*` serve any model (of that provider)"),
    *_rows(PARAMS, H, "where the deployment's calls go", ["api_base", "base_url", "api_version"]),
    LitellmKey(PARAMS, "api_key", H, "the deployment's credential (else the provider's environment variable)"),
    LitellmKey(PARAMS, "custom_llm_provider", H, "the provider of a bare model name (same as writing provider/model)"),
    LitellmKey(PARAMS, "litellm_credential_name", H, "takes api_key, api_base... from credential_list"),
    *_rows(PARAMS, H, "per-deployment rate limits and load balancing", ["rpm", "tpm", "weight", "order"]),
    *_rows(
        PARAMS, H, "per-deployment timeouts and concurrency", ["timeout", "stream_timeout", "max_parallel_requests"]
    ),
    LitellmKey(PARAMS, "drop_params", H, "drop request parameters the provider does not support"),
    LitellmKey(PARAMS, "tags", H, "tag-based routing (router_settings.enable_tag_filtering)"),
    LitellmKey(PARAMS, "organization", H, "OpenAI's organization header"),
    *_rows(PARAMS, H, "extra headers sent to the provider", ["extra_headers", "headers"]),
    LitellmKey(PARAMS, "mock_response", H, "the mock provider's answer"),
    *_rows(
        PARAMS,
        H,
        "Bedrock credentials, region and endpoint",
        [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "aws_region_name",
            "aws_profile_name",
            "aws_bedrock_runtime_endpoint",
            "model_id",
        ],
    ),
    *_rows(
        PARAMS,
        R,
        "assuming an AWS role or web identity; give keys, a profile or a bearer token",
        ["aws_role_name", "aws_session_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_external_id"],
    ),
    *_rows(
        PARAMS,
        H,
        "Vertex AI project, region and credentials",
        ["vertex_project", "vertex_location", "vertex_credentials"],
    ),
    *_rows(
        PARAMS,
        H,
        "Azure Entra ID credentials",
        ["tenant_id", "client_id", "client_secret", "azure_ad_token", "azure_scope", "azure_authority_host"],
    ),
    *_rows(
        PARAMS,
        R,
        "Azure username/password login; use a key, a token or a service principal",
        ["azure_username", "azure_password"],
    ),
    *_rows(
        PARAMS,
        R,
        "Azure token providers in code; use azure_ad_token or a service principal",
        ["azure_ad_token_provider"],
    ),
    *_rows(
        PARAMS,
        H,
        _PRICE_NOTE,
        [
            "input_cost_per_token",
            "output_cost_per_token",
            "cache_read_input_token_cost",
            "cache_creation_input_token_cost",
            "output_cost_per_reasoning_token",
            "input_cost_per_audio_token",
            "output_cost_per_audio_token",
        ],
    ),
    *_rows(
        PARAMS,
        R,
        "per-second and per-character prices; give per-token prices",
        [
            "input_cost_per_second",
            "output_cost_per_second",
            "cost_per_second",
            "input_cost_per_character",
            "output_cost_per_character",
        ],
    ),
    *_rows(
        PARAMS,
        IG,
        "batch prices; Switchboard has no batch API, so they never apply",
        ["input_cost_per_token_batches", "output_cost_per_token_batches"],
    ),
    *_rows(PARAMS, R, "per-deployment budgets (provider budget routing)", ["max_budget", "budget_duration"]),
    LitellmKey(PARAMS, "use_in_pass_through", R, "pass-through endpoints"),
    LitellmKey(PARAMS, "configurable_clientside_auth_params", R, "credentials sent by the client"),
    *_rows(
        PARAMS,
        R,
        "the auto router",
        ["auto_router_config_path", "auto_router_config", "auto_router_default_model", "auto_router_embedding_model"],
    ),
    LitellmKey(PARAMS, "use_litellm_proxy", R, "forwarding to another LiteLLM proxy; use openai/ with its api_base"),
    LitellmKey(
        PARAMS, "max_retries", IG, "the provider SDK's own retries; Switchboard retries in the router (num_retries)"
    ),
    LitellmKey(PARAMS, "merge_reasoning_content_in_choices", IG, "reasoning stays in reasoning_content"),
    LitellmKey(
        PARAMS, "additional_drop_params", IG, "use drop_params; unsupported parameters are refused or dropped already"
    ),
    LitellmKey(PARAMS, "metadata", IG, "deployment notes"),
    *_rows(
        PARAMS,
        H,
        "request defaults, sent when a request does not set them",
        [
            "temperature",
            "max_tokens",
            "max_completion_tokens",
            "top_p",
            "stop",
            "seed",
            "frequency_penalty",
            "presence_penalty",
            "reasoning_effort",
        ],
    ),
    # --- model_list[].model_info -----------------------------------------------------------------
    LitellmKey(INFO, "id", H, "the deployment's id"),
    LitellmKey(INFO, "mode", H, "what the model does (chat, embedding...)"),
    *_rows(INFO, H, "context window and output limit", ["max_tokens", "max_input_tokens", "max_output_tokens"]),
    LitellmKey(INFO, "litellm_provider", H, "the provider named in /model/info"),
    LitellmKey(INFO, "supports_*", H, "capabilities (supports_vision, supports_function_calling...)"),
    *_rows(
        INFO,
        H,
        _PRICE_NOTE,
        [
            "input_cost_per_token",
            "output_cost_per_token",
            "cache_read_input_token_cost",
            "cache_creation_input_token_cost",
            "output_cost_per_reasoning_token",
            "input_cost_per_audio_token",
            "output_cost_per_audio_token",
            "input_cost_per_token_above_*k_tokens",
            "output_cost_per_token_above_*k_tokens",
        ],
    ),
    *_rows(
        INFO,
        R,
        "per-second and per-character prices; give per-token prices",
        [
            "input_cost_per_second",
            "output_cost_per_second",
            "cost_per_second",
            "input_cost_per_character",
            "output_cost_per_character",
        ],
    ),
    LitellmKey(INFO, "access_groups", H, "keys, teams and users may name the group in their models"),
    LitellmKey(INFO, "base_model", H, "the catalog entry that prices and describes the deployment"),
    *_rows(INFO, R, "team-only models", ["team_id", "team_public_model_name"]),
    *_rows(INFO, IG, "descriptive only", ["description", "metadata", "tier", "db_model", "health_check_model"]),
    # --- credential_list[] ---------------------------------------------------------------------
    LitellmKey(CREDENTIALS, "credential_name", H, "the name litellm_params.litellm_credential_name refers to"),
    LitellmKey(CREDENTIALS, "credential_values", H, "api_key, api_base... copied into each deployment naming it"),
    LitellmKey(CREDENTIALS, "credential_info", IG, "descriptive only"),
    # --- litellm_settings ----------------------------------------------------------------------
    *_rows(
        LITELLM,
        H,
        "observability sinks (structlog, prometheus, otel, langfuse, datadog, webhook, slack, module:Class)",
        ["success_callback", "failure_callback", "callbacks", "callback_settings"],
    ),
    *_rows(LITELLM, H, "what the sinks receive", ["turn_off_message_logging", "redact_user_api_key_info"]),
    LitellmKey(LITELLM, "json_logs", H, "JSON logs"),
    LitellmKey(LITELLM, "request_timeout", H, "the default upstream timeout"),
    *_rows(
        LITELLM,
        H,
        "the router's retries, cooldowns and fallbacks (router_settings wins when both are set)",
        [
            "num_retries",
            "allowed_fails",
            "cooldown_time",
            "fallbacks",
            "default_fallbacks",
            "context_window_fallbacks",
            "content_policy_fallbacks",
        ],
    ),
    *_rows(LITELLM, H, "the response cache", ["cache", "cache_params"]),
    LitellmKey(LITELLM, "drop_params", H, "drop request parameters a provider does not support"),
    LitellmKey(LITELLM, "ssl_verify", H, "upstream certificate checks"),
    LitellmKey(LITELLM, "max_end_user_budget", H, "the budget of each end user (the request's user field)"),
    LitellmKey(LITELLM, "require_auth_for_metrics_endpoint", H, "/metrics needs a key"),
    LitellmKey(LITELLM, "model_cost_map", H, "a LiteLLM-format price file (Switchboard's setting)"),
    LitellmKey(LITELLM, "call_hooks", H, "custom call hooks (Switchboard's setting)"),
    *_rows(
        LITELLM,
        R,
        "a budget for the whole proxy; set max_budget on keys, teams or organizations",
        ["max_budget", "budget_duration"],
    ),
    LitellmKey(LITELLM, "default_team_settings", R, "per-team callbacks and logging credentials"),
    *_rows(
        LITELLM,
        R,
        "defaults and upper bounds for new keys, users and teams; set them in each /key/generate, "
        "/user/new or /team/new call",
        [
            "default_key_generate_params",
            "upperbound_key_generate_params",
            "default_internal_user_params",
            "max_internal_user_budget",
            "internal_user_budget_duration",
            "default_max_internal_user_budget",
            "default_team_params",
            "max_end_user_budget_id",
        ],
    ),
    LitellmKey(LITELLM, "key_generation_settings", R, "restricting who may generate keys by role"),
    LitellmKey(LITELLM, "guardrails", R, "guardrails (use call_hooks for your own checks)"),
    LitellmKey(LITELLM, "custom_provider_map", R, "custom providers in code"),
    *_rows(LITELLM, IG, "logging verbosity; use --log-level", ["set_verbose", "telemetry", "suppress_debug_info"]),
    LitellmKey(
        LITELLM,
        "service_callbacks",
        IG,
        "infrastructure-failure logging; Switchboard's /metrics and logs cover Redis and the database",
    ),
    *_rows(
        LITELLM,
        IG,
        "SDK tuning that does not change who may call what, what it costs, or where it goes",
        [
            "modify_params",
            "enable_preview_features",
            "force_ipv4",
            "disable_add_transform_inline_image_block",
            "use_chat_completions_url_for_anthropic_messages",
            "disable_hf_tokenizer_download",
            "enable_json_schema_validation",
            "enable_key_alias_format_validation",
            "disable_copilot_system_to_assistant",
            "return_response_headers",
            "redact_messages_in_exceptions",
            "enable_loadbalancing_on_batch_endpoints",
            "disable_token_counter",
        ],
    ),
    LitellmKey(LITELLM, "langfuse_default_tags", IG, "Switchboard's langfuse sink sends its own tags"),
    LitellmKey(LITELLM, "mcp_aliases", IG, "Switchboard has no MCP servers"),
    *_rows(
        LITELLM,
        IG,
        "turns tracking off; Switchboard keeps tracking end-user spend",
        ["disable_end_user_cost_tracking", "disable_end_user_cost_tracking_prometheus_only"],
    ),
    LitellmKey(LITELLM, "extra_spend_tag_headers", IG, "spend is tagged from the request's tags only"),
    LitellmKey(LITELLM, "public_model_groups", IG, _UI_ONLY),
    LitellmKey(LITELLM, "prometheus_metrics_config", IG, "Switchboard's metrics are fixed"),
    # --- router_settings -----------------------------------------------------------------------
    *_rows(ROUTER, H, "how a deployment is picked", ["routing_strategy", "routing_strategy_args"]),
    *_rows(
        ROUTER,
        H,
        "retries, cooldowns and fallbacks",
        [
            "num_retries",
            "retry_after",
            "retry_policy",
            "allowed_fails",
            "allowed_fails_policy",
            "cooldown_time",
            "disable_cooldowns",
            "fallbacks",
            "default_fallbacks",
            "context_window_fallbacks",
            "content_policy_fallbacks",
            "max_fallbacks",
        ],
    ),
    LitellmKey(ROUTER, "enable_pre_call_checks", H, "context-window check before the call"),
    LitellmKey(ROUTER, "enable_tag_filtering", H, "tag-based routing"),
    *_rows(ROUTER, H, "default upstream timeouts", ["timeout", "stream_timeout"]),
    *_rows(ROUTER, H, "the shared Redis", ["redis_url", "redis_host", "redis_port", "redis_password"]),
    LitellmKey(ROUTER, "routing_state", H, "where the router's state lives (Switchboard's setting)"),
    LitellmKey(
        ROUTER,
        "model_group_alias",
        H,
        "another name for a model group; {model: ..., hidden: true} keeps it out of /v1/models",
    ),
    LitellmKey(ROUTER, "default_litellm_params", H, "added to every deployment's litellm_params that lacks them"),
    LitellmKey(
        ROUTER, "redis_db", R, "a Redis database number apart from the URL; write redis_url: redis://host:port/N"
    ),
    LitellmKey(
        ROUTER,
        "tag_filtering_match_any",
        R,
        "matching any one requested tag (Switchboard matches deployments by tag its own way)",
    ),
    LitellmKey(
        ROUTER,
        "default_max_parallel_requests",
        R,
        "a default concurrency limit; set max_parallel_requests per deployment",
    ),
    LitellmKey(ROUTER, "provider_budget_config", R, "provider budgets"),
    LitellmKey(ROUTER, "optional_pre_call_checks", R, "optional pre-call checks (router budget limiting, affinity...)"),
    LitellmKey(ROUTER, "search_tools", R, "the search API"),
    LitellmKey(ROUTER, "guardrail_list", R, "guardrails"),
    LitellmKey(ROUTER, "enable_pre_call_check", IG, "a misspelling in LiteLLM's docs; use enable_pre_call_checks"),
    *_rows(ROUTER, IG, "the request scheduler (priority queue)", ["default_priority", "polling_interval"]),
    *_rows(
        ROUTER,
        IG,
        "SDK tuning that does not change who may call what, what it costs, or where it goes",
        [
            "debug_level",
            "client_ttl",
            "cache_kwargs",
            "cache_responses",
            "caching_groups",
            "alerting_config",
            "assistants_config",
            "set_verbose",
            "model_group_retry_policy",
            "router_general_settings",
            "deployment_affinity_ttl_seconds",
        ],
    ),
    LitellmKey(ROUTER, "ignore_invalid_deployments", IG, "config check refuses invalid deployments instead"),
    # --- general_settings ----------------------------------------------------------------------
    LitellmKey(GENERAL, "master_key", H, "the admin key; with it, calls need a key"),
    *_rows(
        GENERAL,
        H,
        "the database",
        [
            "database_url",
            "database_connection_pool_limit",
            "database_connection_timeout",
            "allow_requests_on_db_unavailable",
        ],
    ),
    *_rows(GENERAL, H, "JWT authentication", ["enable_jwt_auth", "litellm_jwtauth"]),
    LitellmKey(
        GENERAL, "custom_auth", H, "module:function next to the config file, called with the request and the key"
    ),
    LitellmKey(GENERAL, "user_api_key_cache_ttl", H, "how long a key's record is cached"),
    *_rows(GENERAL, H, "spend writes", ["proxy_batch_write_at", "disable_spend_logs"]),
    LitellmKey(GENERAL, "alerting", H, "['slack'] (other channels are refused)"),
    *_rows(GENERAL, H, "alerting", ["alerting_threshold", "alert_types", "alerting_args"]),
    *_rows(GENERAL, H, "deployment health checks", ["background_health_checks", "health_check_interval"]),
    LitellmKey(GENERAL, "max_request_size_mb", H, "the largest request body"),
    LitellmKey(GENERAL, "disable_master_key_return", H, "Switchboard never returns the master key, whatever the value"),
    LitellmKey(GENERAL, "store_model_in_db", H, "models added with /model/new are kept in the database (always on)"),
    LitellmKey(
        GENERAL,
        "unpriced_model_policy",
        H,
        "refuse (default) or allow calls with a budget to unpriced models (Switchboard's setting)",
    ),
    LitellmKey(GENERAL, "allowed_routes", R, "a proxy-wide route allow-list; set allowed_routes on keys"),
    *_rows(GENERAL, R, "public and admin-only route lists", ["public_routes", "admin_only_routes"]),
    LitellmKey(GENERAL, "completion_model", R, "a default model for requests"),
    *_rows(GENERAL, R, "models forced per endpoint", ["image_generation_model", "embedding_model", "moderation_model"]),
    *_rows(
        GENERAL,
        R,
        "proxy-wide concurrency limits; set max_parallel_requests per deployment or key",
        ["max_parallel_requests", "global_max_parallel_requests"],
    ),
    LitellmKey(GENERAL, "enforce_user_param", R, "requiring the user field on every request"),
    LitellmKey(GENERAL, "enforced_params", R, "parameters every request must carry"),
    LitellmKey(GENERAL, "reject_clientside_metadata_tags", R, "refusing client-side metadata tags"),
    LitellmKey(GENERAL, "disable_reset_budget", R, "turning budget resets off"),
    *_rows(
        GENERAL,
        R,
        "secret managers; use os.environ/ references",
        ["key_management_system", "key_management_settings", "use_azure_key_vault", "use_google_kms"],
    ),
    *_rows(
        GENERAL,
        R,
        "OAuth2 and SSO authentication",
        ["enable_oauth2_auth", "enable_oauth2_proxy_auth", "oauth2_config_mappings", "custom_sso"],
    ),
    LitellmKey(GENERAL, "allowed_ips", R, "an IP allow-list"),
    LitellmKey(GENERAL, "litellm_key_header_name", R, "keys in a custom header"),
    LitellmKey(GENERAL, "allow_client_side_credentials", R, "credentials sent by the client"),
    LitellmKey(GENERAL, "custom_key_generate", R, "custom key generation"),
    LitellmKey(GENERAL, "default_team_disabled", R, "forbidding personal keys"),
    LitellmKey(GENERAL, "service_account_settings", R, "service-account keys"),
    *_rows(
        GENERAL, R, "pass-through endpoints", ["pass_through_endpoints", "use_client_credentials_pass_through_routes"]
    ),
    LitellmKey(GENERAL, "alert_to_webhook_url", R, "a Slack webhook per alert type"),
    *_rows(
        GENERAL,
        IG,
        "turns a protection or record off; Switchboard keeps it on",
        [
            "store_prompts_in_spend_logs",
            "disable_spend_updates",
            "disable_responses_id_security",
            "disable_adding_master_key_hash_to_db",
            "disable_retry_on_max_parallel_request_limit_error",
        ],
    ),
    LitellmKey(GENERAL, "forward_client_headers_to_llm_api", IG, "client headers are not forwarded"),
    LitellmKey(GENERAL, "forward_openai_org_id", IG, "the client's OpenAI organization is not forwarded"),
    *_rows(
        GENERAL,
        IG,
        "spend logs are kept until deleted",
        ["maximum_spend_logs_retention_period", "maximum_spend_logs_retention_interval"],
    ),
    *_rows(
        GENERAL,
        IG,
        "scheduling of LiteLLM's background jobs; Switchboard has its own (budget_reset_interval)",
        ["proxy_budget_rescheduler_min_time", "proxy_budget_rescheduler_max_time", "proxy_batch_polling_interval"],
    ),
    *_rows(GENERAL, IG, _UI_ONLY, ["ui_access_mode", "user_mcp_management_mode", "supported_db_objects"]),
    *_rows(
        GENERAL,
        IG,
        "does not change who may call what, what it costs, or where it goes",
        [
            "infer_model_from_keys",
            "health_check_details",
            "use_x_forwarded_for",
            "max_response_size_mb",
            "allow_user_auth",
            "disable_prisma_schema_update",
            "spend_report_frequency",
            "litellm_license",
        ],
    ),
    # --- environment_variables -----------------------------------------------------------------
    LitellmKey(
        ENVIRONMENT,
        "*",
        H,
        "any variable: used by os.environ/ references and exported to the process, where Switchboard "
        "and its providers read them (OPENAI_API_KEY, AWS_*, REDIS_*, DATABASE_URL, SLACK_WEBHOOK_URL...)",
    ),
    LitellmKey(
        ENVIRONMENT, "LITELLM_SALT_KEY", H, "seals credentials stored in the database (SWITCHBOARD_SALT_KEY wins)"
    ),
    LitellmKey(
        ENVIRONMENT,
        "LITELLM_MASTER_KEY",
        R,
        "the master key from this variable alone (the proxy would be open); write "
        "general_settings.master_key: os.environ/LITELLM_MASTER_KEY",
    ),
    *_rows(ENVIRONMENT, IG, _UI_ONLY, ["UI_USERNAME", "UI_PASSWORD", "PROXY_BASE_URL", "LITELLM_LICENSE"]),
)

_INDEX: dict[tuple[str, str], LitellmKey] = {(k.section, k.name): k for k in KEYS}


def lookup(section: str, name: str) -> LitellmKey | None:
    """The row for ``name`` in ``section`` (wildcard rows such as ``supports_*`` included)."""
    found = _INDEX.get((section, name))
    if found is not None:
        return found
    for row in KEYS:
        if row.section == section and "*" in row.name and _matches(row.name, name):
            return row
    return None


def _matches(pattern: str, name: str) -> bool:
    head, _, tail = pattern.partition("*")
    return len(name) > len(head) + len(tail) - 1 and name.startswith(head) and name.endswith(tail) and pattern != "*"


def section_keys(section: str) -> list[LitellmKey]:
    return [k for k in KEYS if k.section == section]
