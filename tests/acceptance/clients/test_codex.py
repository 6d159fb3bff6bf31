"""Codex CLI (the real CLI, ``codex exec``) through the gateway's OpenAI Responses door.

Codex speaks Responses (``wire_api = "responses"``, streamed, with its own function tools).
It must finish a task that needs one tool call: the fake upstream asks it to run a shell
command and answers ``TOOL-OK`` only when the command's real output comes back. Once with an
OpenAI deployment (native passthrough), once with an Anthropic deployment (translated).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.clients.agent_clis import MASTER_KEY, cli, gateway_config, run
from tests.support.agent_upstreams import MARKER, AnthropicAgent, ResponsesAgent
from tests.support.servers import serve_asgi, serve_gateway

pytestmark = pytest.mark.server

MODEL = "gpt-5-codex"


@pytest.fixture(scope="module")
def responses() -> Iterator[tuple[ResponsesAgent, str]]:
    app = ResponsesAgent()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def anthropic() -> Iterator[tuple[AnthropicAgent, str]]:
    app = AnthropicAgent()
    with serve_asgi(app) as url:
        yield app, url


def _gateway(model: str, api_base: str) -> dict[str, Any]:
    """One deployment for Codex's model. ``drop_params``: a translated provider cannot run Codex's
    hosted ``web_search`` tool, which the gateway then leaves out instead of refusing the call."""
    return gateway_config(MODEL, model, api_base, drop_params=True)


def codex_exec(base_url: str, tmp_path: Path) -> str:
    """``codex exec`` with a model provider whose base URL is ``base_url``; its last message."""
    home, work = tmp_path / "home", tmp_path / "work"
    (home / ".codex").mkdir(parents=True)
    work.mkdir()
    last = tmp_path / "last-message.txt"
    provider = f'{{name="switchboard",base_url="{base_url}/v1",env_key="SWITCHBOARD_KEY",wire_api="responses"}}'
    done = run(
        [
            str(cli("codex")),
            "exec",
            "--skip-git-repo-check",
            "--dangerously-bypass-approvals-and-sandbox",
            "-c",
            "model_provider=switchboard",
            "-c",
            f"model_providers.switchboard={provider}",
            "-m",
            MODEL,
            "--output-last-message",
            str(last),
            "Run the shell command the task needs, then report.",
        ],
        home=home,
        cwd=work,
        env={"CODEX_HOME": str(home / ".codex"), "SWITCHBOARD_KEY": MASTER_KEY},
    )
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    return last.read_text().strip()


def test_codex_finishes_a_tool_task_through_a_native_openai_deployment(
    responses: tuple[ResponsesAgent, str], tmp_path: Path
) -> None:
    app, url = responses
    with serve_gateway(_gateway(f"openai/{MODEL}", f"{url}/v1")) as gateway:
        assert codex_exec(gateway, tmp_path) == "TOOL-OK"
    outputs = [item for item in app.bodies[-1]["input"] if item.get("type") == "function_call_output"]
    assert outputs
    assert MARKER in str(outputs[-1]["output"])


def test_codex_finishes_a_tool_task_through_an_anthropic_deployment(
    anthropic: tuple[AnthropicAgent, str], tmp_path: Path
) -> None:
    app, url = anthropic
    with serve_gateway(_gateway("anthropic/claude-sonnet-4-5", url)) as gateway:
        assert codex_exec(gateway, tmp_path) == "TOOL-OK"
    # translated: Codex's function tools (its namespaced sub-agent tools flattened) reached Anthropic
    names = [tool["name"] for tool in app.bodies[0]["tools"]]
    assert "exec_command" in names
    assert "web_search" not in names
