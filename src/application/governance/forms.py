"""Management request bodies, with LiteLLM's field names. Unknown fields are refused with
their name, so a typo never passes silently; LiteLLM fields that Switchboard accepts without
acting on them are listed as such."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from switchboard.domain.governance.durations import after, parse_period
from switchboard.domain.governance.roles import TeamRole

MAX_BUDGET = 9_000_000.0  # dollars; counters are exact integers below this
Name = Field(default=None, max_length=256)


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def _duration(value: str | None) -> str | None:
    if value is not None:
        parse_period(value)
    return value


def _no_env_refs(value: Any) -> Any:
    """``os.environ/...`` and ``oidc/...`` are resolved only from the config file, never from a
    request (a management body could otherwise read the gateway's environment)."""
    if isinstance(value, str) and value.startswith(("os.environ/", "oidc/")):
        raise ValueError("environment and file references are accepted only in the config file")
    if isinstance(value, dict):
        for item in value.values():
            _no_env_refs(item)
    if isinstance(value, list):
        for item in value:
            _no_env_refs(item)
    return value


class LimitFields(Form):
    max_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    soft_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    budget_duration: str | None = Field(default=None, max_length=32)
    tpm_limit: int | None = Field(default=None, ge=0)
    rpm_limit: int | None = Field(default=None, ge=0)
    max_parallel_requests: int | None = Field(default=None, ge=1)
    budget_id: str | None = Name
    metadata: dict[str, Any] | None = None

    _check_duration = field_validator("budget_duration")(_duration)
    _check_metadata = field_validator("metadata")(_no_env_refs)


class KeyFields(LimitFields):
    key_alias: str | None = Name
    duration: str | None = Field(default=None, max_length=32)
    models: list[str] | None = None
    allowed_routes: list[str] | None = None
    key_type: str | None = Field(default=None, pattern="^(default|llm_api|management|read_only)$")
    user_id: str | None = Name
    team_id: str | None = Name
    organization_id: str | None = Name
    model_rpm_limit: dict[str, int] | None = None
    model_tpm_limit: dict[str, int] | None = None
    tags: list[str] | None = None
    blocked: bool | None = None
    send_invite_email: bool | None = None  # accepted for LiteLLM scripts; no effect

    _check_key_duration = field_validator("duration")(_duration)


class GenerateKey(KeyFields):
    key: str | None = Field(default=None, min_length=20, max_length=256, pattern=r"^sk-[A-Za-z0-9_\-]+$")


class UpdateKey(KeyFields):
    key: str = Field(min_length=1, max_length=256)


class KeyReference(Form):
    key: str = Field(min_length=1, max_length=256)


class RegenerateKey(KeyFields):
    key: str | None = Field(default=None, max_length=256)
    new_key: str | None = Field(default=None, min_length=20, max_length=256, pattern=r"^sk-[A-Za-z0-9_\-]+$")


class DeleteKeys(Form):
    keys: list[str] | None = None
    key_aliases: list[str] | None = None


class Member(Form):
    user_id: str | None = Name
    user_email: str | None = Field(default=None, max_length=320)
    role: TeamRole = TeamRole.USER


class TeamFields(LimitFields):
    team_alias: str | None = Name
    organization_id: str | None = Name
    models: list[str] | None = None
    blocked: bool | None = None
    tags: list[str] | None = None  # accepted for LiteLLM scripts; no effect


class NewTeam(TeamFields):
    team_id: str | None = Name
    members_with_roles: list[Member] | None = None


class UpdateTeam(TeamFields):
    team_id: str = Field(min_length=1, max_length=256)


class AddMembers(Form):
    team_id: str = Field(min_length=1, max_length=256)
    member: Member | list[Member]


class RemoveMember(Form):
    team_id: str = Field(min_length=1, max_length=256)
    user_id: str | None = Name
    user_email: str | None = Field(default=None, max_length=320)


class TeamIds(Form):
    team_ids: list[str] = Field(min_length=1)


class UserFields(LimitFields):
    user_email: str | None = Field(default=None, max_length=320)
    user_alias: str | None = Name
    user_role: str | None = Field(
        default=None, pattern="^(proxy_admin|proxy_admin_viewer|internal_user|internal_user_viewer)$"
    )
    organization_id: str | None = Name
    models: list[str] | None = None
    send_invite_email: bool | None = None  # accepted; no effect


class NewUser(UserFields):
    user_id: str | None = Name
    teams: list[str] | None = None
    auto_create_key: bool = True
    key_alias: str | None = Name


class UpdateUser(UserFields):
    user_id: str = Field(min_length=1, max_length=256)


class UserIds(Form):
    user_ids: list[str] = Field(min_length=1)


class OrgFields(LimitFields):
    organization_alias: str | None = Name
    models: list[str] | None = None


class NewOrg(OrgFields):
    organization_id: str | None = Name


class UpdateOrg(OrgFields):
    organization_id: str = Field(min_length=1, max_length=256)


class OrgIds(Form):
    organization_ids: list[str] = Field(min_length=1)


class BudgetFields(Form):
    max_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    soft_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    budget_duration: str | None = Field(default=None, max_length=32)
    tpm_limit: int | None = Field(default=None, ge=0)
    rpm_limit: int | None = Field(default=None, ge=0)
    max_parallel_requests: int | None = Field(default=None, ge=1)

    _check_duration = field_validator("budget_duration")(_duration)


class NewBudget(BudgetFields):
    budget_id: str | None = Name


class UpdateBudget(BudgetFields):
    budget_id: str = Field(min_length=1, max_length=256)


class BudgetId(Form):
    id: str = Field(min_length=1, max_length=256)


class CustomerFields(LimitFields):
    alias: str | None = Name
    blocked: bool | None = None


class NewCustomer(CustomerFields):
    user_id: str = Field(min_length=1, max_length=256)


class UpdateCustomer(CustomerFields):
    user_id: str = Field(min_length=1, max_length=256)


class CustomerIds(Form):
    user_ids: list[str] = Field(min_length=1)


class ModelForm(Form):
    model_name: str = Field(min_length=1, max_length=256)
    litellm_params: dict[str, Any]
    model_info: dict[str, Any] | None = None

    _check_params = field_validator("litellm_params", "model_info")(_no_env_refs)


class UpdateModel(Form):
    model_id: str | None = Name
    model_name: str | None = Field(default=None, max_length=256)
    litellm_params: dict[str, Any] | None = None
    model_info: dict[str, Any] | None = None

    _check_params = field_validator("litellm_params", "model_info")(_no_env_refs)


class ModelId(Form):
    id: str = Field(min_length=1, max_length=256)


def given(form: BaseModel, *names: str) -> dict[str, Any]:
    """The fields the caller actually sent (not defaults), restricted to ``names`` if given."""
    sent = form.model_fields_set
    return {n: getattr(form, n) for n in sent if not names or n in names}


def expiry(now: datetime, duration: str | None) -> datetime | None:
    """``now`` plus ``duration`` (``None`` stays ``None``)."""
    if duration is None:
        return None
    return after(now, parse_period(duration))
