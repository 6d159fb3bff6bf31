"""``switchboard complete``, ``image``, ``transcribe`` and ``speak``: the endpoints beyond chat
from the terminal. Files are written only where the user points ``--output``."""

from __future__ import annotations

import base64
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import click
from rich.console import Console

from switchboard.domain.errors import SwitchboardError

SPEECH_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
TRANSCRIPT_FORMATS = ("text", "json", "verbose_json", "srt", "vtt")


class MediaClient(Protocol):
    def complete(self, model: str, prompt: Any, **params: Any) -> Any: ...
    def image(self, model: str, prompt: str, **params: Any) -> Any: ...
    def transcribe(self, model: str, file: Any, **params: Any) -> Any: ...
    def speech(self, model: str, input: str, **params: Any) -> Any: ...
    def close(self) -> None: ...


def image_bytes(item: Any) -> bytes | None:
    """The image's bytes when the answer carries them (base64, or a ``data:`` URL)."""
    if item.b64_json:
        return base64.b64decode(item.b64_json)
    url = item.url or ""
    if url.startswith("data:") and ";base64," in url:
        return base64.b64decode(url.split(";base64,", 1)[1])
    return None


def numbered(path: Path, index: int, count: int) -> Path:
    """``out.png`` for one image; ``out-1.png``, ``out-2.png``... for several."""
    return path if count == 1 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")


def add_media_commands(
    cli: click.Group,
    open_client: Callable[[str | None], Any],
    config_option: Callable[[Any], Any],
    json_option: Callable[[Any], Any],
) -> None:
    errors = Console(stderr=True)

    def run(config: str | None, action: Callable[[MediaClient], None]) -> None:
        client: MediaClient = open_client(config)
        try:
            action(client)
        except SwitchboardError as exc:
            errors.print(f"[red]error:[/red] {exc.message}")
            raise SystemExit(1) from None
        finally:
            client.close()

    @cli.command(help="Legacy text completion: continue PROMPT.")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--max-tokens", type=int, default=None)
    @click.option("--temperature", "-t", type=float, default=None)
    @click.option("--no-stream", is_flag=True, help="Wait for the whole completion.")
    @json_option
    @click.argument("prompt", nargs=-1, required=True)
    def complete(
        config: str | None,
        model: str,
        max_tokens: int | None,
        temperature: float | None,
        no_stream: bool,
        as_json: bool,
        prompt: tuple[str, ...],
    ) -> None:
        params = {k: v for k, v in {"max_tokens": max_tokens, "temperature": temperature}.items() if v is not None}

        def action(client: MediaClient) -> None:
            text = " ".join(prompt)
            if no_stream or as_json:
                response = client.complete(model, text, **params)
                click.echo(response.model_dump_json(exclude_none=True, indent=2) if as_json else response.text)
                return
            for chunk in client.complete(model, text, stream=True, **params):
                sys.stdout.write(chunk.text)
                sys.stdout.flush()
            sys.stdout.write("\n")

        run(config, action)

    @cli.command(help="Generate an image from PROMPT; save it with --output.")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Save the image here.")
    @click.option("--size", default=None, help="e.g. 1024x1024")
    @click.option("--n", "count", type=int, default=None, help="How many images.")
    @json_option
    @click.argument("prompt", nargs=-1, required=True)
    def image(
        config: str | None,
        model: str,
        output: str | None,
        size: str | None,
        count: int | None,
        as_json: bool,
        prompt: tuple[str, ...],
    ) -> None:
        params = {k: v for k, v in {"size": size, "n": count}.items() if v is not None}

        def action(client: MediaClient) -> None:
            response = client.image(model, " ".join(prompt), **params)
            if as_json:
                click.echo(response.model_dump_json(exclude_none=True, indent=2))
                return
            for index, item in enumerate(response.data):
                content = image_bytes(item)
                if output and content is not None:
                    path = numbered(Path(output), index, len(response.data))
                    path.write_bytes(content)
                    click.echo(f"saved {path} ({len(content)} bytes)")
                elif item.url and not item.url.startswith("data:"):
                    click.echo(item.url)
                else:
                    click.echo(f"image {index + 1}: {len(content or b'')} bytes; use --output FILE to save it")

        run(config, action)

    @cli.command(help="Transcribe the audio FILE.")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--language", default=None, help="ISO-639-1 code of the spoken language.")
    @click.option("--format", "fmt", type=click.Choice(TRANSCRIPT_FORMATS), default="text", show_default=True)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def transcribe(config: str | None, model: str, language: str | None, fmt: str, file: str) -> None:
        def action(client: MediaClient) -> None:
            params = {"response_format": fmt, **({"language": language} if language else {})}
            transcription = client.transcribe(model, Path(file), **params)
            if transcription.is_plain_text:
                click.echo(transcription.text.rstrip("\n"))
            else:
                click.echo(transcription.model_dump_json(exclude_none=True, indent=2))

        run(config, action)

    @cli.command(help="Speak TEXT and save the audio to --output (format from its extension).")
    @config_option
    @click.option("--model", "-m", required=True, help="Model name, as in the config.")
    @click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Audio file to write.")
    @click.option("--voice", default="alloy", show_default=True)
    @click.option("--speed", type=float, default=None)
    @click.argument("text", nargs=-1, required=True)
    def speak(
        config: str | None, model: str, output: str, voice: str, speed: float | None, text: tuple[str, ...]
    ) -> None:
        path = Path(output)
        fmt = path.suffix.lstrip(".").lower()
        params: dict[str, Any] = {"response_format": fmt if fmt in SPEECH_FORMATS else "mp3"}
        if speed is not None:
            params["speed"] = speed

        def action(client: MediaClient) -> None:
            speech = client.speech(model, " ".join(text), voice=voice, **params)
            path.write_bytes(speech.content)
            click.echo(f"saved {path} ({len(speech.content)} bytes, {speech.content_type})")

        run(config, action)
