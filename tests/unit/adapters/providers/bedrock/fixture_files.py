"""The recorded-format fixtures of this package, loaded and (for streams) framed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.support.bedrock_wire import event

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return orjson.loads((FIXTURES / name).read_bytes())


def stream(name: str) -> bytes:
    """A ConverseStream body: each fixture event as one event-stream message."""
    return b"".join(event(item["event"], item["payload"]) for item in load(name))
