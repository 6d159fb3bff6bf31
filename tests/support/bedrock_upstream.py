"""A fake Bedrock runtime: Converse JSON, ConverseStream event-stream frames, InvokeModel
embeddings and AWS error responses, each checked against botocore's service model.

Every request must carry a SigV4 signature that botocore itself verifies (or a Bedrock API key
as ``Authorization: Bearer``); a bad one gets Bedrock's 403 ``InvalidSignatureException``.
``BedrockUpstream`` is a plain ASGI app for acceptance tests on a real socket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import orjson
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.support import bedrock_claude
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body
from tests.support.bedrock_wire import check_request, check_response, check_stream, event, exception

ACCESS_KEY = "AKIDEXAMPLETESTKEY01"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 "
    r"Credential=(?P<key>[A-Z0-9]+)/(?P<day>\d{8})/(?P<region>[a-z0-9-]+)/bedrock/aws4_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$"
)
_AMZ_DATE = re.compile(r"^\d{8}T\d{6}Z$")

# AWS error kind -> (status, x-amzn-errortype, message).
ERRORS: dict[str, tuple[int, str, str]] = {
    "rate_limited": (429, "ThrottlingException", "Too many requests, please wait before trying again."),
    "auth": (403, "UnrecognizedClientException", "The security token included in the request is invalid."),
    "forbidden": (
        403,
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
    ),
    "not_found": (404, "ResourceNotFoundException", "Could not resolve the foundation model."),
    "bad_request": (400, "ValidationException", "Malformed input request: temperature must be <= 1"),
    "server_error": (500, "InternalServerException", "An internal server error occurred."),
    "overloaded": (503, "ServiceUnavailableException", "Bedrock is unable to process your request."),
    "not_ready": (429, "ModelNotReadyException", "The model is not ready to serve requests."),
    "model_timeout": (408, "ModelTimeoutException", "Model has timed out in processing the request."),
    "quota": (400, "ServiceQuotaExceededException", "Your request exceeds the service quota."),
}


def signature_problem(
    method: str, url: str, headers: Mapping[str, str], body: bytes, secret: str = SECRET_KEY
) -> str | None:
    """Why the request's SigV4 signature is wrong, or ``None`` when botocore computes the same one."""
    authorization = headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        return None
    match = _AUTHORIZATION.match(authorization)
    if match is None:
        return f"malformed authorization header {authorization[:40]!r}"
    amz_date = headers.get("x-amz-date", "")
    if not _AMZ_DATE.match(amz_date) or amz_date[:8] != match["day"]:
        return f"bad x-amz-date {amz_date!r}"
    signed = match["signed"].split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        return "host and x-amz-date must be signed"
    request = AWSRequest(method=method, url=url, data=body, headers={n: headers[n] for n in signed})
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(match["key"], secret, headers.get("x-amz-security-token")), "bedrock", match["region"])
    canonical = auth.canonical_request(request)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    return None if expected == match["signature"] else "signature mismatch"


def error_response(kind: str) -> tuple[int, dict[str, str], bytes]:
    status, name, message = ERRORS[kind]
    headers = {
        "content-type": "application/json",
        "x-amzn-errortype": f"{name}:http://internal.amazon.com/coral/com.amazon.bedrock/",
        "x-amzn-requestid": "5f0c1b8e-0000-4000-8000-000000000000",
    }
    return status, headers, orjson.dumps({"message": message})


def bad_signature() -> tuple[int, dict[str, str], bytes]:
    message = "The request signature we calculated does not match the signature you provided."
    headers = {
        "content-type": "application/json",
        "x-amzn-errortype": "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/",
    }
    return 403, headers, orjson.dumps({"message": message})


@dataclass(frozen=True)
class ToolUse:
    id: str
    name: str
    input: Mapping[str, Any]


@dataclass(frozen=True)
class Answer:
    """What the fake model answers, in Converse's own words."""

    text: str = "Hello from Bedrock."
    tool_uses: tuple[ToolUse, ...] = ()
    reasoning: str = ""
    signature: str = ""
    stop_reason: str = "end_turn"
    input_tokens: int = 11
    output_tokens: int = 7
    cache_read: int = 0
    cache_write: int = 0
    pieces: int = 3

    def usage(self) -> dict[str, int]:
        total = self.input_tokens + self.output_tokens + self.cache_read + self.cache_write
        return {
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "totalTokens": total,
            "cacheReadInputTokens": self.cache_read,
            "cacheWriteInputTokens": self.cache_write,
        }


def converse_response(answer: Answer) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if answer.reasoning:
        reasoning: dict[str, Any] = {"text": answer.reasoning}
        if answer.signature:
            reasoning["signature"] = answer.signature
        content.append({"reasoningContent": {"reasoningText": reasoning}})
    if answer.text:
        content.append({"text": answer.text})
    content += [{"toolUse": {"toolUseId": t.id, "name": t.name, "input": dict(t.input)}} for t in answer.tool_uses]
    body = {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": answer.stop_reason,
        "usage": answer.usage(),
        "metrics": {"latencyMs": 321},
    }
    check_response(body)
    return body


