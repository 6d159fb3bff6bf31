"""Credentials of deployments added at run time are sealed at rest, on SQLite and PostgreSQL:
the row holds ciphertext, the store gives back the key, a changed key is refused loudly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.adapters.outbound.persistence.secrets import PREFIX, SecretUnreadable
from switchboard.adapters.outbound.persistence.tables import ModelRow
from switchboard.bootstrap.governance_store import build_store
from switchboard.domain.governance.entities import ModelRecord
from switchboard.domain.governance.records import AuditEntry

SECRET = "sk-upstream-very-secret"


def record(model_id: str = "m1", **params: str) -> ModelRecord:
    return ModelRecord(
        model_id=model_id,
        model_name="gpt",
        litellm_params={"model": "openai/gpt-4o", "api_key": SECRET, **params},
    )


def audit(object_id: str) -> AuditEntry:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return AuditEntry(
        id=f"a-{object_id}", at=at, actor="master", action="model.new", object_type="model", object_id=object_id
    )


async def stored_params(database: Database, model_id: str) -> dict[str, object]:
    async with database.session() as session:
        row = (await session.exec(select(ModelRow).where(ModelRow.model_id == model_id))).one()
        return dict(row.litellm_params)


async def test_the_row_holds_ciphertext_and_the_store_gives_back_the_key(database: Database) -> None:
    store = build_store(database, master_key="sk-master")
    assert await store.models.add(record(), audit("m1"))
    raw = await stored_params(database, "m1")
    assert str(raw["api_key"]).startswith(PREFIX)
    assert SECRET not in str(raw)
    found = await store.models.get("m1")
    assert found is not None
    assert found.litellm_params["api_key"] == SECRET


async def test_environment_references_and_other_params_are_stored_as_given(database: Database) -> None:
    store = build_store(database, master_key="sk-master")
    assert await store.models.add(record(aws_secret_access_key="os.environ/AWS_SECRET"), audit("m1"))
    raw = await stored_params(database, "m1")
    assert raw["aws_secret_access_key"] == "os.environ/AWS_SECRET"
    assert raw["model"] == "openai/gpt-4o"


async def test_a_replaced_record_is_sealed_too(database: Database) -> None:
    store = build_store(database, master_key="sk-master")
    assert await store.models.add(record(), audit("m1"))
    changed = record()
    changed.litellm_params["api_key"] = "sk-rotated"
    assert await store.models.replace(changed, audit("m1-r"))
    assert "sk-rotated" not in str(await stored_params(database, "m1"))
    found = await store.models.get("m1")
    assert found is not None
    assert found.litellm_params["api_key"] == "sk-rotated"


async def test_a_credential_stored_before_sealing_is_read_as_it_is(database: Database) -> None:
    assert await build_store(database).models.add(record(), audit("m1"))  # no key: stored as given
    found = await build_store(database, master_key="sk-master").models.get("m1")
    assert found is not None
    assert found.litellm_params["api_key"] == SECRET


async def test_a_changed_master_key_cannot_open_sealed_credentials(database: Database) -> None:
    assert await build_store(database, master_key="sk-master").models.add(record(), audit("m1"))
    with pytest.raises(SecretUnreadable):
        await build_store(database, master_key="sk-other").models.get("m1")
