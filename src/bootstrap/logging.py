"""structlog, configured once: a console renderer on a terminal, JSON lines otherwise.

stdlib ``logging`` records (the application's, uvicorn's) go through the same processors, so
every line carries the request id and no line carries a secret.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

_SECRET_KEYS = re.compile(r"(api[_-]?key|authorization|master[_-]?key|secret|password|token)$", re.I)
_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|AIza[0-9A-Za-z_\-]{20,}|AKIA[0-9A-Z]{12,})")
_configured = False


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return _KEYLIKE.sub(lambda m: m.group(0)[:3] + "***", value)
    return value


def redact_secrets(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: values of secret-named keys are hidden, key-like strings masked."""
    for key, value in event.items():
        if _SECRET_KEYS.search(key) and not key.endswith("_hash"):
            event[key] = "***"
        else:
            event[key] = _mask(value)
    return event


def configure_logging(*, json: bool | None = None, level: str = "INFO") -> None:
    """Idempotent. ``json=None`` picks JSON unless stderr is a terminal."""
    global _configured
    if _configured:
        return
    _configured = True
    use_json = (not sys.stderr.isatty()) if json is None else json
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if use_json else (lambda _, __, e: e),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "httpx", "httpcore", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
