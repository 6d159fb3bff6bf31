"""An Anthropic Messages request -> the gateway's chat request, for a deployment whose provider
does not speak Messages (pure).

Field by field:

- ``system`` (a string or text blocks) -> the first message, a system message; text blocks keep
  their ``cache_control`` for Claude on Bedrock (``carries_claude_parts``).
- user turns: text -> text parts, ``image`` (base64 or URL) -> ``image_url`` parts (base64 as a
  ``data:`` URL), ``document`` (PDF) -> a ``file`` part, a plain-text document -> its text;
  ``tool_result`` blocks -> ``tool`` messages, put before the rest of the turn (an image inside a
  tool result follows in a user message, as chat tool messages carry only text).
- assistant turns: text -> content, ``tool_use`` -> ``tool_calls`` (input as JSON arguments),
  for Claude on Bedrock ``thinking`` -> ``reasoning_content``, and ``thinking`` and
  ``redacted_thinking`` blocks ride along as ``thinking_blocks``, signatures intact (other models
  are not sent their earlier reasoning).
- ``max_tokens``, ``stop_sequences`` -> ``stop``, ``temperature``, ``top_p``, ``top_k``,
  ``metadata.user_id`` -> ``user``, ``stream`` (with the usage chunk always asked for).
- ``tools`` -> function tools (``input_schema`` -> ``parameters``); ``tool_choice`` auto / any /
  tool / none -> auto / required / the named function / none, and
  ``disable_parallel_tool_use`` -> ``parallel_tool_calls: false``.
- ``thinking`` enabled -> ``reasoning_effort`` by its budget (``EFFORT_BY_BUDGET``); adaptive ->
  ``medium``; disabled -> nothing.

What chat cannot carry raises ``UnsupportedParameter`` naming the field: server tools
(``web_search_...``), block types chat has no part for. Other top-level fields of the Messages
API (``service_tier``, ``container``, ``context_management``, ``output_config``...) have no chat
counterpart and are not sent.
"""

from __future__ import annotations

import json
from typing import Any

from switchboard.domain.anthropic_messages.wire import (
    DocumentBlock,
    ImageBlock,
    MessageParam,
    MessagesRequest,
    RedactedThinkingBlock,
    TextBlock,
    ThinkingBlock,
    ThinkingConfig,
    ToolChoice,
    ToolDefinition,
    ToolResultBlock,
    ToolUseBlock,
)
from switchboard.domain.chat import ChatRequest, StreamOptions
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.messages import (
    AssistantMessage,
    FilePart,
    FileRef,
    FunctionCall,
    FunctionDefinition,
    ImagePart,
    ImageUrl,
    Message,
    NamedFunction,
    NamedToolChoice,
    SystemMessage,
    TextPart,
    Tool,
    ToolCall,
    ToolMessage,
    UserContentPart,
    UserMessage,
)
from switchboard.domain.messages import (
    ToolChoice as ChatToolChoice,
)

# thinking.budget_tokens up to the key -> reasoning_effort (the first that fits).
EFFORT_BY_BUDGET: tuple[tuple[int, str], ...] = ((2048, "low"), (8192, "medium"))
LARGE_BUDGET_EFFORT = "high"
ADAPTIVE_EFFORT = "medium"

_SAMPLING = ("temperature", "top_p")


def _unsupported(message: str, param: str) -> UnsupportedParameter:
    return UnsupportedParameter(message, param=param, code="unsupported_parameter")


def _cache_extra(block: Any) -> dict[str, Any]:
    extra = block.model_extra or {}
    return {"cache_control": extra["cache_control"]} if extra.get("cache_control") is not None else {}


def _text_part(block: TextBlock, claude: bool) -> TextPart:
    return TextPart(text=block.text, **_cache_extra(block)) if claude else TextPart(text=block.text)


def _source_url(source: dict[str, Any], param: str) -> str:
    kind = source.get("type")
    if kind == "base64":
        return f"data:{source.get('media_type', 'application/octet-stream')};base64,{source.get('data', '')}"
    if kind == "url" and isinstance(source.get("url"), str):
        return str(source["url"])
    raise _unsupported(f"A source of type {kind!r} cannot be sent to this deployment.", f"{param}.source")


