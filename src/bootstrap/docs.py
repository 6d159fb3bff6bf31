"""Documentation generated from the code, so it cannot drift from it.

``python -m switchboard.bootstrap.docs`` prints the README's provider table (between the markers
``<!-- providers:start -->`` and ``<!-- providers:end -->``); ``--write README.md`` replaces the
table in place. A test fails when the README's table differs from this one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from switchboard.adapters.outbound.providers.info import ProviderInfo
from switchboard.bootstrap.providers import declarations
from switchboard.domain.endpoints import Endpoint

START = "<!-- providers:start -->"
END = "<!-- providers:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _keys(info: ProviderInfo) -> str:
    keys = " or ".join(f"`{k}`" for k in info.key_env)
    if not keys:
        return "none" if not info.key_required else "`api_key`"
    return keys if info.key_required else f"{keys} (optional)"


def _base(info: ProviderInfo) -> str:
    if info.api_base:
        return f"`{info.api_base}`"
    if info.in_process:
        return "in process"
    return "`api_base`" + (f" or `{info.api_base_env}`" if info.api_base_env else "") + " (required)"


def _row(info: ProviderInfo) -> str:
    endpoints = ", ".join(endpoint for endpoint in Endpoint if endpoint in info.endpoints)
    cells = (info.title, f"`{info.name}/`", endpoints, _keys(info), _base(info))
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def providers_markdown() -> str:
    """The provider table: one row per provider name the gateway routes, in declaration order."""
    lines = [
        "| Provider | Model prefix | Endpoints | API key variable | Default API base |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_row(info) for info in declarations().values()]
    return "\n".join(lines) + "\n"


def providers_section() -> str:
    """The table with its markers, as it stands in the README."""
    return f"{START}\n{providers_markdown()}{END}"


def replace_section(text: str, section: str) -> str:
    """``text`` with the part from START to END (inclusive) replaced by ``section``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {START} and {END} are missing")
    return text[:start] + section + text[end + len(END) :]


def readme_section(text: str) -> str:
    """The provider section of a README's text, markers included."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {START} and {END} are missing")
    return text[start : end + len(END)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m switchboard.bootstrap.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="README", help="replace the table in this file")
    args = parser.parse_args(argv)
    if args.write:
        path = Path(args.write)
        text = replace_section(path.read_text(encoding="utf-8"), providers_section())
        path.write_text(text, encoding="utf-8")
        return
    sys.stdout.write(providers_section() + "\n")


if __name__ == "__main__":
    main()
