"""Who may reach what: the ``general_settings`` keys of the access decision
(``adapters/inbound/http/access.py``), ``/metrics`` and key rotation. Mixed into ``GeneralSettings``."""

from __future__ import annotations

from ipaddress import ip_network

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class AccessGeneralSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    # POST /key/regenerate with the key itself: off by default, so a stolen key cannot lock its
    # owner out; the key's owner (another of their keys, their JWT), a team admin or an admin may.
    allow_key_self_rotation: bool = False
    # GET /metrics: an admin, a proxy_admin_viewer, or this bearer token (os.environ/NAME works).
    metrics_scrape_token: SecretStr | None = None
    metrics_public: bool = False  # serve /metrics to anyone (a scraper on a private network)
    # Failed authentications per client address: this many within the window, then 429 until
    # the window ends (0: no throttle).
    auth_failure_limit: int = Field(default=20, ge=0)
    auth_failure_window: float = Field(default=60, gt=0, le=86_400)  # seconds
    # Proxies (CIDRs) whose X-Forwarded-For names the client; other peers are the client.
    trusted_proxies: list[str] = Field(default_factory=list)

    @field_validator("trusted_proxies")
    @classmethod
    def _are_networks(cls, value: list[str]) -> list[str]:
        for cidr in value:
            try:
                ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"{cidr!r} is not an IP address or network (like 10.0.0.0/8)") from None
        return value
