"""``switchboard message``: one Anthropic Messages request from the terminal, through the same
door as Claude Code (native to Anthropic deployments, translated for the others)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol

import click
from rich.console import Console

from switchboard.domain.errors import SwitchboardError


class MessagesClient(Protocol):
    def messages(self, model: str, messages: list[dict[str, Any]], **params: Any) -> Any: ...
    def close(self) -> None: ...


def _text_delta(event: Any) -> str:
    delta: Any = getattr(event, "delta", None)
    return delta.text if event.type == "content_block_delta" and getattr(delta, "type", "") == "text_delta" else ""


def add_messages_command(
    cli: click.Group,
    open_client: Callable[[str | None], Any],
    config_option: Callable[[Any], Any],
    json_option: Callable[[Any], Any],
) -> None:
    errors = Console(stderr=True)

    @cli.command(help="Send PROMPT as an Anthropic Messages request and stream the reply.")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--system", "-s", default=None, help="The system prompt.")
    @click.option("--max-tokens", type=int, default=1024, show_default=True)
    @click.option("--no-stream", is_flag=True, help="Wait for the whole message.")
    @json_option
    @click.argument("prompt", nargs=-1, required=True)
    def message(
        config: str | None,
        model: str,
        system: str | None,
        max_tokens: int,
        no_stream: bool,
        as_json: bool,
        prompt: tuple[str, ...],
    ) -> None:
        client: MessagesClient = open_client(config)
        turns = [{"role": "user", "content": " ".join(prompt)}]
        params: dict[str, Any] = {"max_tokens": max_tokens, **({"system": system} if system else {})}
        try:
            if no_stream or as_json:
                reply = client.messages(model, turns, **params)
                click.echo(reply.model_dump_json(exclude_none=True, indent=2) if as_json else reply.text)
                return
            for event in client.messages(model, turns, stream=True, **params):
                sys.stdout.write(_text_delta(event))
                sys.stdout.flush()
            sys.stdout.write("\n")
        except SwitchboardError as exc:
            errors.print(f"[red]error:[/red] {exc.message}")
            raise SystemExit(1) from None
        finally:
            client.close()
