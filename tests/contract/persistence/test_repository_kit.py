"""The repository contract: what every governance repository promises, on every database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.governance.entities import (
    BudgetRecord,
    EndUser,
    ModelRecord,
    Organization,
    Team,
    TeamMember,
    User,
    VirtualKey,
)
from switchboard.domain.governance.filters import (
    AuditFilter,
    BudgetFilter,
    EndUserFilter,
    KeyFilter,
    ModelFilter,
    OrgFilter,
    TeamFilter,
    UserFilter,
)
from switchboard.domain.governance.keys import hash_key
from switchboard.domain.governance.records import AuditEntry
from switchboard.domain.governance.roles import TeamRole, UserRole

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def audit(action: str, object_id: str, n: int = 0, before: Any = None, after: Any = None) -> AuditEntry:
    return AuditEntry(
        id=f"a-{action}-{object_id[:20]}-{n}",
        at=T0 + timedelta(seconds=n),
        actor="master",
        action=action,
        object_type=action.split(".")[0],
        object_id=object_id,
        before=before,
        after=after,
    )


def key(n: int, **fields: Any) -> VirtualKey:
    secret = f"sk-test-{n}"
    return VirtualKey(
        token=hash_key(secret),
        key_name=f"sk-...{n:04d}",
        created_at=T0 + timedelta(seconds=n),
        **fields,
    )


# One factory per repository: (repository name, id field, make(n), a field to change).
ENTITIES: list[tuple[str, str, Callable[[int], BaseModel], str]] = [
    ("keys", "token", lambda n: key(n, key_alias=f"k{n}", models=["gpt-4o"], metadata={"n": n}), "key_alias"),
    (
        "teams",
        "team_id",
        lambda n: Team(team_id=f"t{n}", team_alias=f"team {n}", created_at=T0),
        "team_alias",
    ),
    (
        "users",
        "user_id",
        lambda n: User(user_id=f"u{n}", user_email=f"u{n}@x.io", created_at=T0),
        "user_email",
    ),
    (
        "orgs",
        "organization_id",
        lambda n: Organization(organization_id=f"o{n}", created_at=T0),
        "organization_alias",
    ),
    (
        "budgets",
        "budget_id",
        lambda n: BudgetRecord(budget_id=f"b{n}", max_budget=n, created_at=T0),
        "budget_duration",
    ),
    ("end_users", "user_id", lambda n: EndUser(user_id=f"e{n}", created_at=T0), "alias"),
    (
        "models",
        "model_id",
        lambda n: ModelRecord(model_id=f"m{n}", model_name="gpt", litellm_params={"model": "openai/gpt-4o"}),
        "model_name",
    ),
]
IDS = [e[0] for e in ENTITIES]
# Each repository's filter type; an empty one lists everything.
FILTERS: dict[str, type[Any]] = {
    "keys": KeyFilter,
    "teams": TeamFilter,
    "users": UserFilter,
    "orgs": OrgFilter,
    "budgets": BudgetFilter,
    "end_users": EndUserFilter,
    "models": ModelFilter,
}
# A value each filtered field takes in the test (the factories above never produce it).
WANTED: dict[str, Any] = {"user_role": UserRole.PROXY_ADMIN}


def _repo(store: GovernanceStore, name: str) -> Any:
    return getattr(store, name)


@pytest.mark.parametrize(("name", "id_field", "make", "field"), ENTITIES, ids=IDS)
async def test_an_added_entity_reads_back_equal(
    store: GovernanceStore, name: str, id_field: str, make: Callable[[int], BaseModel], field: str
) -> None:
    entity = make(1)
    assert await _repo(store, name).add(entity, audit(f"{name}.new", "1"))
    assert await _repo(store, name).get(getattr(entity, id_field)) == entity


@pytest.mark.parametrize(("name", "id_field", "make", "field"), ENTITIES, ids=IDS)
async def test_adding_an_existing_id_writes_nothing(
    store: GovernanceStore, name: str, id_field: str, make: Callable[[int], BaseModel], field: str
) -> None:
    entity = make(1)
    await _repo(store, name).add(entity, audit(f"{name}.new", "1"))
    changed = entity.model_copy(update={field: "changed"})
    assert not await _repo(store, name).add(changed, audit(f"{name}.new", "1", 2))
    assert await _repo(store, name).get(getattr(entity, id_field)) == entity


@pytest.mark.parametrize(("name", "id_field", "make", "field"), ENTITIES, ids=IDS)
async def test_replace_overwrites_and_reports_missing_ids(
    store: GovernanceStore, name: str, id_field: str, make: Callable[[int], BaseModel], field: str
) -> None:
    repo = _repo(store, name)
    entity = make(1)
    await repo.add(entity, audit(f"{name}.new", "1"))
    changed = entity.model_copy(update={field: "changed"})
    assert await repo.replace(changed, audit(f"{name}.update", "1", 1))
    assert getattr(await repo.get(getattr(entity, id_field)), field) == "changed"
    assert not await repo.replace(make(2), audit(f"{name}.update", "2", 2))


@pytest.mark.parametrize(("name", "id_field", "make", "field"), ENTITIES, ids=IDS)
async def test_delete_removes_and_reports_missing_ids(
    store: GovernanceStore, name: str, id_field: str, make: Callable[[int], BaseModel], field: str
) -> None:
    repo = _repo(store, name)
    entity = make(1)
    await repo.add(entity, audit(f"{name}.new", "1"))
    assert await repo.delete(getattr(entity, id_field), audit(f"{name}.delete", "1", 1))
    assert await repo.get(getattr(entity, id_field)) is None
    assert not await repo.delete(getattr(entity, id_field), audit(f"{name}.delete", "1", 2))


@pytest.mark.parametrize(("name", "id_field", "make", "field"), ENTITIES, ids=IDS)
async def test_lists_page_through_everything_once(
    store: GovernanceStore, name: str, id_field: str, make: Callable[[int], BaseModel], field: str
) -> None:
    repo = _repo(store, name)
    for n in range(7):
        await repo.add(make(n), audit(f"{name}.new", str(n), n))
    pages = [await repo.list(FILTERS[name](), page, 3) for page in (1, 2, 3)]
    seen = [getattr(e, id_field) for p in pages for e in p.items]
    assert [len(p.items) for p in pages] == [3, 3, 1]
    assert sorted(seen) == sorted(getattr(make(n), id_field) for n in range(7))
    assert pages[0].total == 7
    assert pages[0].pages == 3


FILTERED_FIELDS = [
    (name, make, field.name)
    for name, _, make, _ in ENTITIES
    for field in fields(FILTERS[name])
    if field.name != "member"  # a join, not a column: tested with teams_of below
]


@pytest.mark.parametrize(("name", "make", "field"), FILTERED_FIELDS, ids=[f"{n}-{f}" for n, _, f in FILTERED_FIELDS])
async def test_each_filter_field_narrows_the_list_to_matching_entities(
    store: GovernanceStore, name: str, make: Callable[[int], BaseModel], field: str
) -> None:
    repo = _repo(store, name)
    wanted = WANTED.get(field, "wanted")
    matching = make(1).model_copy(update={field: wanted})
    await repo.add(matching, audit(f"{name}.new", "1", 1))
    await repo.add(make(2), audit(f"{name}.new", "2", 2))
    found = await repo.list(FILTERS[name](**{field: wanted}), 1, 10)
    assert found.items == [matching]


async def test_every_change_is_audited_with_its_before_and_after(store: GovernanceStore) -> None:
    first = key(1, key_alias="a")
    await store.keys.add(first, audit("key.generate", first.token, 1, None, {"key_alias": "a"}))
    await store.keys.replace(first, audit("key.update", first.token, 2, {"key_alias": "a"}, {"key_alias": "b"}))
    await store.keys.delete(first.token, audit("key.delete", first.token, 3, {"key_alias": "b"}))
    entries = (await store.audit.list(AuditFilter(object_id=first.token), 1, 10)).items
    assert [e.action for e in entries] == ["key.delete", "key.update", "key.generate"]
    assert entries[1].before == {"key_alias": "a"}
    assert entries[1].after == {"key_alias": "b"}


async def test_a_refused_add_writes_no_audit_entry(store: GovernanceStore) -> None:
    first = key(1)
    await store.keys.add(first, audit("key.generate", first.token, 1))
    await store.keys.add(first, audit("key.generate", first.token, 2))
    assert (await store.audit.list(AuditFilter(object_id=first.token), 1, 10)).total == 1


async def test_replace_never_moves_spend(store: GovernanceStore) -> None:
    first = key(1)
    await store.keys.add(first, audit("key.generate", first.token))
    await store.keys.replace(first.model_copy(update={"spend": 99.0}), audit("key.update", first.token, 1))
    stored = await store.keys.get(first.token)
    assert stored is not None
    assert stored.spend == 0.0


async def test_rekey_moves_a_key_to_its_new_hash(store: GovernanceStore) -> None:
    old = key(1, key_alias="mine")
    await store.keys.add(old, audit("key.generate", old.token))
    new = old.model_copy(update={"token": hash_key("sk-new-secret"), "key_name": "sk-...cret"})
    assert await store.keys.rekey(old.token, new, audit("key.regenerate", old.token, 1))
    assert await store.keys.get(old.token) is None
    moved = await store.keys.get(new.token)
    assert moved is not None
    assert moved.key_alias == "mine"


async def test_keys_filter_by_owner(store: GovernanceStore) -> None:
    await store.keys.add(key(1, user_id="ann"), audit("key.generate", "1", 1))
    await store.keys.add(key(2, user_id="bob"), audit("key.generate", "2", 2))
    await store.keys.add(key(3, user_id="ann", team_id="t"), audit("key.generate", "3", 3))
    assert [k.key_name for k in (await store.keys.list(KeyFilter(user_id="ann"), 1, 10)).items] == [
        "sk-...0001",
        "sk-...0003",
    ]
    assert (await store.keys.list(KeyFilter(user_id="ann", team_id="t"), 1, 10)).total == 1


async def test_key_fields_survive_the_round_trip(store: GovernanceStore) -> None:
    full = key(
        1,
        allowed_routes=["llm_api_routes"],
        model_rpm_limit={"gpt-4o": 5},
        model_tpm_limit={"gpt-4o": 500},
        tags=["prod"],
        expires=T0 + timedelta(days=30),
        blocked=True,
        max_budget=12.5,
        budget_duration="30d",
        budget_reset_at=T0 + timedelta(days=30),
        metadata={"nested": {"a": [1, 2]}},
    )
    await store.keys.add(full, audit("key.generate", full.token))
    assert await store.keys.get(full.token) == full


async def test_team_members_round_trip_and_are_replaced_whole(store: GovernanceStore) -> None:
    team = Team(team_id="t", members=[TeamMember(user_id="ann", role=TeamRole.ADMIN), TeamMember(user_id="bob")])
    await store.teams.add(team, audit("team.new", "t"))
    assert await store.teams.get("t") == team
    fewer = team.model_copy(update={"members": [TeamMember(user_id="cat")]})
    await store.teams.replace(fewer, audit("team.update", "t", 1))
    assert (await store.teams.get("t")) == fewer


async def test_teams_of_a_user_are_the_teams_they_belong_to(store: GovernanceStore) -> None:
    await store.teams.add(Team(team_id="a", members=[TeamMember(user_id="ann")]), audit("team.new", "a"))
    await store.teams.add(Team(team_id="b", members=[TeamMember(user_id="bob")]), audit("team.new", "b", 1))
    await store.teams.add(
        Team(team_id="c", members=[TeamMember(user_id="ann", role=TeamRole.ADMIN)]), audit("team.new", "c", 2)
    )
    assert sorted(t.team_id for t in await store.teams.teams_of("ann")) == ["a", "c"]
    assert [t.team_id for t in (await store.teams.list(TeamFilter(member="bob"), 1, 10)).items] == ["b"]


async def test_deleting_a_user_removes_their_memberships(store: GovernanceStore) -> None:
    await store.users.add(User(user_id="ann", user_role=UserRole.INTERNAL_USER), audit("user.new", "ann"))
    await store.teams.add(Team(team_id="a", members=[TeamMember(user_id="ann")]), audit("team.new", "a", 1))
    await store.users.delete("ann", audit("user.delete", "ann", 2))
    team = await store.teams.get("a")
    assert team is not None
    assert team.members == []


async def test_get_many_returns_the_ones_that_exist(store: GovernanceStore) -> None:
    await store.budgets.add(BudgetRecord(budget_id="b1", max_budget=1), audit("budget.new", "b1"))
    await store.budgets.add(BudgetRecord(budget_id="b2", max_budget=2), audit("budget.new", "b2", 1))
    found = await store.budgets.get_many(["b1", "b3", "b2"])
    assert sorted(b.budget_id for b in found) == ["b1", "b2"]


async def test_concurrent_adds_of_one_id_keep_exactly_one(store: GovernanceStore) -> None:
    results = await asyncio.gather(
        *(
            store.orgs.add(Organization(organization_id="o", organization_alias=str(n)), audit("org.new", "o", n))
            for n in range(10)
        )
    )
    assert sum(results) == 1
    assert (await store.audit.list(AuditFilter(object_id="o"), 1, 100)).total == 1


async def test_sql_in_identifiers_is_data(store: GovernanceStore) -> None:
    evil = "x'; DROP TABLE sb_keys; --"
    await store.users.add(User(user_id=evil), audit("user.new", evil))
    assert (await store.users.get(evil)) is not None
    assert (await store.keys.list(KeyFilter(), 1, 1)).total == 0


async def test_migrations_go_down_and_up_again_keeping_the_schema_usable(database: Any) -> None:
    from switchboard.adapters.outbound.persistence.migrate import downgrade_sync, upgrade_sync
    from switchboard.bootstrap.governance_store import build_store

    url = database.url
    await database.dispose()
    downgrade_sync(url, "base")
    upgrade_sync(url)
    store = build_store(database)
    assert await store.users.add(User(user_id="after"), audit("user.new", "after"))
