"""Every command that loads a configuration answers a broken one with its problems and exit
code 1, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from switchboard.bootstrap.cli import main

BROKEN = """\
model_list:
  - model_name: m
    litellm_params:
      model: openai/m
      api_base: os.environ/SWITCHBOARD_TEST_UNSET_BASE
"""


@pytest.mark.parametrize("command", [["serve"], ["models"], ["db", "upgrade"], ["keys", "list"]])
def test_a_broken_configuration_is_reported_without_a_traceback(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BROKEN)
    monkeypatch.delenv("SWITCHBOARD_TEST_UNSET_BASE", raising=False)
    monkeypatch.setattr(sys, "argv", ["switchboard", *command, "--config", str(config)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "model_list[0].litellm_params.api_base" in err
    assert "SWITCHBOARD_TEST_UNSET_BASE is not set" in err
    assert "Traceback" not in err
