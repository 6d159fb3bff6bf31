"""Responses ⇄ chat, for deployments whose provider has no native Responses endpoint (pure).

Request: ``instructions`` become the first (system) message; input items become messages
(``message`` items by role, consecutive ``function_call`` items one assistant message with its
tool calls, ``function_call_output`` items tool messages, a ``reasoning`` item the next
assistant message's ``reasoning_content``); function tools and ``tool_choice`` map one to one;
``text.format`` becomes ``response_format``; ``max_output_tokens`` becomes ``max_tokens``;
``reasoning.effort`` becomes ``reasoning_effort``. An item or tool chat cannot carry (a built-in
tool, an ``item_reference``) is refused with ``UnsupportedParameter`` naming it, never dropped.
Parameters only OpenAI's own service acts on (``include``, ``truncation``, ``prompt_cache_key``,
``service_tier``...) are not sent.

Answer: the chat message becomes output items, in the order a Responses model emits them:
reasoning, then the message (text or refusal), then one ``function_call`` per tool call.
"""

from __future__ import annotations

from typing import Any

from switchboard.domain.chat import (
    ChatRequest,
    ChatResponse,
    FinishReason,
    JsonObjectFormat,
    JsonSchemaFormat,
    JsonSchemaResponseFormat,
    ResponseFormat,
    StreamOptions,
)
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.messages import (
    AssistantMessage,
    DeveloperMessage,
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
    ToolChoice,
    ToolMessage,
    UserMessage,
)
from switchboard.domain.responses.wire import Item, ResponseObject, ResponsesRequest, usage_from_chat

# Gateway parameters chat reads itself from the request (``domain.params.GATEWAY_PARAMS``).
_CARRIED_EXTRAS = frozenset(
    {"tags", "cache", "caching", "fallbacks", "num_retries", "timeout", "request_timeout", "stream_timeout"}
    | {"drop_params", "mock_response", "mock_latency_ms", "guardrails"}
)


def _unsupported(what: str, param: str) -> UnsupportedParameter:
    return UnsupportedParameter(
        f"{what} needs a deployment with a native Responses endpoint (OpenAI or Azure); "
        "this model's provider is reached through chat completions, which cannot carry it.",
        param=param,
        code="unsupported_parameter",
    )


# --- request -------------------------------------------------------------------------------


def chat_request_for(
    request: ResponsesRequest, history: list[Item] | None = None, *, stream: bool = False, drop_hosted: bool = False
) -> ChatRequest:
    """The chat request that asks what ``request`` asks. ``history``: the items of the previous
    responses (``previous_response_id``), already resolved, that come before the input;
    ``stream``: asked as a stream (with the usage chunk); ``drop_hosted``: the call drops what the
    deployment cannot take (``drop_params``), so hosted tools (``web_search``...) are left out
    instead of refused."""
    messages = _messages(request.instructions, [*(history or ()), *request.input_items()])
    if not messages:
        raise BadRequest("The request has no input: send 'input' (a string or a list of items).", param="input")
    fields: dict[str, Any] = {
        "model": request.model,
        "messages": messages,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_tokens": request.max_output_tokens,
        "parallel_tool_calls": request.parallel_tool_calls,
        "user": request.user,
    }
    if request.tools:
        fields["tools"] = chat_tools(request.tools, drop_hosted=drop_hosted)
    if request.tool_choice is not None:
        fields["tool_choice"] = _tool_choice(request.tool_choice)
    if (response_format := _response_format(request.text)) is not None:
        fields["response_format"] = response_format
    effort = (request.reasoning or {}).get("effort")
    if isinstance(effort, str):
        fields["reasoning_effort"] = effort
    if stream:
        fields["stream"] = True
        fields["stream_options"] = StreamOptions(include_usage=True)
    extra = request.__pydantic_extra__ or {}
    fields.update({name: value for name, value in extra.items() if name in _CARRIED_EXTRAS})
    if request.metadata is not None and "tags" in request.metadata:
        fields["metadata"] = {"tags": request.metadata["tags"]}
    return ChatRequest.model_validate({k: v for k, v in fields.items() if v is not None})


def _messages(instructions: str | None, items: list[Item]) -> list[Message]:
    out: list[Message] = []
    if instructions:
        out.append(SystemMessage(content=instructions))
    reasoning: str | None = None
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRequest(f"input[{index}] is not an object.", param=f"input[{index}]")
        kind = item.get("type", "message" if "role" in item else None)
        match kind:
            case "message":
                message = _message(item, index)
                if isinstance(message, AssistantMessage) and reasoning is not None:
                    message.reasoning_content, reasoning = reasoning, None
                out.append(message)
            case "function_call":
                call = ToolCall(
                    id=_text(item, "call_id", index),
                    function=FunctionCall(name=_text(item, "name", index), arguments=str(item.get("arguments") or "")),
                )
                last = out[-1] if out else None
                if isinstance(last, AssistantMessage) and (last.tool_calls is not None or last.content is not None):
                    last.tool_calls = [*(last.tool_calls or ()), call]
                else:
                    out.append(AssistantMessage(tool_calls=[call], reasoning_content=reasoning))
                    reasoning = None
            case "function_call_output":
                out.append(ToolMessage(tool_call_id=_text(item, "call_id", index), content=_output_text(item, index)))
            case "reasoning":
                reasoning = _reasoning_text(item) or reasoning
            case "item_reference":
                raise _unsupported("An 'item_reference' input item", f"input[{index}]")
            case _:
                raise _unsupported(f"An input item of type {kind!r}", f"input[{index}]")
    return out


