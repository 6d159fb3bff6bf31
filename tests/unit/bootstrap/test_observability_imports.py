"""Sinks' libraries load only when configured: the facade's import time does not pay for them."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_facade_loads_neither_opentelemetry_nor_prometheus_client() -> None:
    code = (
        "import sys, switchboard, switchboard.bootstrap.facade, switchboard.bootstrap.http;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('opentelemetry', 'prometheus_client')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
