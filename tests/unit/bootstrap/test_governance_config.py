"""Governance settings in the config file."""

from __future__ import annotations

from switchboard.bootstrap.config.check import check_config


def test_jwt_auth_without_issuer_or_audience_is_a_config_error() -> None:
    config = {
        "general_settings": {
            "master_key": "sk-m",
            "enable_jwt_auth": True,
            "litellm_jwtauth": {"jwks_file": "/x.json", "audience": "a"},
        }
    }
    loaded, problems = check_config(config, environ={})
    assert loaded is None
    assert any("issuer" in p.message for p in problems)


def test_database_urls_are_rewritten_for_async_drivers() -> None:
    from switchboard.adapters.outbound.persistence.database import parse_database_url

    assert parse_database_url("sqlite:///./switchboard.db").url == "sqlite+aiosqlite:///./switchboard.db"
    pg = parse_database_url("postgresql://u:p@db:5432/app?schema=gw&sslmode=require")
    assert pg.url == "postgresql+asyncpg://u:p@db:5432/app?ssl=require"
    assert pg.connect_args["server_settings"]["search_path"] == "gw"
    assert parse_database_url("postgres://h/db").url == "postgresql+asyncpg://h/db"


def test_governance_keys_are_known_to_the_config_checker() -> None:
    config = {
        "general_settings": {
            "master_key": "sk-m",
            "database_url": "sqlite:///x.db",
            "user_api_key_cache_ttl": 2,
            "budget_store_failure": "open",
            "proxy_batch_write_at": 5,
            "disable_spend_logs": True,
        },
        "litellm_settings": {"max_end_user_budget": 1.5, "call_hooks": ["a.b:C"]},
    }
    loaded, problems = check_config(config, environ={})
    assert loaded is not None
    assert problems == []