def _text(item: Item, name: str, index: int) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"input[{index}].{name} must be a non-empty string.", param=f"input[{index}].{name}")
    return value


def _message(item: Item, index: int) -> Message:
    role, content = item.get("role"), item.get("content")
    where = f"input[{index}].content"
    if isinstance(content, str):
        text: str | list[Any] = content
    elif isinstance(content, list):
        text = [_part(part, f"{where}[{i}]") for i, part in enumerate(content)]
    else:
        raise BadRequest(f"{where} must be a string or a list of content parts.", param=where)
    match role:
        case "user":
            return UserMessage(content=text)
        case "system":
            return SystemMessage(content=_plain(text, where))
        case "developer":
            return DeveloperMessage(content=_plain(text, where))
        case "assistant":
            return AssistantMessage(content=_plain(text, where) or None)
        case _:
            raise BadRequest(
                f"input[{index}].role must be user, system, developer or assistant.", param=f"input[{index}].role"
            )


def _plain(content: str | list[Any], where: str) -> str:
    """Text content (system, developer and assistant messages carry only text in chat)."""
    if isinstance(content, str):
        return content
    texts: list[str] = []
    for part in content:
        if not isinstance(part, TextPart):
            raise BadRequest(f"{where} may hold only text for this role.", param=where)
        texts.append(part.text)
    return "".join(texts)


def _part(part: Any, where: str) -> TextPart | ImagePart | FilePart:
    if not isinstance(part, dict):
        raise BadRequest(f"{where} is not an object.", param=where)
    match part.get("type"):
        case "input_text" | "output_text" | "text":
            return TextPart(text=str(part.get("text") or ""))
        case "refusal":
            return TextPart(text=str(part.get("refusal") or ""))
        case "input_image":
            url = part.get("image_url")
            if not isinstance(url, str):
                raise _unsupported("An input image given by file_id", where)
            detail = part.get("detail")
            return ImagePart(image_url=ImageUrl(url=url, detail=detail if detail in ("auto", "low", "high") else None))
        case "input_file":
            return FilePart(
                file=FileRef(
                    file_data=part.get("file_data"), file_id=part.get("file_id"), filename=part.get("filename")
                )
            )
        case other:
            raise _unsupported(f"A content part of type {other!r}", where)


def _output_text(item: Item, index: int) -> str:
    output = item.get("output")
    if isinstance(output, str):
        return output
    if isinstance(output, list):
        return "".join(
            str(p.get("text") or "") for p in output if isinstance(p, dict) and p.get("type") == "input_text"
        )
    raise BadRequest(f"input[{index}].output must be a string or a list of parts.", param=f"input[{index}].output")


def _reasoning_text(item: Item) -> str | None:
    parts = [*(item.get("content") or ()), *(item.get("summary") or ())]
    text = "".join(str(p.get("text") or "") for p in parts if isinstance(p, dict))
    return text or None


def chat_tools(tools: list[Item], *, drop_hosted: bool = False) -> list[Tool]:
    """Function tools as chat functions; a ``namespace`` tool's functions flattened beside them
    (their calls come back with the namespace: ``tool_namespaces``); a hosted tool (``web_search``,
    ``file_search``...) that chat cannot run: refused, or left out with ``drop_hosted``."""
    out: list[Tool] = []
    for index, tool in enumerate(tools):
        kind = tool.get("type")
        if kind == "namespace" and isinstance(tool.get("tools"), list):
            out += [_tool(inner, f"tools[{index}].tools[{i}]") for i, inner in enumerate(tool["tools"])]
        elif kind == "function" or not drop_hosted:
            out.append(_tool(tool, f"tools[{index}]"))
    return out


def tool_namespaces(tools: list[Item] | None) -> dict[str, str]:
    """The namespace of each function offered inside a ``namespace`` tool, by function name."""
    found: dict[str, str] = {}
    for tool in tools or ():
        if tool.get("type") == "namespace" and isinstance(tool.get("name"), str):
            for inner in tool.get("tools") or ():
                if isinstance(inner, dict) and isinstance(inner.get("name"), str):
                    found[inner["name"]] = tool["name"]
    return found


def _tool(tool: Item, where: str) -> Tool:
    if tool.get("type") != "function":
        raise _unsupported(f"A {tool.get('type')!r} tool (set drop_params: true to leave it out)", where)
    name = tool.get("name")
    if not isinstance(name, str) or not name:
        raise BadRequest(f"{where}.name must be a non-empty string.", param=f"{where}.name")
    return Tool(
        function=FunctionDefinition(
            name=name, description=tool.get("description"), parameters=tool.get("parameters"), strict=tool.get("strict")
        )
    )


