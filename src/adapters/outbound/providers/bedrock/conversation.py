"""Chat messages -> Converse ``system`` blocks and alternating ``messages`` turns (pure).

- system and developer messages -> ``system`` text blocks (in order, wherever they appear)
- user / assistant messages -> turns of content blocks; consecutive messages of one role merge
  into one turn (Converse wants user and assistant turns to alternate)
- tool messages -> ``toolResult`` blocks in a user turn; assistant ``tool_calls`` -> ``toolUse``
- images: ``data:`` URLs -> ``image.source.bytes``, ``s3://`` URIs -> ``image.source.s3Location``;
  http(s) image URLs are refused (Switchboard does not fetch them)
- files (``data:`` URLs) -> ``document`` (pdf, csv, doc(x), xls(x), html, txt, md), ``image`` or
  ``video`` blocks; ``input_audio`` -> ``audio``
- ``cache_control`` on a content part or message -> a ``cachePoint`` block after it
- ``thinking_blocks`` on an assistant message (LiteLLM's shape) -> ``reasoningContent`` blocks
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, assert_never

import orjson

from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import (
    AssistantMessage,
    AudioPart,
    DeveloperMessage,
    FilePart,
    FunctionMessage,
    ImagePart,
    RefusalPart,
    SystemMessage,
    TextPart,
    ToolMessage,
    UserMessage,
    WireModel,
    text_of,
)

_IMAGE_FORMATS = {"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "webp": "webp"}
_DOCUMENT_FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
_VIDEO_FORMATS = {
    "mp4": "mp4",
    "quicktime": "mov",
    "webm": "webm",
    "x-matroska": "mkv",
    "x-flv": "flv",
    "mpeg": "mpeg",
    "x-ms-wmv": "wmv",
    "3gpp": "three_gp",
}
_AUDIO_FORMATS = frozenset(
    {"mp3", "opus", "wav", "aac", "flac", "mp4", "ogg", "mkv", "mka", "x-aac", "m4a", "mpeg", "mpga"} | {"pcm", "webm"}
)
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?:;[\w=.+-]+)*;base64,(?P<data>.*)$", re.DOTALL)
_DOCUMENT_NAME_JUNK = re.compile(r"[^A-Za-z0-9\s\-()\[\]]+")


def _bad(message: str) -> BadRequest:
    return BadRequest(f"bedrock: {message}", param="messages", provider="bedrock")


def _cache_point(holder: WireModel) -> list[dict[str, Any]]:
    extra = holder.model_extra
    return [{"cachePoint": {"type": "default"}}] if extra and extra.get("cache_control") else []


def _data_url(url: str) -> tuple[str, str]:
    """``(mime type, base64 data)`` of a ``data:`` URL."""
    match = _DATA_URL.match(url)
    if match is None:
        raise _bad("a data: URL must be base64-encoded (data:<type>;base64,<data>).")
    return (match["mime"] or "").lower(), match["data"]


def _image_block(url: str) -> dict[str, Any]:
    if url.startswith("data:"):
        mime, data = _data_url(url)
        kind, _, subtype = mime.partition("/")
        image_format = _IMAGE_FORMATS.get(subtype)
        if kind != "image" or image_format is None:
            raise _bad(f"image type {mime or 'unknown'!r} is not supported (png, jpeg, gif, webp).")
        return {"image": {"format": image_format, "source": {"bytes": data}}}
    if url.startswith("s3://"):
        image_format = _IMAGE_FORMATS.get(url.rsplit(".", 1)[-1].lower())
        if image_format is None:
            raise _bad("an s3:// image URI must end in .png, .jpeg, .jpg, .gif or .webp.")
        return {"image": {"format": image_format, "source": {"s3Location": {"uri": url}}}}
    raise _bad(
        "image URLs are not fetched by Switchboard; send the image inline as a data: URL "
        "(data:image/png;base64,...) or as an s3:// URI."
    )


def _document_name(filename: str | None, index: int) -> str:
    stem = (filename or "").rsplit(".", 1)[0]
    name = " ".join(_DOCUMENT_NAME_JUNK.sub("-", stem).split())[:200]
    return name or f"document-{index}"


def _file_block(part: FilePart, index: int) -> dict[str, Any]:
    ref = part.file
    if not ref.file_data:
        raise _bad("file parts need file_data (a data: URL); uploaded file ids are not supported.")
    if ref.file_data.startswith("data:"):
        mime, data = _data_url(ref.file_data)
    else:
        mime, data = (ref.format or "").lower(), ref.file_data
    kind, _, subtype = mime.partition("/")
    if kind == "image":
        return _image_block(f"data:{mime};base64,{data}")
    if kind == "video" and subtype in _VIDEO_FORMATS:
        return {"video": {"format": _VIDEO_FORMATS[subtype], "source": {"bytes": data}}}
    document_format = _DOCUMENT_FORMATS.get(mime)
    if document_format is None:
        raise _bad(f"file type {mime or 'unknown'!r} is not supported by Bedrock.")
    name = _document_name(ref.filename, index)
    return {"document": {"format": document_format, "name": name, "source": {"bytes": data}}}


def _user_blocks(message: UserMessage) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if isinstance(message.content, str):
        if message.content:
            blocks.append({"text": message.content})
        return blocks + _cache_point(message)
    for index, part in enumerate(message.content):
        match part:
            case TextPart():
                if part.text:
                    blocks.append({"text": part.text})
            case ImagePart():
                blocks.append(_image_block(part.image_url.url))
            case AudioPart():
                audio_format = part.input_audio.format
                if audio_format not in _AUDIO_FORMATS:
                    raise _bad(f"audio format {audio_format!r} is not supported by Bedrock.")
                blocks.append({"audio": {"format": audio_format, "source": {"bytes": part.input_audio.data}}})
            case FilePart():
                blocks.append(_file_block(part, index))
            case _:
                assert_never(part)
        blocks.extend(_cache_point(part))
    return blocks + _cache_point(message)


def _thinking_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    """LiteLLM's ``thinking_blocks`` (thinking text + signature, or redacted data) as Converse
    ``reasoningContent``. Plain ``reasoning_content`` has no signature, so it cannot go back."""
    blocks: list[dict[str, Any]] = []
    for item in (message.model_extra or {}).get("thinking_blocks") or ():
        if not isinstance(item, Mapping):
            raise _bad("thinking_blocks items must be objects.")
        if item.get("type") == "redacted_thinking" and item.get("data"):
            blocks.append({"reasoningContent": {"redactedContent": item["data"]}})
        elif item.get("type") == "thinking":
            text: dict[str, Any] = {"text": str(item.get("thinking") or "")}
            if item.get("signature"):
                text["signature"] = str(item["signature"])
            blocks.append({"reasoningContent": {"reasoningText": text}})
    return blocks


def _tool_input(arguments: str) -> Any:
    if not arguments.strip():
        return {}
    try:
        return orjson.loads(arguments)
    except orjson.JSONDecodeError:
        raise _bad("a tool call's arguments are not valid JSON.") from None


def _assistant_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    if message.function_call is not None:
        raise _bad("legacy function_call messages are not supported; use tool_calls.")
    blocks = _thinking_blocks(message)
    content = message.content
    if isinstance(content, str):
        if content:
            blocks.append({"text": content})
    elif content:
        for part in content:
            match part:
                case TextPart():
                    if part.text:
                        blocks.append({"text": part.text})
                case RefusalPart():
                    blocks.append({"text": part.refusal})
                case _:
                    assert_never(part)
            blocks.extend(_cache_point(part))
    elif message.refusal:
        blocks.append({"text": message.refusal})
    for call in message.tool_calls or ():
        blocks.append(
            {
                "toolUse": {
                    "toolUseId": call.id,
                    "name": call.function.name,
                    "input": _tool_input(call.function.arguments),
                }
            }
        )
    return blocks + _cache_point(message)


def _tool_result(message: ToolMessage) -> list[dict[str, Any]]:
    result = {"toolUseId": message.tool_call_id, "content": [{"text": text_of(message.content)}]}
    return [{"toolResult": result}, *_cache_point(message)]


def _system_blocks(message: SystemMessage | DeveloperMessage) -> list[dict[str, Any]]:
    parts = [TextPart(text=message.content)] if isinstance(message.content, str) else message.content
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if part.text:  # Converse refuses empty system text
            blocks.append({"text": part.text})
        blocks.extend(_cache_point(part))
    return blocks + _cache_point(message)


def _append(turns: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    if not blocks:
        return
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def conversation(request: ChatRequest) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(system blocks, message turns)``, with same-role neighbours merged."""
    system: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for message in request.messages:
        match message:
            case SystemMessage() | DeveloperMessage():
                system.extend(_system_blocks(message))
            case UserMessage():
                _append(turns, "user", _user_blocks(message))
            case AssistantMessage():
                _append(turns, "assistant", _assistant_blocks(message))
            case ToolMessage():
                _append(turns, "user", _tool_result(message))
            case FunctionMessage():
                raise _bad("legacy function messages are not supported; use tool messages.")
            case _:
                assert_never(message)
    if not turns:
        raise _bad("the conversation needs at least one user or assistant message.")
    return system, turns
