"""The README's provider table is made from the providers' declarations, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from switchboard.bootstrap.docs import (
    END,
    START,
    main,
    providers_markdown,
    providers_section,
    readme_section,
    replace_section,
)
from switchboard.bootstrap.providers import known_providers

README = Path(__file__).parents[3] / "README.md"


def test_the_readme_table_is_the_generated_one() -> None:
    assert readme_section(README.read_text(encoding="utf-8")) == providers_section(), (
        "README.md's provider table is stale: run `python -m switchboard.bootstrap.docs --write README.md`"
    )


def test_every_routed_provider_has_a_row() -> None:
    table = providers_markdown()
    assert [name for name in sorted(known_providers()) if f"| `{name}/` |" not in table] == []


def test_replacing_the_section_keeps_the_text_around_it() -> None:
    text = f"before\n{START}\nold\n{END}\nafter\n"
    assert replace_section(text, "NEW") == "before\nNEW\nafter\n"


def test_a_readme_without_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="markers"):
        readme_section("no table here")


def test_the_command_rewrites_a_stale_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n{START}\nstale\n{END}\n", encoding="utf-8")
    main(["--write", str(readme)])
    assert readme.read_text(encoding="utf-8") == f"# Title\n{providers_section()}\n"