def _tool_choice(choice: str | Item) -> ToolChoice:
    if choice in ("none", "auto", "required"):
        return choice  # type: ignore[return-value] # narrowed by the membership test
    if isinstance(choice, dict) and choice.get("type") == "function" and isinstance(choice.get("name"), str):
        return NamedToolChoice(function=NamedFunction(name=choice["name"]))
    raise _unsupported(f"tool_choice {choice!r}", "tool_choice")


def _response_format(text: Item | None) -> ResponseFormat | None:
    fmt = (text or {}).get("format")
    if not isinstance(fmt, dict) or fmt.get("type") in (None, "text"):
        return None
    if fmt.get("type") == "json_object":
        return JsonObjectFormat()
    if fmt.get("type") == "json_schema":
        return JsonSchemaResponseFormat(
            json_schema=JsonSchemaFormat(
                name=fmt.get("name") or "response",
                description=fmt.get("description"),
                schema=fmt.get("schema"),
                strict=fmt.get("strict"),
            )
        )
    raise _unsupported(f"text.format {fmt.get('type')!r}", "text.format")


# --- answer --------------------------------------------------------------------------------


def response_shell(request: ResponsesRequest, response_id: str, created_at: float, model: str) -> dict[str, Any]:
    """The fields of a response that echo the request (every one the SDK requires), with an
    empty output, ``in_progress``."""
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": "in_progress",
        "model": model,
        "output": [],
        "instructions": request.instructions,
        "tools": request.tools or [],
        "tool_choice": request.tool_choice if request.tool_choice is not None else "auto",
        "parallel_tool_calls": request.parallel_tool_calls is not False,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_output_tokens": request.max_output_tokens,
        "previous_response_id": request.previous_response_id,
        "store": request.stores,
        "metadata": {k: v for k, v in (request.metadata or {}).items() if isinstance(v, str)},
        "text": request.text or {"format": {"type": "text"}},
        "reasoning": request.reasoning,
        "error": None,
        "incomplete_details": None,
        "usage": None,
    }


def item_ids(response_id: str) -> tuple[str, str, str]:
    """The ids of a made response's reasoning item, message, and function calls' prefix."""
    suffix = response_id.removeprefix("resp_")
    return f"rs_{suffix}", f"msg_{suffix}", f"fc_{suffix}_"


def finished(shell: dict[str, Any], finish_reason: FinishReason | None) -> dict[str, Any]:
    """``shell`` with the status a finish reason gives (``length``: incomplete)."""
    if finish_reason == "length":
        return {**shell, "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}
    if finish_reason == "content_filter":
        return {**shell, "status": "incomplete", "incomplete_details": {"reason": "content_filter"}}
    return {**shell, "status": "completed"}


def response_from_chat(
    request: ResponsesRequest, chat: ChatResponse, response_id: str, created_at: float
) -> ResponseObject:
    """The response a chat answer makes."""
    reasoning_id, message_id, call_prefix = item_ids(response_id)
    output: list[Item] = []
    choice = chat.choices[0] if chat.choices else None
    message = choice.message if choice else None
    if message is not None and message.reasoning_content:
        output.append(reasoning_item(reasoning_id, message.reasoning_content))
    if message is not None and (message.content or message.refusal):
        part = refusal_part(message.refusal) if message.refusal else text_part(message.content or "")
        output.append(message_item(message_id, [part], "completed"))
    namespaces = tool_namespaces(request.tools)
    for index, call in enumerate((message.tool_calls if message else None) or ()):
        name = call.function.name
        item = function_call_item(f"{call_prefix}{index}", call.id, name, call.function.arguments)
        output.append({**item, "namespace": namespaces[name]} if name in namespaces else item)
    shell = finished(
        response_shell(request, response_id, created_at, chat.model), choice.finish_reason if choice else None
    )
    shell["output"] = output
    if chat.usage is not None:
        shell["usage"] = usage_from_chat(chat.usage)
    return ResponseObject.model_validate(shell)


def text_part(text: str) -> Item:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}


def refusal_part(refusal: str) -> Item:
    return {"type": "refusal", "refusal": refusal}


def message_item(item_id: str, content: list[Item], status: str) -> Item:
    return {"type": "message", "id": item_id, "role": "assistant", "status": status, "content": content}


def reasoning_item(item_id: str, text: str | None, status: str = "completed") -> Item:
    content = [{"type": "reasoning_text", "text": text}] if text is not None else []
    return {"type": "reasoning", "id": item_id, "summary": [], "content": content, "status": status}


def function_call_item(
    item_id: str, call_id: str, name: str, arguments: str, status: str = "completed", namespace: str | None = None
) -> Item:
    item: Item = {
        "type": "function_call",
        "id": item_id,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
        "status": status,
    }
    if namespace is not None:  # a function offered inside a ``namespace`` tool
        item["namespace"] = namespace
    return item
