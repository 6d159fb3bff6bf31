"""Claude Code (the real CLI, ``claude -p``) through the gateway's Anthropic Messages door.

Claude Code speaks only Anthropic Messages (streamed, with thinking, betas and its own tools).
It must finish a task that needs one tool call: the fake upstream asks it to run a shell
command and answers ``TOOL-OK`` only when the command's real output comes back. Once with an
Anthropic deployment (native passthrough), once with an OpenAI chat deployment (translated).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.clients.agent_clis import MASTER_KEY, cli, gateway_config, run
from tests.support.agent_upstreams import MARKER, AnthropicAgent, ChatAgent
from tests.support.servers import serve_asgi, serve_gateway

pytestmark = pytest.mark.server

MODEL = "claude-sonnet-4-5"


@pytest.fixture(scope="module")
def anthropic() -> Iterator[tuple[AnthropicAgent, str]]:
    app = AnthropicAgent()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def chat() -> Iterator[tuple[ChatAgent, str]]:
    app = ChatAgent()
    with serve_asgi(app) as url:
        yield app, url


def _gateway(model: str, api_base: str) -> dict[str, Any]:
    return gateway_config(MODEL, model, api_base)


def _claude(gateway: str, tmp_path: Path) -> dict[str, Any]:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    done = run(
        [
            str(cli("claude")),
            "-p",
            "Run the shell command the task needs, then report.",
            "--output-format",
            "json",
            "--allowedTools",
            "Bash",
            "--model",
            MODEL,
        ],
        home=home,
        cwd=work,
        env={
            "ANTHROPIC_BASE_URL": gateway,
            "ANTHROPIC_API_KEY": MASTER_KEY,
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_TELEMETRY": "1",
            "DISABLE_ERROR_REPORTING": "1",
        },
    )
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    result: dict[str, Any] = done.json()
    return result


def test_claude_code_finishes_a_tool_task_through_a_native_anthropic_deployment(
    anthropic: tuple[AnthropicAgent, str], tmp_path: Path
) -> None:
    app, url = anthropic
    with serve_gateway(_gateway(f"anthropic/{MODEL}", url)) as gateway:
        result = _claude(gateway, tmp_path)
    assert (result["is_error"], result["result"]) == (False, "TOOL-OK")
    assert result["num_turns"] == 2
    # native: Claude Code's own fields reached Anthropic untouched
    assert app.bodies[-1]["thinking"]["type"] == "enabled"
    assert any(MARKER in str(block) for block in app.bodies[-1]["messages"][-1]["content"])


def test_claude_code_finishes_a_tool_task_through_an_openai_chat_deployment(
    chat: tuple[ChatAgent, str], tmp_path: Path
) -> None:
    app, url = chat
    with serve_gateway(_gateway("openai/gpt-4o", f"{url}/v1")) as gateway:
        result = _claude(gateway, tmp_path)
    assert (result["is_error"], result["result"]) == (False, "TOOL-OK")
    # translated: Claude Code's Bash tool became an OpenAI function, its result a tool message
    assert any(tool["function"]["name"] == "Bash" for tool in app.bodies[0]["tools"])
    assert any(
        message["role"] == "tool" and MARKER in str(message["content"]) for message in app.bodies[-1]["messages"]
    )
