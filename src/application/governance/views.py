"""How the management API shows one record, in LiteLLM's field names where they differ from
ours: a team's ``members`` are its ``members_with_roles``, a key's secret is shown once next to
its settings, a stored model's credentials never leave masked."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from switchboard.application.governance.models import ModelView, redact
from switchboard.application.governance.verbs import Issued
from switchboard.domain.governance.entities import Budgeted, ModelRecord, Team, TeamMember, User, VirtualKey


class TeamView(Budgeted):
    team_id: str
    team_alias: str | None = None
    organization_id: str | None = None
    members_with_roles: list[TeamMember] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    blocked: bool = False

    @classmethod
    def of(cls, team: Team) -> TeamView:
        data = dict(team)
        data["members_with_roles"] = data.pop("members")
        return cls.model_validate(data)


class IssuedKey(VirtualKey):
    """A new (or regenerated) key: ``key`` is its secret, shown this once; ``token_id`` its hash."""

    key: str
    token_id: str

    @classmethod
    def of(cls, issued: Issued[VirtualKey]) -> IssuedKey:
        key = issued.entity
        return cls.model_validate({**dict(key), "key": issued.secret, "token_id": key.token})


class ChangedKey(VirtualKey):
    """A changed key; ``key`` is its hash (LiteLLM's ``/key/update`` answer)."""

    key: str

    @classmethod
    def of(cls, key: VirtualKey) -> ChangedKey:
        return cls.model_validate({**dict(key), "key": key.token})


class NewUser(User):
    """A new user; ``key`` is the secret of their first key (``None`` without one), shown once."""

    key: str | None

    @classmethod
    def of(cls, user: User, first_key: Issued[VirtualKey] | None) -> NewUser:
        return cls.model_validate({**dict(user), "key": first_key.secret if first_key else None})


class ConfiguredDeployment(BaseModel):
    """A deployment from the config file, as the caller may see it: secrets masked."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    model_name: str
    litellm_params: dict[str, Any]
    model_info: dict[str, Any]


class StoredDeployment(BaseModel):
    """A deployment added through ``/model/new``: secrets masked, ``model_info.db_model`` true."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    model_id: str
    model_name: str
    litellm_params: dict[str, Any]
    model_info: dict[str, Any]

    @classmethod
    def of(cls, record: ModelRecord) -> StoredDeployment:
        return cls(
            model_id=record.model_id,
            model_name=record.model_name,
            litellm_params=redact(record.litellm_params),
            model_info={**record.model_info, "db_model": True},
        )


def deployment_view(view: ModelView) -> StoredDeployment | ConfiguredDeployment:
    if view.record is not None:
        return StoredDeployment.of(view.record)
    d = view.deployment
    params: dict[str, Any] = {"model": f"{d.provider}/{d.model}", **redact(dict(d.params))}
    for name in ("api_base", "api_version", "rpm", "tpm", "timeout"):
        value = getattr(d, name)
        if value is not None:
            params[name] = value
    if d.api_key is not None:
        params["api_key"] = "***"
    return ConfiguredDeployment(
        model_name=d.model_name,
        litellm_params=params,
        model_info={**d.model_info, "id": d.id, "db_model": False},
    )
