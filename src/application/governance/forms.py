"""Management request bodies, with LiteLLM's field names. Unknown fields are refused with
their name, so a typo never passes silently; LiteLLM fields that Switchboard accepts without
acting on them are listed as such.

Every string a form stores fits its database column (ids and names 256 characters, emails 320,
periods 32) and holds no NUL character (PostgreSQL refuses them): a request that breaks either
rule is a 400 naming the field, never a database error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from switchboard.domain.errors import BadRequest
from switchboard.domain.governance.durations import after, parse_period
from switchboard.domain.governance.roles import TeamRole

MAX_BUDGET = 9_000_000.0  # dollars; counters are exact integers below this


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _duration(value: str | None) -> str | None:
    if value is not None:
        parse_period(value)
    return value


Id = Annotated[str, StringConstraints(min_length=1, max_length=256), AfterValidator(_no_nul)]
Text = Annotated[str, StringConstraints(max_length=256), AfterValidator(_no_nul)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_no_nul)]
Period = Annotated[str, StringConstraints(max_length=32), AfterValidator(_duration)]
IdList = Annotated[list[Id], Field(min_length=1)]


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


MAX_JSON_DEPTH = 32  # levels of objects and arrays a free-form JSON field (metadata, litellm_params) may have


def _no_env_refs(value: Any) -> Any:
    """Free-form JSON as stored: at most ``MAX_JSON_DEPTH`` levels of objects and arrays (the
    field's own object is the first), and no ``os.environ/...`` or ``oidc/...``: those are
    resolved only from the config file, never from a request (a management body could otherwise
    read the gateway's environment)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, str) and item.startswith(("os.environ/", "oidc/")):
            raise ValueError("environment and file references are accepted only in the config file")
        if isinstance(item, dict | list):
            if level > MAX_JSON_DEPTH:
                raise ValueError(f"nests deeper than {MAX_JSON_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return value


class LimitFields(Form):
    max_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    soft_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    budget_duration: Period | None = None
    tpm_limit: int | None = Field(default=None, ge=0)
    rpm_limit: int | None = Field(default=None, ge=0)
    max_parallel_requests: int | None = Field(default=None, ge=1)
    budget_id: Text | None = None
    metadata: dict[str, Any] | None = None

    _check_metadata = field_validator("metadata")(_no_env_refs)


class KeyFields(LimitFields):
    key_alias: Text | None = None
    duration: Period | None = None
    models: list[Text] | None = None
    allowed_routes: list[Text] | None = None
    key_type: str | None = Field(default=None, pattern="^(default|llm_api|management|read_only)$")
    user_id: Text | None = None
    team_id: Text | None = None
    organization_id: Text | None = None
    model_rpm_limit: dict[str, int] | None = None
    model_tpm_limit: dict[str, int] | None = None
    tags: list[Text] | None = None
    blocked: bool | None = None
    send_invite_email: bool | None = None  # accepted for LiteLLM scripts; no effect


Secret = Annotated[str, StringConstraints(min_length=20, max_length=256, pattern=r"^sk-[A-Za-z0-9_\-]+$")]


class GenerateKey(KeyFields):
    key: Secret | None = None


class UpdateKey(KeyFields):
    key: Id


class KeyReference(Form):
    key: Id


class RegenerateKey(KeyFields):
    key: Text | None = None
    new_key: Secret | None = None


class DeleteKeys(Form):
    keys: list[Id] | None = None
    key_aliases: list[Id] | None = None


class Member(Form):
    user_id: Text | None = None
    user_email: Email | None = None
    role: TeamRole = TeamRole.USER


class TeamFields(LimitFields):
    team_alias: Text | None = None
    organization_id: Text | None = None
    models: list[Text] | None = None
    blocked: bool | None = None
    tags: list[Text] | None = None  # accepted for LiteLLM scripts; no effect


class NewTeam(TeamFields):
    team_id: Text | None = None
    members_with_roles: list[Member] | None = None


class UpdateTeam(TeamFields):
    team_id: Id


class AddMembers(Form):
    team_id: Id
    member: Member | list[Member]


class RemoveMember(Form):
    team_id: Id
    user_id: Text | None = None
    user_email: Email | None = None


class TeamIds(Form):
    team_ids: IdList


class UserFields(LimitFields):
    user_email: Email | None = None
    user_alias: Text | None = None
    user_role: str | None = Field(
        default=None, pattern="^(proxy_admin|proxy_admin_viewer|internal_user|internal_user_viewer)$"
    )
    organization_id: Text | None = None
    models: list[Text] | None = None
    send_invite_email: bool | None = None  # accepted; no effect


class NewUser(UserFields):
    user_id: Text | None = None
    teams: list[Id] | None = None
    auto_create_key: bool = True
    key_alias: Text | None = None


class UpdateUser(UserFields):
    user_id: Id


class UserIds(Form):
    user_ids: IdList


class OrgFields(LimitFields):
    organization_alias: Text | None = None
    models: list[Text] | None = None


class NewOrg(OrgFields):
    organization_id: Text | None = None


class UpdateOrg(OrgFields):
    organization_id: Id


class OrgIds(Form):
    organization_ids: IdList


class BudgetFields(Form):
    max_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    soft_budget: float | None = Field(default=None, ge=0, le=MAX_BUDGET)
    budget_duration: Period | None = None
    tpm_limit: int | None = Field(default=None, ge=0)
    rpm_limit: int | None = Field(default=None, ge=0)
    max_parallel_requests: int | None = Field(default=None, ge=1)


class NewBudget(BudgetFields):
    budget_id: Text | None = None


class UpdateBudget(BudgetFields):
    budget_id: Id


class BudgetId(Form):
    id: Id


class BudgetIds(Form):
    budgets: IdList


class CustomerFields(LimitFields):
    alias: Text | None = None
    blocked: bool | None = None


class NewCustomer(CustomerFields):
    user_id: Id


class UpdateCustomer(CustomerFields):
    user_id: Id


class CustomerIds(Form):
    user_ids: IdList


class ModelForm(Form):
    model_name: Id
    litellm_params: dict[str, Any]
    model_info: dict[str, Any] | None = None

    _check_params = field_validator("litellm_params", "model_info")(_no_env_refs)


class UpdateModel(Form):
    model_id: Text | None = None
    model_name: Text | None = None
    litellm_params: dict[str, Any] | None = None
    model_info: dict[str, Any] | None = None

    _check_params = field_validator("litellm_params", "model_info")(_no_env_refs)


class ModelId(Form):
    id: Id


def given(form: BaseModel, *names: str) -> dict[str, Any]:
    """The fields the caller actually sent (not defaults), restricted to ``names`` if given."""
    sent = form.model_fields_set
    return {n: getattr(form, n) for n in sent if not names or n in names}


def expiry(now: datetime, duration: str | None) -> datetime | None:
    """``now`` plus ``duration`` (``None`` stays ``None``)."""
    if duration is None:
        return None
    return after(now, parse_period(duration))


def time_bound(text: str, param: str, *, end: bool = False) -> datetime:
    """A ``YYYY-MM-DD`` day (as an end, the day is included: the bound is the next midnight) or
    an ISO-8601 time (UTC unless it says otherwise); anything else is ``BadRequest``."""
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"Invalid value for '{param}': expected YYYY-MM-DD or an ISO-8601 time.", param=param
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
