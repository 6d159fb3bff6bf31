"""Canonical message content in the pieces several wire formats share (pure)."""

from __future__ import annotations

from typing import Any, assert_never

from switchboard.domain.messages import ImagePart, RefusalPart, TextPart


def assistant_text(content: str | list[Any] | None) -> str | None:
    """An assistant message's content as one text: its text and refusal parts joined in order
    (APIs without a refusal part read it as what the assistant said); ``None`` stays ``None``."""
    if not isinstance(content, list):
        return content
    texts = []
    for part in content:
        match part:
            case TextPart():
                texts.append(part.text)
            case RefusalPart():
                texts.append(part.refusal)
            case _:
                assert_never(part)
    return "".join(texts)


def image_url_part(part: ImagePart) -> dict[str, Any]:
    """OpenAI's ``image_url`` content part, which Cohere and Mistral take as it is."""
    image: dict[str, Any] = {"url": part.image_url.url}
    if part.image_url.detail:
        image["detail"] = part.image_url.detail
    return {"type": "image_url", "image_url": image}


def split_data_url(url: str) -> tuple[str, str] | None:
    """``data:image/png;base64,AAAA`` -> (``image/png``, ``AAAA``); ``None`` for anything else
    (another encoding, extra parameters, no media type)."""
    header, sep, data = url.partition(",")
    media_type, _, encoding = header[5:].partition(";")
    if not sep or encoding != "base64" or not media_type or not header.startswith("data:"):
        return None
    return media_type, data
