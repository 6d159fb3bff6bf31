"""Canonical (OpenAI-format) messages -> Anthropic's ``system`` and alternating turns (pure).

- ``system`` and ``developer`` messages, wherever they stand, become the top-level ``system``:
  a plain string when there is one text and no ``cache_control``, else a list of text blocks
  (each keeps its ``cache_control``).
- Assistant ``tool_calls`` become ``tool_use`` blocks; ``tool`` messages become ``tool_result``
  blocks in a user turn. Consecutive turns of one role merge into one turn, so consecutive tool
  results (and a user message after them) share a user turn, tool results first.
- A conversation must open with a user turn: when it does not (it starts with the assistant, or
  has only system text), a one-character user turn is put first.
- Images by URL -> ``source.type: url``; ``data:`` URLs -> ``source.type: base64`` with the media
  type. PDFs and plain text (``file`` parts, or a PDF ``data:`` URL) -> ``document`` blocks; an
  OpenAI ``file_id`` -> a ``document`` with ``source.type: file`` (Anthropic's Files API).
- ``thinking_blocks`` on an assistant message (as this adapter returns them) go back as
  ``thinking`` / ``redacted_thinking`` blocks, signature intact, ahead of the text.
- ``cache_control`` is kept on content parts, and a message-level ``cache_control`` lands on the
  message's last block.

What Anthropic cannot carry raises ``BadRequest`` naming the message: audio input, the legacy
``function`` role and ``function_call``, images of other types than jpeg/png/gif/webp.
OpenAI's ``name`` on a message and ``detail`` on an image are hints with no Anthropic
counterpart; they are left out.
"""

from __future__ import annotations

import base64
import binascii
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
    ToolMessage,
    UserMessage,
    WireModel,
)

Block = dict[str, Any]

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_OPENING_TURN = "."  # Anthropic needs a user turn first; the shortest one that tokenizes.


def _cache_control(part: WireModel) -> Any:
    extra = part.model_extra
    return extra.get("cache_control") if extra else None


def _with_cache(block: Block, part: WireModel) -> Block:
    control = _cache_control(part)
    if control is not None:
        block["cache_control"] = control
    return block


def _text_block(part: TextPart) -> Block:
    return _with_cache({"type": "text", "text": part.text}, part)


def _texts(content: str | list[TextPart]) -> list[Block]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [_text_block(part) for part in content]


def _data_url(url: str, param: str) -> tuple[str, str]:
    """``data:image/png;base64,AAAA`` -> (``image/png``, ``AAAA``)."""
    parts = split_data_url(url)
    if parts is None:
        raise BadRequest(
            f"Invalid value for '{param}': a data URL must look like data:<media type>;base64,<data>.",
            param=param,
        )
    media_type, data = parts
    return media_type.lower(), data


