"""What the gateway writes down: one spend row per request, one audit entry per change."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SpendStatus = Literal["success", "failure", "rejected", "client_aborted"]
"""``client_aborted``: the client disconnected before the answer ended; the row carries what the
call used until then (a stream: what was delivered)."""


class SpendRecord(BaseModel):
    """One request: who made it, what it used, what it cost. ``id`` is made by the gateway (the
    client's request id need not be unique); writing the same ``id`` twice keeps one row."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    request_id: str
    started_at: datetime
    key_hash: str | None = None
    key_alias: str | None = None
    user_id: str | None = None
    team_id: str | None = None
    organization_id: str | None = None
    end_user: str | None = None
    call_type: str = "chat"
    model_group: str = ""
    deployment_id: str | None = None
    provider: str | None = None
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float = 0.0
    latency_ms: float = 0.0
    ttft_ms: float | None = None
    status: SpendStatus = "success"
    error_code: str | None = None
    cache_hit: bool = False
    tags: list[str] = Field(default_factory=list)

    @property
    def day(self) -> str:
        return self.started_at.strftime("%Y-%m-%d")


class SpendGroup(BaseModel):
    """One line of a spend report."""

    group: str | None
    spend: float
    requests: int
    prompt_tokens: int
    completion_tokens: int


class AuditEntry(BaseModel):
    """One management change: who did what to which object, its state before and after."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    at: datetime
    actor: str  # "master", "key:<hash prefix>", "user:<id>", "cli"
    action: str  # "key.generate", "team.member_add"...
    object_type: str
    object_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
