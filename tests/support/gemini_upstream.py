"""A fake Google upstream as a plain ASGI app: the Gemini API, Vertex AI and the OAuth token endpoint.

- ``POST /token``: checks the service account's signed JWT, answers an access token
- ``POST {base}/models/{model}:generateContent`` (Gemini API, ``x-goog-api-key``) and
  ``POST /v1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent``
  (Vertex AI, ``Authorization: Bearer``): answers ``echo: <last user text>``
- ``:streamGenerateContent?alt=sse``: the same answer a word per event
- ``:batchEmbedContents``: a small vector per input
- ``.../publishers/anthropic/models/{model}:rawPredict`` and ``:streamRawPredict`` (Claude on
  Vertex AI): the Messages body checked against the ``anthropic`` SDK's schema, answered as
  Anthropic answers (``tests.support.bedrock_claude``'s echo); ``count-tokens:rawPredict`` counts

The model name picks a fault: ``fail-429`` (RESOURCE_EXHAUSTED with RetryInfo 3s), ``blocked``
(a prompt refused by the safety filter). Request bodies are checked with the google-genai types.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson

from tests.support import bedrock_claude
from tests.support.anthropic_wire import sse_frames
from tests.support.anthropic_wire import validate_request as validate_messages_request
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body
from tests.support.gemini_wire import blocked_prompt, google_error, response, retry_info
from tests.support.google_auth import token_body, verify_token_request
from tests.support.google_schema import validate_batch_embed_request, validate_request

API_KEY = "AIza-upstream-key-0123456789"
ACCESS_TOKEN = "ya29.gateway-test-token"


@dataclass
class GoogleState:
    token_exchanges: int = 0
    paths: list[str] = field(default_factory=list)
    claude_bodies: list[dict[str, Any]] = field(default_factory=list)
    claude_headers: list[dict[str, str]] = field(default_factory=list)


class GoogleUpstream:
    def __init__(self) -> None:
        self.state = GoogleState()
        self.base_url = ""  # set once served; the token endpoint checks the JWT's audience

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        path: str = scope["path"]
        query = parse_qs(scope["query_string"].decode())
        self.state.paths.append(path)
        if path == "/token":
            verify_token_request(body, f"{self.base_url}/token", now=time.time())
            self.state.token_exchanges += 1
            return await self._send(send, 200, token_body(ACCESS_TOKEN))
        if "/publishers/anthropic/models/" in path:
            return await self._claude(send, path, headers, orjson.loads(body))
        if "/publishers/google/models/" in path:
            if headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
                return await self._error(
                    send, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
                )
        elif headers.get("x-goog-api-key") != API_KEY:
            return await self._error(send, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
        resource, _, method = path.rpartition(":")
        model = resource.rsplit("/", 1)[-1]
        request = orjson.loads(body)
        if method == "batchEmbedContents":
            validate_batch_embed_request(request)
            vectors = [{"values": [0.5, float(i)]} for i in range(len(request["requests"]))]
            return await self._send(send, 200, orjson.dumps({"embeddings": vectors}))
        validate_request(request)
        if model == "fail-429":
            error = google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", retry_info(3))
            return await self._send(send, 429, orjson.dumps(error))
        if model == "blocked":
            return await self._send(send, 200, orjson.dumps(blocked_prompt(model)))
        text = "echo: " + request["contents"][-1]["parts"][-1]["text"]
        usage = {"promptTokenCount": 5, "candidatesTokenCount": 2, "totalTokenCount": 7}
        if method == "streamGenerateContent" and query.get("alt") == ["sse"]:
            return await self._stream(send, model, text, usage)
        answer = response([{"text": text}], model, finish="STOP", metadata=usage)
        return await self._send(send, 200, orjson.dumps(answer))

    async def _claude(self, send: Send, path: str, headers: dict[str, str], body: dict[str, Any]) -> None:
        if headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            await self._error(send, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
            return
        self.state.claude_bodies.append(body)
        self.state.claude_headers.append(headers)
        rest = {k: v for k, v in body.items() if k != "anthropic_version"}
        assert body["anthropic_version"] == "vertex-2023-10-16"
        if path.endswith("/count-tokens:rawPredict"):
            validate_messages_request({**rest, "max_tokens": 1})
            await self._send(send, 200, b'{"input_tokens":23}')
            return
        validate_messages_request({**rest, "model": bedrock_claude.MODEL})
        if not path.endswith(":streamRawPredict"):
            await self._send(send, 200, orjson.dumps(bedrock_claude.invoke_answer(body)))
            return
        start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]}
        await send(start)
        for frame in sse_frames(bedrock_claude.stream_events(body)):
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _stream(self, send: Send, model: str, text: str, usage: dict[str, Any]) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        words = text.split(" ")
        for number, word in enumerate(words):
            last = number == len(words) - 1
            event = response(
                [{"text": word + ("" if last else " ")}],
                model,
                finish="STOP" if last else None,
                metadata=usage if last else None,
            )
            frame = b"data: " + orjson.dumps(event) + b"\r\n\r\n"
            await send({"type": "http.response.body", "body": frame, "more_body": not last})

    async def _error(self, send: Send, status: int, name: str, message: str) -> None:
        await self._send(send, status, orjson.dumps(google_error(status, name, message)))

    async def _send(self, send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