def _media_block(media_type: str, data: str, param: str, title: str | None = None) -> Block:
    """A base64 payload as the block Anthropic takes for its media type."""
    if media_type in IMAGE_TYPES:
        return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
    document: Block
    if media_type == "application/pdf":
        document = {
            "type": "document",
            "source": {"type": "base64", "media_type": media_type, "data": data},
        }
    elif media_type == "text/plain":
        try:
            text = base64.b64decode(data, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest(
                f"Invalid value for '{param}': the text/plain data is not base64 UTF-8.", param=param
            ) from None
        document = {
            "type": "document",
            "source": {"type": "text", "media_type": "text/plain", "data": text},
        }
    else:
        raise BadRequest(
            f"anthropic cannot read {media_type} content in '{param}'; it takes images "
            "(jpeg, png, gif, webp), PDFs and plain text.",
            param=param,
            provider="anthropic",
        )
    if title:
        document["title"] = title
    return document


def _image(part: ImagePart, param: str) -> Block:
    url = part.image_url.url
    if url.startswith("data:"):
        block = _media_block(*_data_url(url, param), param)
    elif url.startswith(("https://", "http://")):
        block = {"type": "image", "source": {"type": "url", "url": url}}
    else:
        raise BadRequest(f"Invalid value for '{param}': an image URL must be http(s) or a data: URL.", param=param)
    return _with_cache(block, part)


def _file(part: FilePart, param: str) -> Block:
    file = part.file
    if file.file_data:
        data = file.file_data
        if data.startswith("data:"):
            media_type, payload = _data_url(data, param)
        else:  # bare base64: OpenAI's own file parts carry PDFs this way
            media_type, payload = (file.format or "application/pdf"), data
        block = _media_block(media_type, payload, param, file.filename)
    elif file.file_id:
        block = {"type": "document", "source": {"type": "file", "file_id": file.file_id}}
    else:
        raise BadRequest(f"Missing required parameter: '{param}.file_data'.", param=param)
    return _with_cache(block, part)


def _user_blocks(message: UserMessage, where: str) -> list[Block]:
    if isinstance(message.content, str):
        return [{"type": "text", "text": message.content}]
    blocks: list[Block] = []
    for index, part in enumerate(message.content):
        param = f"{where}.content[{index}]"
        match part:
            case TextPart():
                blocks.append(_text_block(part))
            case ImagePart():
                blocks.append(_image(part, param))
            case FilePart():
                blocks.append(_file(part, param))
            case AudioPart():
                raise BadRequest(
                    f"anthropic does not accept audio input ('{param}').", param=param, provider="anthropic"
                )
            case _:
                assert_never(part)
    return blocks


def _tool_input(arguments: str, param: str) -> dict[str, Any]:
    if not arguments.strip():
        return {}
    try:
        value = orjson.loads(arguments)
    except orjson.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid value for '{param}': tool call arguments must be a JSON object.", param=param)
    return value


def _thinking_blocks(message: AssistantMessage, where: str) -> list[Block]:
    raw = message.model_extra.get("thinking_blocks") if message.model_extra else None
    if not raw:
        return []
    blocks: list[Block] = []
    for index, block in enumerate(raw if isinstance(raw, list) else [raw]):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "thinking" and "signature" in block:
            blocks.append({"type": "thinking", "thinking": block.get("thinking", ""), "signature": block["signature"]})
        elif kind == "redacted_thinking" and "data" in block:
            blocks.append({"type": "redacted_thinking", "data": block["data"]})
        else:
            param = f"{where}.thinking_blocks[{index}]"
            raise BadRequest(
                f"Invalid value for '{param}': expected a thinking block with its signature "
                "or a redacted_thinking block with its data, as returned.",
                param=param,
            )
    return blocks


def _assistant_blocks(message: AssistantMessage, where: str) -> list[Block]:
    if message.function_call is not None:
        raise BadRequest(
            f"anthropic does not take the legacy 'function_call' ({where}); use tool_calls.",
            param=f"{where}.function_call",
            provider="anthropic",
        )
    blocks = _thinking_blocks(message, where)
    content = message.content
    if isinstance(content, str):
        if content:
            blocks.append({"type": "text", "text": content})
    elif content:
        for part in content:
            match part:
                case TextPart():
                    if part.text or _cache_control(part) is not None:
                        blocks.append(_text_block(part))
                case RefusalPart():
                    blocks.append({"type": "text", "text": part.refusal})
                case _:
                    assert_never(part)
    for index, call in enumerate(message.tool_calls or ()):
        param = f"{where}.tool_calls[{index}].function.arguments"
        blocks.append(
            _with_cache(
                {
                    "type": "tool_use",
                    "id": call.id,
                    "name": call.function.name,
                    "input": _tool_input(call.function.arguments, param),
                },
                call,
            )
        )
    return blocks


def _tool_result(message: ToolMessage) -> Block:
    content: str | list[Block]
    if isinstance(message.content, str):
        content = message.content
    else:
        content = [_text_block(part) for part in message.content]
    return {"type": "tool_result", "tool_use_id": message.tool_call_id, "content": content}


def _mark_last(blocks: list[Block], message: WireModel) -> None:
    """A message-level ``cache_control`` marks the message's last block."""
    control = _cache_control(message)
    if control is not None and blocks:
        blocks[-1]["cache_control"] = control


def to_turns(messages: list[Message]) -> tuple[str | list[Block] | None, list[dict[str, Any]]]:
    """``(system, messages)`` for Anthropic from canonical messages; see the module docstring."""
    system: list[Block] = []
    turns: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        role: str
        match message:
            case SystemMessage() | DeveloperMessage():
                blocks = _texts(message.content)
                _mark_last(blocks, message)
                system.extend(blocks)
                continue
            case UserMessage():
                role, blocks = "user", _user_blocks(message, where)
            case AssistantMessage():
                role, blocks = "assistant", _assistant_blocks(message, where)
                if not blocks:
                    continue  # an empty assistant turn says nothing Anthropic would accept
            case ToolMessage():
                role, blocks = "user", [_tool_result(message)]
            case FunctionMessage():
                raise BadRequest(
                    f"anthropic does not take legacy 'function' messages ({where}); use tool messages.",
                    param=f"{where}.role",
                    provider="anthropic",
                )
            case _:
                assert_never(message)
        _mark_last(blocks, message)
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": [{"type": "text", "text": _OPENING_TURN}]})
    for turn in turns:
        content = turn["content"]
        if len(content) == 1 and content[0]["type"] == "text" and len(content[0]) == 2:
            turn["content"] = content[0]["text"]  # a lone plain text: the compact string form
    return _system(system), turns


def _system(blocks: list[Block]) -> str | list[Block] | None:
    if not blocks:
        return None
    if len(blocks) == 1 and len(blocks[0]) == 2:
        text: str = blocks[0]["text"]
        return text
    return blocks
