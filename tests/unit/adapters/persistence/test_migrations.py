"""Start-up skips Alembic when the schema is already at head."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from switchboard.adapters.outbound.persistence.migrate import HEAD_REVISION, MIGRATIONS, at_head, upgrade


def test_head_revision_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


async def test_a_new_database_is_not_at_head_and_a_migrated_one_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    assert not await at_head(url)
    await upgrade(url)
    assert await at_head(url)