def _image_part(block: ImageBlock, param: str) -> ImagePart:
    return ImagePart(image_url=ImageUrl(url=_source_url(block.source, param)))


def _document_part(block: DocumentBlock, param: str) -> UserContentPart:
    source = block.source
    if source.get("type") == "text" and isinstance(source.get("data"), str):
        return TextPart(text=str(source["data"]))
    if source.get("type") == "base64":
        name = block.title or "document.pdf"
        return FilePart(file=FileRef(file_data=_source_url(source, param), filename=name))
    if source.get("type") == "file" and isinstance(source.get("file_id"), str):
        return FilePart(file=FileRef(file_id=str(source["file_id"])))
    raise _unsupported(f"A document source of type {source.get('type')!r} cannot be sent here.", f"{param}.source")


def _result_text(block: ToolResultBlock, param: str) -> tuple[str, list[UserContentPart]]:
    """A tool result's text, and the images it carries (sent after it, in a user message)."""
    content = block.content
    if content is None or isinstance(content, str):
        return content or "", []
    texts: list[str] = []
    images: list[UserContentPart] = []
    for j, part in enumerate(content):
        where = f"{param}.content[{j}]"
        if isinstance(part, TextBlock):
            texts.append(part.text)
        elif isinstance(part, ImageBlock):
            images.append(_image_part(part, where))
        elif isinstance(part, DocumentBlock):
            images.append(_document_part(part, where))
        else:
            raise _unsupported(f"A {part.type!r} block inside a tool result cannot be sent here.", f"{where}.type")
    return "\n".join(texts), images


def _user_turn(turn: MessageParam, param: str, claude: bool) -> list[Message]:
    if isinstance(turn.content, str):
        return [UserMessage(content=turn.content)]
    results: list[Message] = []
    parts: list[UserContentPart] = []
    for j, block in enumerate(turn.content):
        where = f"{param}.content[{j}]"
        match block:
            case TextBlock():
                parts.append(_text_part(block, claude))
            case ImageBlock():
                parts.append(_image_part(block, where))
            case DocumentBlock():
                parts.append(_document_part(block, where))
            case ToolResultBlock():
                text, attached = _result_text(block, where)
                if block.is_error:
                    text = f"Error: {text}" if text else "Error"
                results.append(ToolMessage(tool_call_id=block.tool_use_id, content=text))
                parts.extend(attached)
            case _:
                raise _unsupported(f"A {block.type!r} block in a user turn cannot be sent here.", f"{where}.type")
    if parts:
        results.append(UserMessage(content=parts))
    return results


