"""``switchboard complete``, ``image``, ``transcribe`` and ``speak`` on the mock model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.bootstrap.cli import check_config, open_client

CONFIG = {"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m", "mock_response": "Canned."}}]}


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG))
    return str(path)


def run(*args: str) -> tuple[int, str]:
    cli = build_cli(CliServices(serve=lambda *a: None, open_client=open_client, check_config=check_config))
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_complete_prints_the_completion(config: str) -> None:
    assert run("complete", "-c", config, "-m", "m", "Once", "upon") == (0, "Canned.\n")


def test_complete_json_prints_the_whole_answer(config: str) -> None:
    code, output = run("complete", "-c", config, "-m", "m", "--json", "x")
    assert code == 0 and json.loads(output)["object"] == "text_completion"


def test_image_saves_the_png_where_told(config: str, tmp_path: Path) -> None:
    target = tmp_path / "cat.png"
    code, output = run("image", "-c", config, "-m", "m", "a", "cat", "-o", str(target))
    assert code == 0 and "saved" in output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_several_images_are_numbered(config: str, tmp_path: Path) -> None:
    code, _ = run("image", "-c", config, "-m", "m", "cats", "--n", "2", "-o", str(tmp_path / "cat.png"))
    assert code == 0
    assert sorted(p.name for p in tmp_path.glob("cat-*.png")) == ["cat-1.png", "cat-2.png"]


def test_speak_writes_audio_in_the_format_of_the_file_name(config: str, tmp_path: Path) -> None:
    target = tmp_path / "hello.wav"
    code, output = run("speak", "-c", config, "-m", "m", "Hello", "there", "-o", str(target))
    assert code == 0 and "audio/wav" in output
    assert target.read_bytes()[8:12] == b"WAVE"


def test_transcribe_prints_the_transcript(config: str, tmp_path: Path) -> None:
    audio = tmp_path / "talk.wav"
    audio.write_bytes(b"RIFF")
    assert run("transcribe", "-c", config, "-m", "m", str(audio)) == (0, "Canned.\n")


def test_an_unknown_model_is_an_error_message_and_exit_code_1(config: str, tmp_path: Path) -> None:
    code, output = run("speak", "-c", config, "-m", "nope", "Hi", "-o", str(tmp_path / "x.mp3"))
    assert code == 1
    assert "does not exist" in output
    assert not (tmp_path / "x.mp3").exists()
