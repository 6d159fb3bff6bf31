"""Recorded Gemini wire bodies in ``fixtures/`` (scrubbed; shapes from Google's REST reference)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

FIXTURES = Path(__file__).parent / "fixtures"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def load(name: str) -> Any:
    return orjson.loads(raw(name))
