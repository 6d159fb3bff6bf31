"""Token estimates for prompts and answers, from a token counter."""

from __future__ import annotations

from switchboard.domain.chat import ChatRequest
from switchboard.domain.messages import TextPart
from switchboard.domain.ports.tokens import TokenCounter

# OpenAI's documented framing cost: a few tokens per message and for the reply's priming.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3
TOKENS_PER_IMAGE = 85


def prompt_tokens(request: ChatRequest, counter: TokenCounter, model: str = "") -> int:
    """An estimate of the prompt's size in tokens, as the model will count it."""
    total = TOKENS_PER_REPLY
    for message in request.messages:
        total += TOKENS_PER_MESSAGE
        content = getattr(message, "content", None)
        if isinstance(content, str):
            total += counter.count(content, model)
        elif content:
            for part in content:
                if isinstance(part, TextPart):
                    total += counter.count(part.text, model)
                else:
                    total += TOKENS_PER_IMAGE
        for call in getattr(message, "tool_calls", None) or ():
            total += counter.count(call.function.name + call.function.arguments, model)
    for tool in request.tools or ():
        total += counter.count(tool.function.name + (tool.function.description or ""), model)
        if tool.function.parameters:
            total += len(str(tool.function.parameters)) // 4
    return total
