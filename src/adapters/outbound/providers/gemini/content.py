"""OpenAI messages -> Gemini ``contents`` and ``systemInstruction`` (pure).

Gemini has two roles, ``user`` and ``model``. System and developer messages, wherever they
stand, become the one ``systemInstruction``. Tool results are ``functionResponse`` parts in a
``user`` turn, matched to their call by the function's name (looked up from the assistant's
``tool_calls`` by ``tool_call_id``). Consecutive turns of the same role are merged, so
parallel tool results land in one turn, as Gemini expects.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from typing import Any, assert_never

import orjson

from switchboard.adapters.outbound.providers.message_parts import split_data_url
from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import (
    AssistantMessage,
    AudioPart,
    DeveloperMessage,
    FilePart,
    FunctionMessage,
    ImagePart,
    Message,
    RefusalPart,
    SystemMessage,
    TextPart,
    ToolCall,
    ToolMessage,
    UserMessage,
    text_of,
)

Part = dict[str, Any]

# Google's documented value for a function call whose signature was lost or never existed
# (history from another model, or a client that dropped it); Gemini 3 rejects a function call
# turn without any signature. https://ai.google.dev/gemini-api/docs/thought-signatures
SKIP_SIGNATURE = "skip_thought_signature_validator"

_AUDIO_TYPES = {"wav": "audio/wav", "mp3": "audio/mp3"}


def to_contents(messages: Sequence[Message]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The ``contents`` list and the ``systemInstruction`` (or ``None``) for ``messages``."""
    system: list[Part] = []
    contents: list[dict[str, Any]] = []
    names: dict[str, str] = {}  # tool_call_id -> function name
    for index, message in enumerate(messages):
        match message:
            case SystemMessage() | DeveloperMessage():
                if text := text_of(message.content):
                    system.append({"text": text})
            case UserMessage():
                _append(contents, "user", _user_parts(message, index))
            case AssistantMessage():
                _append(contents, "model", _assistant_parts(message, names))
            case ToolMessage():
                name = names.get(message.tool_call_id)
                if name is None:
                    raise BadRequest(
                        f"messages[{index}]: tool_call_id '{message.tool_call_id}' answers no tool call "
                        "of an earlier assistant message; Gemini matches tool results by function name.",
                        param=f"messages[{index}].tool_call_id",
                    )
                _append(contents, "user", [_function_response(name, text_of(message.content))])
            case FunctionMessage():
                _append(contents, "user", [_function_response(message.name, message.content or "")])
            case _:
                assert_never(message)
    return contents, ({"parts": system} if system else None)


def _append(contents: list[dict[str, Any]], role: str, parts: list[Part]) -> None:
    if not parts:
        return  # Gemini rejects a turn without parts; an empty message carries nothing
    if contents and contents[-1]["role"] == role:
        contents[-1]["parts"].extend(parts)
    else:
        contents.append({"role": role, "parts": parts})


def _user_parts(message: UserMessage, index: int) -> list[Part]:
    if isinstance(message.content, str):
        return [{"text": message.content}] if message.content else []
    parts: list[Part] = []
    for number, part in enumerate(message.content):
        where = f"messages[{index}].content[{number}]"
        match part:
            case TextPart():
                if part.text:
                    parts.append({"text": part.text})
            case ImagePart():
                extra = part.image_url.model_extra or {}
                parts.append(media_part(part.image_url.url, extra.get("format"), where, default="image/jpeg"))
            case AudioPart():
                mime = _AUDIO_TYPES.get(part.input_audio.format, f"audio/{part.input_audio.format}")
                parts.append({"inlineData": {"mimeType": mime, "data": part.input_audio.data}})
            case FilePart():
                parts.append(_file_part(part, where))
            case _:
                assert_never(part)
    return parts


def media_part(url: str, mime: str | None, where: str, *, default: str | None = None) -> Part:
    """A ``data:`` URL as ``inlineData``; an http(s) or ``gs://`` URL as ``fileData``.

    Gemini reads public or signed http(s) URLs and Cloud Storage URIs itself (Vertex AI: any
    ``gs://`` the project can read; the Gemini API: registered files), so nothing is fetched here.
    ``mimeType`` is the caller's ``format``, else the URL's extension, else ``default``.
    """
    if url.startswith("data:"):
        parts = split_data_url(url)
        if parts is None:
            raise BadRequest(f"{where}: a data URL must look like data:<type>;base64,<data>", param=where)
        media_type, data = parts
        return {"inlineData": {"mimeType": mime or media_type, "data": data}}
    if url.startswith(("https://", "http://", "gs://")):
        guessed = mime or mimetypes.guess_type(url.split("?", 1)[0])[0] or default
        file_data: dict[str, str] = {"fileUri": url}
        if guessed:
            file_data["mimeType"] = guessed
        return {"fileData": file_data}
    raise BadRequest(f"{where}: Gemini takes data:, http(s):// or gs:// URLs", param=where)


def _file_part(part: FilePart, where: str) -> Part:
    file = part.file
    if file.file_data:
        return media_part(file.file_data, file.format, where)
    if file.file_id:
        return media_part(file.file_id, file.format, where)
    raise BadRequest(f"{where}: a file part needs file_data or file_id", param=where)


def _assistant_parts(message: AssistantMessage, names: dict[str, str]) -> list[Part]:
    parts: list[Part] = []
    content = message.content
    if isinstance(content, str):
        if content:
            parts.append({"text": content})
    elif content:
        for part in content:
            match part:
                case TextPart():
                    if part.text:
                        parts.append({"text": part.text})
                case RefusalPart():
                    parts.append({"text": part.refusal})
                case _:
                    assert_never(part)
    for number, call in enumerate(message.tool_calls or ()):
        names[call.id] = call.function.name
        parts.append(_function_call(call, first=number == 0))
    return parts


def _function_call(call: ToolCall, *, first: bool) -> Part:
    try:
        args = orjson.loads(call.function.arguments) if call.function.arguments.strip() else {}
    except orjson.JSONDecodeError:
        raise BadRequest(f"tool call '{call.id}' has arguments that are not JSON", param="messages") from None
    if not isinstance(args, dict):
        raise BadRequest(f"tool call '{call.id}' arguments must be a JSON object", param="messages")
    part: Part = {"functionCall": {"name": call.function.name, "args": args}}
    signature = thought_signature(call)
    if signature or first:
        part["thoughtSignature"] = signature or SKIP_SIGNATURE
    return part


def thought_signature(call: Any) -> str | None:
    """The signature Gemini gave a tool call, as we handed it out in ``extra_content``.

    ``extra_content.google.thought_signature`` is Google's own field for this in its OpenAI
    compatible API, so clients written for that API carry it back already.
    """
    extra = (call.model_extra or {}).get("extra_content")
    google = extra.get("google") if isinstance(extra, dict) else None
    signature = google.get("thought_signature") if isinstance(google, dict) else None
    return signature if isinstance(signature, str) and signature else None


def _function_response(name: str, text: str) -> Part:
    """Gemini wants an object; a JSON object passes as is, anything else goes under ``output``
    (the key Google's docs use for a function's result)."""
    try:
        value: Any = orjson.loads(text) if text.strip() else text
    except orjson.JSONDecodeError:
        value = text
    response = value if isinstance(value, dict) else {"output": value}
    return {"functionResponse": {"name": name, "response": response}}
