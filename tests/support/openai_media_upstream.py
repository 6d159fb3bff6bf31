"""A fake OpenAI upstream for completions, images and audio, as a plain ASGI app.

Answers follow ``tests.support.openai_media_wire`` (checked by the SDK's types). The completion
text is ``echo: <prompt>``, the transcript ``heard <filename>``. A model named ``fail-429``
answers 429 with ``Retry-After: 3``. Speech for the model ``gated`` sends its first bytes, then
waits until the test sets ``gate`` (up to 10 s) before the rest; ``released`` says, per request,
whether the gate (not the time limit) let it go on. Every request's path, headers and parsed body
are kept.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

import orjson

from tests.support import openai_media_wire as wire
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body, respond, respond_json, stream


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


class OpenAIMediaUpstream:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.gate = threading.Event()
        self.released: list[bool] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        raw = await read_body(receive)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        path = scope["path"]
        seen = Seen(path, headers)
        if headers.get("content-type", "").startswith("multipart/form-data"):
            fields, seen.files = wire.form_parts(raw, headers["content-type"])
            seen.body = {k: v if k.endswith("[]") else v[0] for k, v in fields.items()}
        elif raw:
            seen.body = orjson.loads(raw)
        self.seen.append(seen)
        body = seen.body
        if body.get("model") == "fail-429":
            error = {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}
            return await respond_json(send, 429, {"error": error}, [(b"retry-after", b"3")])
        if path.endswith("/audio/transcriptions"):
            filename = seen.files["file"][0]
            content, content_type = wire.transcription(body.get("response_format", "json"), f"heard {filename}")
            return await respond(send, 200, content, content_type)
        if path.endswith("/audio/speech") and body.get("model") == "gated":
            return await self._gated_speech(send)
        if path.endswith("/audio/speech"):
            return await stream(send, [wire.MP3[:100], wire.MP3[100:]], "audio/mpeg")
        if path.endswith("/images/generations"):
            return await respond_json(send, 200, wire.images(body.get("n", 1), body.get("response_format")))
        if path.endswith("/completions"):
            text = f"echo: {body['prompt']}"
            if body.get("stream"):
                frames = [b"data: " + orjson.dumps(c) + b"\n\n" for c in wire.completion_chunks(body["model"], text)]
                return await stream(send, [*frames, b"data: [DONE]\n\n"], "text/event-stream")
            return await respond_json(send, 200, wire.completion(body["model"], [text]))
        return await respond_json(
            send, 404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}
        )

    async def _gated_speech(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"audio/mpeg")]})
        await send({"type": "http.response.body", "body": wire.MP3[:100], "more_body": True})
        self.released.append(await asyncio.to_thread(self.gate.wait, 10))
        await send({"type": "http.response.body", "body": wire.MP3[100:], "more_body": False})
