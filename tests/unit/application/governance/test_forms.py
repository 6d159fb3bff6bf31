"""Management forms refuse what their columns cannot hold, with the field's full path; time
bounds read days and ISO times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from switchboard.application.governance.forms import MAX_JSON_DEPTH, CustomerIds, GenerateKey, NewTeam, time_bound
from switchboard.application.governance.management import BUDGETS, TEAMS
from switchboard.domain.errors import BadRequest
from switchboard.domain.validation import parse_mapping


@pytest.mark.parametrize(
    ("form", "data", "param"),
    [
        (CustomerIds, {"user_ids": ["ok", "x" * 257]}, "user_ids[1]"),
        (CustomerIds, {"user_ids": ["a\u0000b"]}, "user_ids[0]"),
        (CustomerIds, {"user_ids": []}, "user_ids"),
        (NewTeam, {"team_alias": "a" * 257}, "team_alias"),
        (NewTeam, {"members_with_roles": [{"user_email": "e" * 321}]}, "members_with_roles[0].user_email"),
        (GenerateKey, {"budget_duration": "x" * 33}, "budget_duration"),
        (GenerateKey, {"models": ["m" * 257]}, "models[0]"),
    ],
)
def test_a_string_its_column_cannot_hold_is_refused_naming_its_path(
    form: type[Any], data: dict[str, Any], param: str
) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_mapping(form, data)
    assert refused.value.param == param


def test_free_form_json_may_nest_only_so_deep() -> None:
    nested: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH - 1):  # inside the metadata object: the first level
        nested = [nested]
    parse_mapping(GenerateKey, {"metadata": {"ok": nested}})
    with pytest.raises(BadRequest) as refused:
        parse_mapping(GenerateKey, {"metadata": {"too_deep": [nested]}})
    assert refused.value.param == "metadata"


def test_a_day_starts_at_midnight_and_an_end_day_is_included() -> None:
    assert time_bound("2026-11-01", "start_date") == datetime(2026, 11, 1, tzinfo=UTC)
    assert time_bound("2026-11-30", "end_date", end=True) == datetime(2026, 12, 1, tzinfo=UTC)


def test_an_iso_time_without_a_zone_is_utc() -> None:
    assert time_bound("2026-11-01T10:30:00", "start_date") == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
    assert time_bound("2026-11-01T10:30:00Z", "start_date") == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)


def test_a_time_bound_that_is_neither_is_refused_naming_it() -> None:
    with pytest.raises(BadRequest) as refused:
        time_bound("last tuesday", "end_date", end=True)
    assert refused.value.param == "end_date"


def test_an_entitys_delete_form_names_its_ids_and_checks_them() -> None:
    assert TEAMS.delete_form(["t1", "t2"]).team_ids == ["t1", "t2"]
    assert TEAMS.deleted(["t1"]) == {"deleted_teams": ["t1"]}
    assert BUDGETS.delete_form(["b"]).id == "b"
    with pytest.raises(BadRequest) as refused:
        TEAMS.delete_form(["t" * 257])
    assert refused.value.param == "team_ids[0]"
