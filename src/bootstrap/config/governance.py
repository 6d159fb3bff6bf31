"""Configuration of keys, budgets, limits and spend: ``general_settings`` keys (LiteLLM's names
where LiteLLM has one) and ``general_settings.litellm_jwtauth``."""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FailureMode = Literal["closed", "open"]
JwtAlgorithm = Literal["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"]
DEFAULT_JWT_ALGORITHMS: tuple[JwtAlgorithm, ...] = ("RS256", "ES256")


class JwtAuthSettings(BaseModel):
    """``litellm_jwtauth``: where the identity provider's keys are, which tokens to accept, and
    which claims carry user, team, organization and role (dotted names reach nested claims)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    jwks_url: str | None = None  # also $JWT_PUBLIC_KEY_URL, as LiteLLM reads it
    jwks_file: str | None = None
    issuer: str | None = None  # also $JWT_ISSUER
    audience: str | None = None  # also $JWT_AUDIENCE
    algorithms: list[JwtAlgorithm] = Field(default_factory=lambda: list(DEFAULT_JWT_ALGORITHMS))
    public_key_ttl: float = Field(default=600, gt=0)  # seconds the fetched keys are trusted
    leeway: float = Field(default=0, ge=0, le=300)  # clock skew allowed on exp/nbf/iat
    user_id_jwt_field: str = "sub"
    team_id_jwt_field: str | None = None
    team_ids_jwt_field: str | None = None
    org_id_jwt_field: str | None = None
    user_roles_jwt_field: str | None = "roles"
    admin_jwt_scope: str | None = "litellm_proxy_admin"
    admin_roles: list[str] = Field(default_factory=lambda: ["proxy_admin", "litellm_proxy_admin"])


class GovernanceGeneralSettings(BaseModel):
    """The ``general_settings`` keys this part acts on. Mixed into ``GeneralSettings``."""

    database_url: str | None = None  # default sqlite:///./switchboard.db; also $DATABASE_URL
    # a caller with a budget calling a model without a known price: refused (400), or allowed and counted
    unpriced_model_policy: Literal["refuse", "allow"] = "refuse"
    auto_migrate: bool | None = None  # run migrations at start; default: on for SQLite only
    database_connection_pool_limit: int = Field(default=10, ge=1)
    database_connection_timeout: float = Field(default=5, gt=0)
    user_api_key_cache_ttl: float = Field(default=5.0, gt=0, le=3600)  # revocation bound per instance
    # With the database unreachable, serve keys already known for up to the grace (LiteLLM's key);
    # readiness then says "degraded" instead of "unhealthy" while the database is away.
    allow_requests_on_db_unavailable: bool = False
    db_unavailable_grace_seconds: float = Field(default=600, gt=0)
    enable_jwt_auth: bool = False
    litellm_jwtauth: JwtAuthSettings | None = None
    state_store_timeout: float = Field(default=0.5, gt=0, le=10)  # seconds per Redis counter call
    budget_store_failure: FailureMode = "closed"
    rate_limit_store_failure: FailureMode = "closed"
    reservation_lease_seconds: float = Field(default=900, gt=0)
    default_reserved_output_tokens: int = Field(default=4096, ge=1)
    proxy_batch_write_at: float = Field(default=1.0, gt=0, le=300)  # spend write interval (s)
    spend_log_batch_size: int = Field(default=500, ge=1, le=10_000)
    spend_log_queue_size: int = Field(default=100_000, ge=100)
    disable_spend_logs: bool = False  # keep no row per request; key, team... spend totals still move
    # Stored Responses API responses (POST /v1/responses with store) are forgotten after this.
    responses_retention_seconds: float = Field(default=30 * 24 * 3600, gt=0)
    # Where spend rows wait on local disk until they are in the database (bootstrap/journal.py):
    # default next to a SQLite file, else ./.switchboard-journal; a path; false: no journal.
    spend_journal_dir: str | bool | None = None
    budget_reset_interval: float = Field(default=60, gt=0)

    @model_validator(mode="after")
    def _jwt_is_complete(self) -> GovernanceGeneralSettings:
        if self.enable_jwt_auth:
            jwt = self.litellm_jwtauth or JwtAuthSettings()
            if not (jwt.jwks_url or jwt.jwks_file or os.environ.get("JWT_PUBLIC_KEY_URL")):
                raise ValueError("enable_jwt_auth needs litellm_jwtauth.jwks_url or jwks_file")
            if not (jwt.issuer or os.environ.get("JWT_ISSUER")) or not (jwt.audience or os.environ.get("JWT_AUDIENCE")):
                raise ValueError(
                    "enable_jwt_auth needs litellm_jwtauth.issuer and audience "
                    "(so tokens meant for other apps do not pass)"
                )
        return self


class GovernanceLitellmSettings(BaseModel):
    """The ``litellm_settings`` keys this part acts on. Mixed into ``LitellmSettings``."""

    max_end_user_budget: float | None = Field(default=None, ge=0)
    # Custom call hooks, run after access, rate limits and budgets: "package.module:Class", or
    # {"hook": "package.module:Class", "args": {...}} (keyword arguments for the class).
    call_hooks: list[str | dict[str, Any]] = Field(default_factory=list)


DEFAULT_DATABASE_URL = "sqlite:///./switchboard.db"


def database_url(general: GovernanceGeneralSettings) -> str:
    """``general_settings.database_url``, else ``$DATABASE_URL``, else the SQLite file."""
    return general.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
