"""``switchboard``: serve the gateway, chat from the terminal, list models, check a config.

Human-readable output by default, ``--json`` for scripts. The commands call what bootstrap
hands in (``CliServices``); this module knows no concrete adapter.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import click
from rich.console import Console
from rich.table import Table

from switchboard.adapters.inbound.cli.media import add_media_commands
from switchboard.adapters.inbound.cli.messages import add_messages_command
from switchboard.domain.errors import SwitchboardError


class ConfigProblem(Protocol):
    """A problem found in a configuration, as the CLI prints it (read-only: the problems bootstrap
    reports are frozen values)."""

    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> int | None: ...
    @property
    def severity(self) -> str: ...


class ChatChunkLike(Protocol):
    @property
    def text(self) -> str: ...


class ChatClient(Protocol):
    def chat(self, model: str, messages: list[dict[str, Any]], **params: Any) -> Any: ...
    def models(self) -> list[str]: ...
    def close(self) -> None: ...


@dataclass
class CliServices:
    serve: Callable[[str | None, str, int, int, str], None]
    open_client: Callable[[str | None], ChatClient]
    check_config: Callable[[str], list[ConfigProblem]]
    version: str = "0"
    supported_params: Callable[[str, str | None], frozenset[str]] | None = None


config_option = click.option(
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="SWITCHBOARD_CONFIG",
    help="Config YAML (LiteLLM proxy format). Default: $SWITCHBOARD_CONFIG, else the built-in mock model.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def build_cli(services: CliServices) -> click.Group:
    console = Console()
    errors = Console(stderr=True)

    @click.group(help="Switchboard: one OpenAI-format door to many LLM providers.")
    @click.version_option(services.version, prog_name="switchboard")
    def cli() -> None:
        pass

    @cli.command(help="Run the HTTP gateway.")
    @config_option
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=4000, show_default=True, type=int)
    @click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
    @click.option("--log-level", default="info", show_default=True)
    def serve(config: str | None, host: str, port: int, workers: int, log_level: str) -> None:
        services.serve(config, host, port, workers, log_level)

    @cli.command(help="Send one prompt and stream the reply to the terminal.")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--system", "-s", default=None, help="A system message.")
    @click.option("--temperature", "-t", type=float, default=None)
    @click.option("--max-tokens", type=int, default=None)
    @click.option("--no-stream", is_flag=True, help="Wait for the whole reply.")
    @json_option
    @click.argument("prompt", nargs=-1, required=True)
    def chat(
        config: str | None,
        model: str,
        system: str | None,
        temperature: float | None,
        max_tokens: int | None,
        no_stream: bool,
        as_json: bool,
        prompt: tuple[str, ...],
    ) -> None:
        messages = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": " ".join(prompt)}
        ]
        params = {k: v for k, v in {"temperature": temperature, "max_tokens": max_tokens}.items() if v is not None}
        client = services.open_client(config)
        try:
            if no_stream or as_json:
                response = client.chat(model, messages, **params)
                if as_json:
                    click.echo(response.model_dump_json(exclude_none=True, indent=2))
                else:
                    click.echo(response.text)
                return
            for piece in _texts(client.chat(model, messages, stream=True, **params)):
                sys.stdout.write(piece)
                sys.stdout.flush()
            sys.stdout.write("\n")
        except SwitchboardError as exc:
            errors.print(f"[red]error:[/red] {exc.message}")
            raise SystemExit(1) from None
        finally:
            client.close()

    @cli.command(help="List the model names the configuration serves.")
    @config_option
    @json_option
    def models(config: str | None, as_json: bool) -> None:
        client = services.open_client(config)
        try:
            names = client.models()
        finally:
            client.close()
        if as_json:
            click.echo(json.dumps(names))
            return
        table = Table("model")
        for name in names:
            table.add_row(name)
        console.print(table)

    @cli.command(help="List the OpenAI parameters a provider accepts for a model (provider/model).")
    @click.argument("model")
    @click.option("--provider", "-p", default=None, help="The provider, if MODEL has no provider/ prefix.")
    @json_option
    def params(model: str, provider: str | None, as_json: bool) -> None:
        if services.supported_params is None:
            raise click.UsageError("parameter lookup is not available")
        try:
            names = sorted(services.supported_params(model, provider))
        except (ValueError, SwitchboardError) as exc:
            errors.print(f"[red]error:[/red] {exc}")
            raise SystemExit(1) from None
        if as_json:
            click.echo(json.dumps(names))
        else:
            console.print("\n".join(names))

    @cli.group(name="config", help="Work with configuration files.")
    def config_group() -> None:
        pass

    @config_group.command(name="check", help="Validate a config file; report every problem with its YAML path.")
    @click.argument("path", type=click.Path(dir_okay=False))
    @json_option
    def check(path: str, as_json: bool) -> None:
        problems = services.check_config(path)
        failed = any(p.severity == "error" for p in problems)
        if as_json:
            click.echo(json.dumps([_problem_dict(p) for p in problems], indent=2))
        elif not problems:
            console.print(f"[green]ok[/green]: {path}")
        else:
            _print_problems(console, problems)
        if failed:
            raise SystemExit(1)

    add_media_commands(cli, services.open_client, config_option, json_option)
    add_messages_command(cli, services.open_client, config_option, json_option)
    return cli


def _texts(chunks: Iterable[ChatChunkLike]) -> Iterator[str]:
    for chunk in chunks:
        if chunk.text:
            yield chunk.text


def _problem_dict(problem: ConfigProblem) -> dict[str, Any]:
    return {
        "severity": problem.severity,
        "path": problem.path,
        "line": problem.line,
        "message": problem.message,
    }


def _print_problems(console: Console, problems: list[ConfigProblem]) -> None:
    table = Table("severity", "path", "line", "problem")
    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        table.add_row(f"[{colour}]{p.severity}[/{colour}]", p.path or "-", str(p.line or "-"), p.message)
    console.print(table)
