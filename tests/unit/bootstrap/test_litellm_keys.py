"""The table of LiteLLM's keys: consistent with the schema, and the source of the docs page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from switchboard.bootstrap.config.compat_doc import render
from switchboard.bootstrap.config.litellm_keys import GENERAL, KEYS, LITELLM, ROUTER, State, lookup
from switchboard.bootstrap.config.schema import GeneralSettings, LitellmSettings, RouterSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "litellm-compat.md"
SCHEMAS: dict[str, type[BaseModel]] = {LITELLM: LitellmSettings, ROUTER: RouterSettings, GENERAL: GeneralSettings}
# honoured by rewriting the file before the schema sees it (bootstrap/config/litellm_shape.py)
REWRITTEN = {(ROUTER, "default_litellm_params")}


def test_the_committed_docs_page_is_the_generated_one() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate: python -m switchboard.bootstrap.config.compat_doc > docs/litellm-compat.md"
    )


def test_no_key_is_listed_twice() -> None:
    seen = [(k.section, k.name) for k in KEYS]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("section", sorted(SCHEMAS))
def test_every_honoured_settings_key_is_a_field_of_the_schema(section: str) -> None:
    fields = set(SCHEMAS[section].model_fields)
    honoured = {k.name for k in KEYS if k.section == section and k.state is State.HONOURED}
    assert honoured - fields - {name for s, name in REWRITTEN if s == section} == set()


@pytest.mark.parametrize("section", sorted(SCHEMAS))
def test_no_refused_or_ignored_key_is_accepted_by_the_schema(section: str) -> None:
    fields = set(SCHEMAS[section].model_fields)
    others = {k.name for k in KEYS if k.section == section and k.state is not State.HONOURED}
    assert others & fields == set()


def test_wildcard_rows_match_the_names_they_stand_for() -> None:
    row = lookup("model_list[].model_info", "supports_vision")
    assert row is not None
    assert row.state is State.HONOURED


def test_every_note_says_something() -> None:
    assert all(len(k.note) > 5 for k in KEYS)
