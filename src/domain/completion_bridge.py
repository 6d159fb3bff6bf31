"""Legacy completions through a chat endpoint, for providers without a native one (pure).

A text prompt becomes one user message; each chat choice becomes a completion choice. Several
prompts become several chat calls whose choices are numbered ``prompt_index * n + choice_index``,
as OpenAI numbers them. ``echo`` is done here (the prompt is put before the answer), and chat
``logprobs`` are turned into the completion shape (``tokens``, ``token_logprobs``,
``top_logprobs``, ``text_offset``; offsets count from the start of the prompt, as OpenAI's do).

What chat cannot carry: ``suffix``, ``best_of`` other than ``n``, prompt-token ``logprobs``
(``echo`` with ``logprobs``) and token-array prompts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse, FinishReason
from switchboard.domain.completions import (
    CompletionChoice,
    CompletionChunk,
    CompletionFinishReason,
    CompletionLogprobs,
    CompletionRequest,
    CompletionResponse,
)
from switchboard.domain.errors import BadRequest
from switchboard.domain.usage import Usage
from switchboard.domain.validation import parse_mapping

# Completion parameters that keep their name and meaning in chat.
_SAME_IN_CHAT = (
    "frequency_penalty",
    "presence_penalty",
    "logit_bias",
    "max_tokens",
    "n",
    "seed",
    "stop",
    "temperature",
    "top_p",
    "user",
    "stream",
    "stream_options",
)

_FINISH: dict[str, CompletionFinishReason] = {"length": "length", "content_filter": "content_filter"}


def unbridgeable_params(request: CompletionRequest) -> list[str]:
    """The caller's parameters a chat endpoint cannot honour, sorted."""
    names = []
    if request.suffix is not None:
        names.append("suffix")
    if request.best_of is not None and request.best_of != (request.n or 1):
        names.append("best_of")
    if request.echo and request.logprobs is not None:
        names.append("echo")
    return sorted(names)


def text_prompts(request: CompletionRequest) -> list[str]:
    """The prompts as texts; token arrays cannot be sent as chat messages."""
    prompts = request.prompts
    texts = [p for p in prompts if isinstance(p, str)]
    if len(texts) != len(prompts):
        raise BadRequest(
            "Token-array prompts need a model with a native completions endpoint; send the prompt as text.",
            param="prompt",
            code="unsupported_parameter",
        )
    return texts


def chat_request_for(request: CompletionRequest, prompt: str) -> ChatRequest:
    """The chat request asking what ``request`` asks for ``prompt``. Parameters the gateway
    reads itself (``mock_response``, ``drop_params``...) travel along as extra fields."""
    body: dict[str, Any] = {"model": request.model, "messages": [{"role": "user", "content": prompt}]}
    for name in _SAME_IN_CHAT:
        value = getattr(request, name)
        if value is not None:
            body[name] = value.model_dump(exclude_none=True) if name == "stream_options" else value
    if request.logprobs is not None:
        body["logprobs"] = True
        if request.logprobs > 0:
            body["top_logprobs"] = request.logprobs
    if request.model_extra:
        body.update({k: v for k, v in request.model_extra.items() if k not in body})
    return parse_mapping(ChatRequest, body)


def completion_id(chat_id: str) -> str:
    """``chatcmpl-abc`` -> ``cmpl-abc``: the id prefix OpenAI uses for completions."""
    return "cmpl-" + chat_id.removeprefix("chatcmpl-") if chat_id.startswith("chatcmpl-") else chat_id


def finish_reason(reason: FinishReason | None) -> CompletionFinishReason | None:
    """Chat's reasons in completion words; tool and function calls cannot happen without tools."""
    if reason is None:
        return None
    return _FINISH.get(reason, "stop")


def logprobs_from_chat(logprobs: Mapping[str, Any] | None, offset: int) -> tuple[CompletionLogprobs | None, int]:
    """Chat ``logprobs.content`` in the completion shape, and the offset after its last token."""
    entries = (logprobs or {}).get("content")
    if not entries:
        return None, offset
    tokens: list[str] = []
    token_logprobs: list[float | None] = []
    top: list[dict[str, float] | None] = []
    offsets: list[int] = []
    for entry in entries:
        token = str(entry.get("token", ""))
        tokens.append(token)
        token_logprobs.append(entry.get("logprob"))
        alternatives = entry.get("top_logprobs")
        top.append({str(a.get("token", "")): a.get("logprob") for a in alternatives} if alternatives else None)
        offsets.append(offset)
        offset += len(token)
    converted = CompletionLogprobs(tokens=tokens, token_logprobs=token_logprobs, top_logprobs=top, text_offset=offsets)
    return converted, offset


def completion_from_chat(
    request: CompletionRequest, prompts: Sequence[str], responses: Sequence[ChatResponse]
) -> CompletionResponse:
    """One completion from the chat answers to each prompt, in prompt order."""
    n = request.n or 1
    choices: list[CompletionChoice] = []
    usage: Usage | None = None
    for prompt_index, (prompt, response) in enumerate(zip(prompts, responses, strict=True)):
        for choice in response.choices:
            text = choice.message.content or ""
            logprobs, _ = logprobs_from_chat(choice.logprobs, len(prompt))
            choices.append(
                CompletionChoice(
                    index=prompt_index * n + choice.index,
                    text=prompt + text if request.echo else text,
                    logprobs=logprobs,
                    finish_reason=finish_reason(choice.finish_reason) or "stop",
                )
            )
        usage = _add(usage, response.usage)
    first = responses[0]
    return CompletionResponse(
        id=completion_id(first.id),
        created=first.created,
        model=first.model,
        choices=choices,
        usage=usage,
        system_fingerprint=first.system_fingerprint,
    )


def _add(total: Usage | None, more: Usage | None) -> Usage | None:
    if more is None:
        return total
    if total is None:
        return more
    return Usage.of(total.prompt_tokens + more.prompt_tokens, total.completion_tokens + more.completion_tokens)


@dataclass
class CompletionChunks:
    """Chat chunks of one prompt's stream, as completion chunks.

    ``feed`` returns ``None`` for chunks that carry nothing a completion shows (the role-only
    first chunk). With ``echo``, each choice's first piece starts with the prompt.
    """

    prompt: str
    echo: bool = False
    _offsets: dict[int, int] = field(default_factory=dict)

    def feed(self, chunk: ChatChunk) -> CompletionChunk | None:
        choices: list[CompletionChoice] = []
        for choice in chunk.choices:
            text = choice.delta.content or ""
            started = choice.index in self._offsets
            offset = self._offsets.get(choice.index, len(self.prompt))
            logprobs, self._offsets[choice.index] = logprobs_from_chat(choice.logprobs, offset)
            if self.echo and not started:
                text = self.prompt + text
            if text or logprobs is not None or choice.finish_reason is not None:
                choices.append(
                    CompletionChoice(
                        index=choice.index,
                        text=text,
                        logprobs=logprobs,
                        finish_reason=finish_reason(choice.finish_reason),
                    )
                )
        if not choices and chunk.usage is None:
            return None
        return CompletionChunk(
            id=completion_id(chunk.id),
            created=chunk.created,
            model=chunk.model,
            choices=choices,
            usage=chunk.usage,
            system_fingerprint=chunk.system_fingerprint,
        )