def _arguments(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _assistant_turn(turn: MessageParam, param: str, claude: bool) -> AssistantMessage:
    if isinstance(turn.content, str):
        return AssistantMessage(content=turn.content)
    texts: list[str] = []
    calls: list[ToolCall] = []
    reasoning: list[str] = []
    thinking_blocks: list[dict[str, Any]] = []
    for j, block in enumerate(turn.content):
        match block:
            case TextBlock():
                texts.append(block.text)
            case ToolUseBlock():
                calls.append(
                    ToolCall(id=block.id, function=FunctionCall(name=block.name, arguments=_arguments(block.input)))
                )
            case ThinkingBlock() | RedactedThinkingBlock() if not claude:
                continue  # other models take no reasoning back (OpenAI refuses the field)
            case ThinkingBlock():
                reasoning.append(block.thinking)
                thinking_blocks.append({"type": "thinking", "thinking": block.thinking, "signature": block.signature})
            case RedactedThinkingBlock():
                thinking_blocks.append({"type": "redacted_thinking", "data": block.data})
            case _:
                kind = block.type
                raise _unsupported(
                    f"A {kind!r} block in an assistant turn cannot be sent here.", f"{param}.content[{j}].type"
                )
    extra = {"thinking_blocks": thinking_blocks} if thinking_blocks else {}
    return AssistantMessage(
        content="".join(texts) if texts or not calls else None,
        tool_calls=calls or None,
        reasoning_content="".join(reasoning) if reasoning else None,
        **extra,
    )


def _system(system: str | list[TextBlock] | None, claude: bool) -> list[Message]:
    if system is None or system == [] or system == "":
        return []
    if isinstance(system, str):
        return [SystemMessage(content=system)]
    return [SystemMessage(content=[_text_part(block, claude) for block in system])]


def _tools(tools: list[ToolDefinition]) -> list[Tool]:
    converted = []
    for i, tool in enumerate(tools):
        if not tool.is_client_tool:
            raise _unsupported(
                f"The server tool {tool.type!r} runs only on Anthropic's API; this deployment cannot run it.",
                f"tools[{i}].type",
            )
        schema = tool.input_schema or {"type": "object", "properties": {}}
        converted.append(
            Tool(function=FunctionDefinition(name=tool.name, description=tool.description, parameters=schema))
        )
    return converted


def _tool_choice(choice: ToolChoice) -> ChatToolChoice:
    match choice.type:
        case "auto":
            return "auto"
        case "any":
            return "required"
        case "none":
            return "none"
        case "tool":
            if not choice.name:
                raise _unsupported("tool_choice of type 'tool' needs a name.", "tool_choice.name")
            return NamedToolChoice(function=NamedFunction(name=choice.name))


def reasoning_effort(thinking: ThinkingConfig | None) -> str | None:
    """The chat ``reasoning_effort`` for Anthropic's ``thinking`` (``None``: no reasoning asked)."""
    if thinking is None or thinking.type == "disabled":
        return None
    if thinking.type == "adaptive":
        return ADAPTIVE_EFFORT
    budget = thinking.budget_tokens or 0
    for limit, effort in EFFORT_BY_BUDGET:
        if budget <= limit:
            return effort
    return LARGE_BUDGET_EFFORT


def carries_claude_parts(provider: str, model: str) -> bool:
    """Whether a chat deployment serves Claude through an adapter that reads Anthropic's own parts
    on chat messages (``cache_control``, ``thinking_blocks``): Bedrock's Claude models."""
    return provider == "bedrock" and "claude" in model.lower()


def chat_messages(request: MessagesRequest, *, claude: bool = False) -> list[Message]:
    """The system prompt and the turns, as chat messages (``claude``: see ``chat_request``)."""
    messages = _system(request.system, claude)
    for i, turn in enumerate(request.messages):
        param = f"messages[{i}]"
        if turn.role == "user":
            messages.extend(_user_turn(turn, param, claude))
        else:
            messages.append(_assistant_turn(turn, param, claude))
    return messages


def chat_request(request: MessagesRequest, *, claude: bool = False, reasons: bool = True) -> ChatRequest:
    """The chat request a non-Messages deployment is sent for ``request``. ``claude``: the
    deployment reads Anthropic's parts on chat messages (``carries_claude_parts``), so
    ``cache_control`` and the thinking blocks (signatures intact) go along; for any other model
    they are left out, as OpenAI and most others refuse unknown fields and take no reasoning back.
    ``reasons``: the model takes ``reasoning_effort``; when it does not (gpt-4o answers 400 to
    it), ``thinking`` is left out, as Claude Code asks for thinking on every request."""
    fields: dict[str, Any] = {
        "model": request.model,
        "messages": chat_messages(request, claude=claude),
        "max_tokens": request.max_tokens,
    }
    for name in _SAMPLING:
        value = getattr(request, name)
        if value is not None:
            fields[name] = value
    if request.top_k is not None:
        fields["top_k"] = request.top_k
    if request.stop_sequences:
        fields["stop"] = list(request.stop_sequences)
    user = (request.metadata or {}).get("user_id")
    if isinstance(user, str) and user:
        fields["user"] = user
    if request.stream:
        fields["stream"] = True
        fields["stream_options"] = StreamOptions(include_usage=True)
    if request.tools:
        fields["tools"] = _tools(request.tools)
    if request.tool_choice is not None:
        if request.tool_choice.type != "none" or request.tools:
            fields["tool_choice"] = _tool_choice(request.tool_choice)
        if request.tool_choice.disable_parallel_tool_use and request.tools:
            fields["parallel_tool_calls"] = False
    effort = reasoning_effort(request.thinking) if reasons else None
    if effort is not None:
        fields["reasoning_effort"] = effort
    return ChatRequest(**fields)
