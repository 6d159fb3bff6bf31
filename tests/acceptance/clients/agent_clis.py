"""The real agent CLIs, installed from npm by ``make clis`` (pinned there), run as users run them.

Each run gets a fresh home folder and working folder, telemetry and updates off, and no
network but loopback: the CLI talks only to the gateway it is pointed at.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
MASTER_KEY = "sk-gateway-master"
BIN = ROOT / ".tools" / "clis" / "node_modules" / ".bin"


def cli(name: str) -> Path:
    """The CLI's executable; its absence fails the test (``make test`` installs it)."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: `make clis` installs the pinned agent CLIs")
    return path


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run(command: list[str], *, home: Path, env: dict[str, str], cwd: Path, timeout: float = 180) -> Run:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("ANTHROPIC_", "OPENAI_"))}
    clean.update(HOME=str(home), NO_PROXY="127.0.0.1,localhost", **env)
    done = subprocess.run(command, cwd=cwd, env=clean, capture_output=True, text=True, timeout=timeout, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


def gateway_config(model_name: str, model: str, api_base: str, **litellm_settings: Any) -> dict[str, Any]:
    """A governed gateway with one deployment ``model_name`` -> ``model`` at ``api_base``."""
    entry = {"model_name": model_name, "litellm_params": {"model": model, "api_base": api_base, "api_key": "sk-up"}}
    config: dict[str, Any] = {"model_list": [entry], "general_settings": {"master_key": MASTER_KEY}}
    if litellm_settings:
        config["litellm_settings"] = litellm_settings
    return config
