"""The HTTP access decision's settings, from ``general_settings``: who reads ``/metrics`` (the
scrape token, ``metrics_public``), the failed-authentication throttle and the trusted proxies."""

from __future__ import annotations

from switchboard.adapters.inbound.http.access import AccessPolicy
from switchboard.adapters.inbound.http.client_address import trusted_networks
from switchboard.application.governance.auth_throttle import AuthFailureThrottle
from switchboard.bootstrap.settings import RuntimeSettings
from switchboard.domain.ports.clock import Clock


def access_policy(settings: RuntimeSettings, clock: Clock) -> AccessPolicy:
    """The access decision's settings: who reads /metrics, the failed-authentication throttle."""
    general = settings.config.general_settings
    token = general.metrics_scrape_token.get_secret_value() if general.metrics_scrape_token else None
    limit = general.auth_failure_limit
    return AccessPolicy(
        metrics_token=token.encode() if token else None,
        # LiteLLM's require_auth_for_metrics_endpoint wins over metrics_public
        metrics_public=general.metrics_public and not settings.observability.metrics_auth,
        throttle=AuthFailureThrottle(clock, limit=limit, window=general.auth_failure_window) if limit else None,
        trusted_proxies=trusted_networks(general.trusted_proxies),
    )
