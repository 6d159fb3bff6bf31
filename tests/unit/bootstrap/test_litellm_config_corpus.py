"""LiteLLM-style configuration files, written like LiteLLM's documented examples, each checked by
``config check`` with the outcome its header states: ``# expect: ok`` (no error, no warning but
the ones listed), ``# expect-errors: path, ...`` (exactly these errors), ``# expect-warnings:
path, ...`` (at least these warnings), ``# expect-message: text`` (in an error's message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from switchboard.bootstrap.compat import check_with_prices
from switchboard.bootstrap.providers import known_providers

CORPUS = Path(__file__).parent / "litellm_configs"
FILES = sorted(CORPUS.glob("*.yaml"))
ENVIRON = {
    "OPENAI_API_KEY": "sk-test",
    "ANTHROPIC_API_KEY": "sk-ant-test",
    "AZURE_API_KEY": "azure-test",
    "AZURE_API_BASE": "https://example.openai.azure.com/",
    "AWS_ACCESS_KEY_ID": "AKIATEST",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "REDIS_HOST": "127.0.0.1",
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/XXX",
    "LANGFUSE_PUBLIC_KEY": "pk-lf-test",
    "LANGFUSE_SECRET_KEY": "sk-lf-test",
    "LANGFUSE_PROJECT1_PUBLIC": "pk-lf-1",
    "LANGFUSE_PROJECT1_SECRET": "sk-lf-1",
}


def expectations(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# expect"):
            continue
        name, _, value = line[2:].partition(":")
        found[name.strip()] = (
            [v.strip() for v in value.split(",")] if name.strip() != "expect-message" else [value.strip()]
        )
    return found


def test_the_corpus_has_at_least_forty_files() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_config_check_gives_the_expected_outcome(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} states no expectation"
    problems = check_with_prices(path, known_providers=known_providers(), environ=ENVIRON)
    errors = sorted(p.path for p in problems if p.severity == "error")
    warnings = {p.path for p in problems if p.severity == "warning"}
    assert errors == sorted(expected.get("expect-errors", [])), [str(p) for p in problems]
    assert set(expected.get("expect-warnings", [])) <= warnings, [str(p) for p in problems]
    if expected.get("expect") == ["ok"]:
        assert warnings == set(), [str(p) for p in problems]
    for text in expected.get("expect-message", []):
        assert any(text in p.message for p in problems if p.severity == "error"), [str(p) for p in problems]
