"""Gemini wire bodies for fake upstreams (the provider kit's harnesses and the gateway test).

Every body is checked against the google-genai types before it is served, so a fake cannot
answer in a shape Google would not.
"""

from __future__ import annotations

from typing import Any

from tests.contract.providers.scenario import Scenario
from tests.support.google_schema import validate_response
from tests.support.upstream import split_text

FINISH = {"stop": "STOP", "length": "MAX_TOKENS", "content_filter": "SAFETY", "tool_calls": "STOP"}


def usage(s: Scenario) -> dict[str, Any]:
    candidates = s.completion_tokens - s.reasoning_tokens
    metadata: dict[str, Any] = {
        "promptTokenCount": s.prompt_tokens,
        "candidatesTokenCount": candidates,
        "totalTokenCount": s.prompt_tokens + s.completion_tokens,
    }
    if s.cached_tokens:
        metadata["cachedContentTokenCount"] = s.cached_tokens
    if s.reasoning_tokens:
        metadata["thoughtsTokenCount"] = s.reasoning_tokens
    return metadata


def response(
    parts: list[dict[str, Any]],
    model: str,
    *,
    finish: str | None = None,
    metadata: dict[str, Any] | None = None,
    response_id: str = "resp-1",
) -> dict[str, Any]:
    """One ``GenerateContentResponse`` with a single candidate."""
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": model, "responseId": response_id}
    if metadata:
        body["usageMetadata"] = metadata
    validate_response(body)
    return body


def call_parts(s: Scenario) -> list[dict[str, Any]]:
    return [
        {"functionCall": {"name": t.name, "args": dict(t.arguments)}, "thoughtSignature": "c2lnbmF0dXJl"}
        for t in s.tool_calls
    ]


def completion(s: Scenario, model: str) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"text": s.text}] if s.text else []
    parts += call_parts(s)
    return response(parts, model, finish=FINISH.get(s.finish, "STOP"), metadata=usage(s))


def stream_events(s: Scenario, model: str) -> list[dict[str, Any]]:
    """The ``alt=sse`` events: text pieces, then calls, then the finish with usage.

    A cut stream stops after the first piece, before any ``finishReason``.
    """
    pieces = split_text(s.text, s.chunks) if s.text else []
    events = [response([{"text": piece}], model) for piece in pieces]
    if s.tool_calls:
        events.append(response(call_parts(s), model))
    if s.cut_stream:
        return events[:1]
    events.append(response([], model, finish=FINISH.get(s.finish, "STOP"), metadata=usage(s)))
    return events


def blocked_prompt(model: str) -> dict[str, Any]:
    """A prompt Google's safety system refused: no candidates, a block reason."""
    body = {
        "promptFeedback": {"blockReason": "SAFETY"},
        "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9},
        "modelVersion": model,
        "responseId": "resp-blocked",
    }
    validate_response(body)
    return body


def google_error(code: int, status: str, message: str, *details: dict[str, Any]) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = list(details)
    return {"error": error}


def retry_info(seconds: float) -> dict[str, Any]:
    return {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{seconds:g}s"}


def error_info(reason: str) -> dict[str, Any]:
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    }


def error_reply(kind: str, retry_after: float | None, *, vertex: bool = False) -> tuple[int, dict[str, Any]]:
    """Status and body Google answers for the kit's error kinds (content_policy is a 200)."""
    if kind == "rate_limited":
        details = [retry_info(retry_after)] if retry_after is not None else []
        return 429, google_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted.", *details)
    if kind == "auth":
        if vertex:
            return 401, google_error(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token.",
                error_info("ACCESS_TOKEN_TYPE_UNSUPPORTED"),
            )
        return 400, google_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            error_info("API_KEY_INVALID"),
        )
    table = {
        "not_found": (404, "NOT_FOUND", "models/gemini-x is not found for API version v1beta."),
        "bad_request": (400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature'."),
        "server_error": (500, "INTERNAL", "An internal error has occurred."),
        "overloaded": (503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
        "context_window": (
            400,
            "INVALID_ARGUMENT",
            "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).",
        ),
    }
    code, status, message = table[kind]
    return code, google_error(code, status, message)
