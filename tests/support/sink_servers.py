"""Local stand-ins for the services the HTTP sinks post to, as ASGI apps for ``serve_asgi``.

Each checks a request the way its service documents it and answers as it does: a request of the
wrong shape gets the service's error status, and the problem is kept in ``problems`` so a test
can show it. ``hang`` makes a server hold every request until released (a stuck destination).

- Langfuse ``POST /api/public/ingestion``: basic auth, ``{"batch": [event...]}``; each event has
  ``id``, ``timestamp``, ``type`` and ``body``; 207 with ``successes`` and ``errors``.
- Datadog ``POST /api/v2/logs``: ``DD-API-KEY``, a JSON array of at most 1000 entries, each with
  a string ``message``; 202.
- Slack incoming webhook ``POST /services/...``: ``{"text": "..."}``; 200 ``ok`` (400
  ``invalid_payload`` otherwise).
- A generic webhook: a JSON array; 200.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

ISO_LENGTH = len("2026-01-01T00:00:00Z")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class SinkServer:
    """Records requests; ``check`` returns (status, reply body, problem or None)."""

    received: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fail_status: int | None = None
    hang: threading.Event | None = None

    def check(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, str | None]:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                kind = (await receive())["type"]
                await send({"type": f"{kind}.complete"})
                if kind == "lifespan.shutdown":
                    return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.hang is not None:
            await asyncio.to_thread(self.hang.wait, 30)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        if self.fail_status is not None:
            status, reply, problem = self.fail_status, b'{"error": "failing on purpose"}', None
        elif scope["method"] != "POST" or not headers.get("content-type", "").startswith("application/json"):
            status, reply, problem = 400, b"not a JSON POST", "not a JSON POST"
        else:
            status, reply, problem = self.check(scope["path"], headers, body)
        self.received.append(Received(scope["path"], headers, body))
        if problem:
            self.problems.append(problem)
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": reply})


def _iso(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= ISO_LENGTH and value[4] == "-" and "T" in value


@dataclass
class LangfuseServer(SinkServer):
    public_key: str = "pk-lf-test"
    secret_key: str = "sk-lf-test"

    def check(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, str | None]:
        expected = "Basic " + base64.b64encode(f"{self.public_key}:{self.secret_key}".encode()).decode()
        if path != "/api/public/ingestion":
            return 404, b"{}", f"wrong path {path}"
        if headers.get("authorization") != expected:
            return 401, b'{"message": "Invalid credentials"}', "bad basic auth"
        if not isinstance(body, dict) or not isinstance(body.get("batch"), list):
            return 400, b"{}", "no batch list"
        successes, errors = [], []
        for event in body["batch"]:
            problem = self._event_problem(event)
            if problem:
                self.problems.append(problem)
                errors.append({"id": str(event.get("id")), "status": 400, "message": problem})
            else:
                successes.append({"id": event["id"], "status": 201})
        return 207, orjson.dumps({"successes": successes, "errors": errors}), None

    @staticmethod
    def _event_problem(event: Any) -> str | None:
        if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not _iso(event.get("timestamp")):
            return "an event needs a string id and an ISO timestamp"
        body = event.get("body")
        if not isinstance(body, dict):
            return "an event needs a body"
        if event.get("type") == "trace-create":
            return None if isinstance(body.get("id"), str) else "trace-create needs body.id"
        if event.get("type") == "generation-create":
            usage = body.get("usageDetails", {})
            if not isinstance(body.get("traceId"), str):
                return "generation-create needs traceId"
            if not (_iso(body.get("startTime")) and _iso(body.get("endTime"))):
                return "generation-create needs ISO startTime and endTime"
            if not all(isinstance(v, int) for v in usage.values()):
                return "usageDetails values must be integers"
            if body.get("level") not in (None, "DEBUG", "DEFAULT", "WARNING", "ERROR"):
                return "unknown level"
            return None
        return f"unexpected event type {event.get('type')}"


@dataclass
class DatadogServer(SinkServer):
    api_key: str = "dd-test-key"

    def check(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, str | None]:
        if path != "/api/v2/logs":
            return 404, b"{}", f"wrong path {path}"
        if headers.get("dd-api-key") != self.api_key:
            return 403, b'{"errors": ["Forbidden"]}', "bad DD-API-KEY"
        if not isinstance(body, list) or not 0 < len(body) <= 1000:
            return 400, b"{}", "not an array of 1 to 1000 entries"
        for entry in body:
            if not isinstance(entry, dict) or not isinstance(entry.get("message"), str):
                return 400, b"{}", "an entry needs a string message"
            if not isinstance(entry.get("ddtags", ""), str):
                return 400, b"{}", "ddtags must be a string"
        return 202, b"{}", None


@dataclass
class SlackServer(SinkServer):
    def check(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, str | None]:
        if not path.startswith("/services/"):
            return 404, b"no_service", f"wrong path {path}"
        if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
            return 400, b"invalid_payload", "needs a non-empty text"
        return 200, b"ok", None

    def texts(self) -> list[str]:
        return [r.body["text"] for r in self.received if isinstance(r.body, dict)]


@dataclass
class WebhookServer(SinkServer):
    token: str = "hook-token"

    def check(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, str | None]:
        if headers.get("x-token") != self.token:
            return 401, b"{}", "missing x-token header"
        if not isinstance(body, list) or not all(isinstance(r, dict) and "request_id" in r for r in body):
            return 400, b"{}", "not an array of call records"
        return 200, b"{}", None

    def records(self) -> list[dict[str, Any]]:
        return [record for r in self.received if isinstance(r.body, list) for record in r.body]
