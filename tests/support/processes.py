"""Gateways as real processes (``switchboard serve``), for multi-instance tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.support.servers import free_port


def write_config(folder: Path, config: Mapping[str, Any]) -> Path:
    path = folder / f"config-{time.monotonic_ns()}.yaml"
    path.write_text(yaml.safe_dump(dict(config)), encoding="utf-8")
    return path


@contextmanager
def gateway_process(config: Path, log: Path) -> Iterator[str]:
    """``switchboard serve --config <config>`` on a free port; yields its base URL. Stopped with
    SIGTERM (graceful: in-flight calls finish, spend rows are flushed)."""
    with serving([*LAUNCHER, "serve", "--config", str(config)], log) as gateway:
        yield gateway.url


LAUNCHER = (sys.executable, "-c", "from switchboard.bootstrap.cli import main; main()")


@dataclass(frozen=True)
class RunningGateway:
    url: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """``kill -9``: no shutdown, nothing flushed."""
        self.process.kill()
        self.process.wait()


@contextmanager
def serving(
    command: Sequence[str], log: Path, *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Iterator[RunningGateway]:
    """``command`` (a ``switchboard serve`` without its port) on a free port, until it answers
    ``/health/liveliness``; yields it, and stops it with SIGTERM unless it is gone already."""
    port = free_port()
    full = [*command, "--port", str(port), "--log-level", "warning"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            full, cwd=cwd, env=dict(os.environ if env is None else env), stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gateway exited with {process.returncode}: {log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/health/liveliness", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gateway did not start: {log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield RunningGateway(url, process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
