"""Image generation (``POST /v1/images/generations``) in OpenAI's format.

Sizes, qualities, styles and formats stay plain strings: each model family accepts its own set
(``dall-e-3`` has ``hd``, ``gpt-image-1`` has ``high``), and the provider says no better than a
table here could.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from switchboard.domain.caller_text import StoredText
from switchboard.domain.chat import RouteInfo
from switchboard.domain.messages import WireModel


class ImageRequest(WireModel):
    model: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    n: int | None = Field(default=None, ge=1, le=10)
    quality: str | None = None
    response_format: Literal["url", "b64_json"] | None = None
    size: str | None = None
    style: str | None = None
    user: StoredText | None = None
    background: str | None = None
    moderation: str | None = None
    output_compression: int | None = Field(default=None, ge=0, le=100)
    output_format: str | None = None
    partial_images: int | None = Field(default=None, ge=0, le=3)
    stream: bool | None = None


class ImageData(WireModel):
    url: str | None = None
    b64_json: str | None = None
    revised_prompt: str | None = None


class ImageUsage(WireModel):
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: dict[str, Any] | None = None
    output_tokens_details: dict[str, Any] | None = None


class ImageResponse(WireModel):
    created: int
    data: list[ImageData] = Field(default_factory=list)
    background: str | None = None
    output_format: str | None = None
    quality: str | None = None
    size: str | None = None
    usage: ImageUsage | None = None
    route: RouteInfo | None = Field(default=None, exclude=True)
