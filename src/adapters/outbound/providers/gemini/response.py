"""``generateContent`` responses -> canonical values (pure); shared by the stream decoder.

Usage: ``prompt_tokens`` is ``promptTokenCount`` plus ``toolUsePromptTokenCount`` (input Google
bills, such as search results fed to the model); ``completion_tokens`` is
``candidatesTokenCount`` plus ``thoughtsTokenCount``, because OpenAI counts reasoning tokens as
completion tokens (and reports them again under ``completion_tokens_details``). So
``total_tokens`` equals Google's ``totalTokenCount``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.errors import ContentPolicyViolation
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

# Reasons Google stops for its safety and policy systems.
CONTENT_FILTERED = frozenset(
    {
        "SAFETY",
        "RECITATION",
        "BLOCKLIST",
        "PROHIBITED_CONTENT",
        "SPII",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "IMAGE_RECITATION",
        "MODEL_ARMOR",
        "JAILBREAK",
    }
)


def finish_reason(reason: str | None, has_tool_calls: bool) -> FinishReason | None:
    """Gemini's ``finishReason`` in OpenAI's words. Anything not a limit or a filter
    (``OTHER``, ``LANGUAGE``, ``MALFORMED_FUNCTION_CALL``...) is a plain stop."""
    if not reason:
        return None
    if reason in CONTENT_FILTERED:
        return "content_filter"
    if reason == "MAX_TOKENS":
        return "length"
    return "tool_calls" if has_tool_calls else "stop"


def usage_from(metadata: Mapping[str, Any] | None) -> Usage | None:
    if not metadata:
        return None
    thoughts = metadata.get("thoughtsTokenCount")
    prompt = int(metadata.get("promptTokenCount") or 0) + int(metadata.get("toolUsePromptTokenCount") or 0)
    completion = int(metadata.get("candidatesTokenCount") or 0) + int(thoughts or 0)
    cached = metadata.get("cachedContentTokenCount")
    return Usage.of(
        prompt,
        completion,
        cached=int(cached) if cached is not None else None,
        reasoning=int(thoughts) if thoughts is not None else None,
    )


def raise_if_blocked(payload: Mapping[str, Any], provider: str, deployment: str | None) -> None:
    """A prompt Google's safety system refused: ``promptFeedback.blockReason``."""
    feedback = payload.get("promptFeedback")
    reason = feedback.get("blockReason") if isinstance(feedback, Mapping) else None
    if reason:
        detail = feedback.get("blockReasonMessage") if isinstance(feedback, Mapping) else None
        raise ContentPolicyViolation(
            f"{provider}: the prompt was blocked ({reason})" + (f": {detail}" if detail else ""),
            provider=provider,
            deployment=deployment,
        )


def tool_call(part: Mapping[str, Any], call_id: str) -> ToolCall:
    """A ``functionCall`` part as an OpenAI tool call; its thought signature rides along in
    ``extra_content.google.thought_signature`` (Google's name for it in its OpenAI API)."""
    function = part["functionCall"]
    fields: dict[str, Any] = {
        "id": function.get("id") or call_id,
        "function": FunctionCall(name=function["name"], arguments=orjson.dumps(function.get("args") or {}).decode()),
    }
    if signature := part.get("thoughtSignature"):
        fields["extra_content"] = {"google": {"thought_signature": signature}}
    return ToolCall.model_validate(fields)


def logprobs_from(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``logprobsResult`` in OpenAI's ``{"content": [{token, logprob, bytes, top_logprobs}]}``."""
    if not result:
        return None
    tops = result.get("topCandidates") or []
    content = []
    for position, chosen in enumerate(result.get("chosenCandidates") or []):
        alternatives = tops[position].get("candidates", []) if position < len(tops) else []
        content.append(
            {
                **_token(chosen),
                "top_logprobs": [_token(alternative) for alternative in alternatives],
            }
        )
    return {"content": content}


def _token(candidate: Mapping[str, Any]) -> dict[str, Any]:
    token = str(candidate.get("token", ""))
    return {
        "token": token,
        "logprob": float(candidate.get("logProbability", 0.0)),
        "bytes": list(token.encode()),
    }


def chat_response(
    payload: Mapping[str, Any],
    *,
    response_id: str,
    created: int,
    model: str,
    provider: str,
    deployment: str | None = None,
) -> ChatResponse:
    """A whole ``GenerateContentResponse`` as a ``ChatResponse``.

    Raises ``ContentPolicyViolation`` when the prompt was blocked, or when every candidate was
    stopped by a filter before it said anything.
    """
    raise_if_blocked(payload, provider, deployment)
    candidates = payload.get("candidates") or []
    choices: list[Choice] = []
    call_number = 0
    for position, candidate in enumerate(candidates):
        texts: list[str] = []
        thoughts: list[str] = []
        calls: list[ToolCall] = []
        for part in (candidate.get("content") or {}).get("parts") or ():
            if "functionCall" in part:
                calls.append(tool_call(part, f"call_{response_id}_{call_number}"))
                call_number += 1
            elif "text" in part:
                (thoughts if part.get("thought") else texts).append(part["text"])
        reason = candidate.get("finishReason")
        message = ResponseMessage(
            content="".join(texts) if texts or not calls else None,
            reasoning_content="".join(thoughts) if thoughts else None,
            tool_calls=calls or None,
        )
        choices.append(
            Choice(
                index=int(candidate.get("index", position)),
                message=message,
                finish_reason=finish_reason(reason, bool(calls)) or "stop",
                logprobs=logprobs_from(candidate.get("logprobsResult")),
            )
        )
    if not choices:
        raise protocol_error(provider, "a response without candidates or a block reason", deployment)
    if all(c.finish_reason == "content_filter" and not c.message.content and not c.message.tool_calls for c in choices):
        reasons = ", ".join(str(c.get("finishReason")) for c in candidates)
        raise ContentPolicyViolation(
            f"{provider}: the answer was withheld by the provider's content filter ({reasons})",
            provider=provider,
            deployment=deployment,
        )
    return ChatResponse(
        id=f"chatcmpl-{response_id}",
        created=created,
        model=str(payload.get("modelVersion") or model),
        choices=choices,
        usage=usage_from(payload.get("usageMetadata")),
    )