def _split(text: str, pieces: int) -> list[str]:
    size = max(1, -(-len(text) // max(pieces, 1)))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _delta(index: int, delta: Mapping[str, Any], **extra: Any) -> bytes:
    return event("contentBlockDelta", {"contentBlockIndex": index, "delta": dict(delta), **extra})


def stream_frames(answer: Answer, *, cut: bool = False) -> list[bytes]:
    """ConverseStream frames for ``answer``; ``cut`` stops after the first content delta.

    Payloads carry Bedrock's random ``p`` padding field on some events, as the real service does.
    """
    frames = [event("messageStart", {"role": "assistant", "p": "abcdefghijklmnopqrstuvwxyzABCDEFGH"})]
    index = 0
    if answer.reasoning:
        frames.extend(_delta(index, {"reasoningContent": {"text": p}}) for p in _split(answer.reasoning, 2))
        if answer.signature:
            frames.append(_delta(index, {"reasoningContent": {"signature": answer.signature}}))
        frames.append(event("contentBlockStop", {"contentBlockIndex": index}))
        index += 1
    if answer.text:
        frames.extend(_delta(index, {"text": p}, p="abcd") for p in _split(answer.text, answer.pieces))
        frames.append(event("contentBlockStop", {"contentBlockIndex": index}))
        index += 1
    for use in answer.tool_uses:
        start = {"toolUse": {"toolUseId": use.id, "name": use.name}}
        frames.append(event("contentBlockStart", {"contentBlockIndex": index, "start": start}))
        arguments = orjson.dumps(dict(use.input)).decode()
        half = len(arguments) // 2
        frames.extend(_delta(index, {"toolUse": {"input": f}}) for f in (arguments[:half], arguments[half:]))
        frames.append(event("contentBlockStop", {"contentBlockIndex": index}))
        index += 1
    if cut:
        return frames[:2]
    frames.append(event("messageStop", {"stopReason": answer.stop_reason}))
    frames.append(event("metadata", {"usage": answer.usage(), "metrics": {"latencyMs": 321}}))
    check_stream(frames)
    return frames


def stream_exception_frames(answer: Answer, exception_type: str, message: str) -> list[bytes]:
    """A stream that starts, sends some text, then fails with an exception message."""
    return [*stream_frames(answer, cut=True), exception(exception_type, message)]


def titan_response(text: str, dimensions: int = 4) -> dict[str, Any]:
    seed = sum(text.encode()) % 97
    return {
        "embedding": [round((seed + i) / 100, 4) for i in range(dimensions)],
        "inputTextTokenCount": len(text.split()),
        "embeddingsByType": {"float": [round((seed + i) / 100, 4) for i in range(dimensions)]},
    }


def cohere_response(texts: Sequence[str], dimensions: int = 4) -> dict[str, Any]:
    return {
        "embeddings": [[round((len(t) + i) / 100, 4) for i in range(dimensions)] for t in texts],
        "id": "emb-0001",
        "response_type": "embeddings_floats",
        "texts": list(texts),
    }


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class BedrockUpstream:
    """An ASGI Bedrock runtime. The model id in the path picks the behaviour: ``fail-<kind>``
    answers with that AWS error, ``stream-fail`` breaks a stream with a throttlingException;
    anything else echoes the last user text."""

    received: list[Received] = field(default_factory=list)
    open_streams: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        raw_path = scope.get("raw_path", scope["path"].encode()).decode()
        url = f"http://{headers['host']}{raw_path}"
        self.received.append(Received(raw_path, headers, orjson.loads(body) if body else {}))
        if signature_problem("POST", url, headers, body) is not None:
            return await self._send(send, *bad_signature())
        _, _, model, operation = raw_path.split("/", 3)
        model = unquote(model)
        if model.startswith("fail-"):
            return await self._send(send, *error_response(model.removeprefix("fail-")))
        request = orjson.loads(body)
        if operation == "count-tokens":
            bedrock_claude.check_invoke_request(orjson.loads(request["input"]["invokeModel"]["body"]))
            return await self._send(send, 200, {"content-type": "application/json"}, b'{"inputTokens":17}')
        if "anthropic_version" in request:  # Claude's Messages body through InvokeModel
            bedrock_claude.check_invoke_request(request)
            if operation == "invoke-with-response-stream":
                return await self._stream(send, bedrock_claude.stream_frames(request))
            message = orjson.dumps(bedrock_claude.invoke_answer(request))
            return await self._send(send, 200, {"content-type": "application/json"}, message)
        if operation == "invoke":
            texts = request["texts"] if "texts" in request else [request["inputText"]]
            payload = cohere_response(texts) if "texts" in request else titan_response(texts[0])
            extra = {"x-amzn-bedrock-input-token-count": str(sum(len(t.split()) for t in texts))}
            return await self._send(send, 200, {"content-type": "application/json", **extra}, orjson.dumps(payload))
        check_request(request, "ConverseStream" if operation == "converse-stream" else "Converse")
        last = request["messages"][-1]["content"]
        answer = Answer(
            text="echo: " + "".join(block.get("text", "") for block in last), input_tokens=5, output_tokens=2
        )
        if operation == "converse":
            return await self._send(
                send, 200, {"content-type": "application/json"}, orjson.dumps(converse_response(answer))
            )
        if model == "stream-fail":
            frames = stream_exception_frames(answer, "throttlingException", "Too many tokens, please wait.")
        else:
            frames = stream_frames(answer)
        return await self._stream(send, frames)

    async def _send(self, send: Send, status: int, headers: Mapping[str, str], body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _stream(self, send: Send, frames: list[bytes]) -> None:
        self.open_streams += 1
        try:
            headers = [(b"content-type", b"application/vnd.amazon.eventstream")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            for frame in frames:
                # split every frame in two, so the client meets messages cut across reads
                middle = len(frame) // 2
                await send({"type": "http.response.body", "body": frame[:middle], "more_body": True})
                await send({"type": "http.response.body", "body": frame[middle:], "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            self.open_streams -= 1
