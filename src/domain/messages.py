"""Chat messages in OpenAI's format: roles, multimodal content parts, tools and tool calls.

Models accept fields they do not name (``extra="allow"``), so provider-specific additions such as
Anthropic's ``cache_control`` on a content part travel through untouched to adapters that use them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool


class WireModel(BaseModel):
    """Base of the OpenAI-format models: unknown fields are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# --- content parts -----------------------------------------------------------------------


class TextPart(WireModel):
    type: Literal["text"] = "text"
    text: str


class ImageUrl(WireModel):
    url: str
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(WireModel):
    type: Literal["image_url"] = "image_url"
    image_url: ImageUrl


class InputAudio(WireModel):
    data: str
    format: Literal["wav", "mp3"] | str


class AudioPart(WireModel):
    type: Literal["input_audio"] = "input_audio"
    input_audio: InputAudio


class FileRef(WireModel):
    file_data: str | None = None
    file_id: str | None = None
    filename: str | None = None
    format: str | None = None


class FilePart(WireModel):
    type: Literal["file"] = "file"
    file: FileRef


class RefusalPart(WireModel):
    type: Literal["refusal"] = "refusal"
    refusal: str


UserContentPart = Annotated[TextPart | ImagePart | AudioPart | FilePart, Field(discriminator="type")]
AssistantContentPart = Annotated[TextPart | RefusalPart, Field(discriminator="type")]

# --- tools ---------------------------------------------------------------------------------


class FunctionDefinition(WireModel):
    name: str = Field(min_length=1, max_length=128)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: StrictBool | None = None


class Tool(WireModel):
    type: Literal["function"] = "function"
    function: FunctionDefinition


class NamedFunction(WireModel):
    name: str


class NamedToolChoice(WireModel):
    type: Literal["function"] = "function"
    function: NamedFunction


ToolChoice = Literal["none", "auto", "required"] | NamedToolChoice


class FunctionCall(WireModel):
    name: str
    arguments: str


class ToolCall(WireModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


# --- messages ------------------------------------------------------------------------------


class SystemMessage(WireModel):
    role: Literal["system"] = "system"
    content: str | list[TextPart]
    name: str | None = None


class DeveloperMessage(WireModel):
    role: Literal["developer"] = "developer"
    content: str | list[TextPart]
    name: str | None = None


class UserMessage(WireModel):
    role: Literal["user"] = "user"
    content: str | list[UserContentPart]
    name: str | None = None


class AssistantMessage(WireModel):
    role: Literal["assistant"] = "assistant"
    content: str | list[AssistantContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    refusal: str | None = None
    reasoning_content: str | None = None
    function_call: FunctionCall | None = None


class ToolMessage(WireModel):
    role: Literal["tool"] = "tool"
    content: str | list[TextPart]
    tool_call_id: str


class FunctionMessage(WireModel):
    """Deprecated by OpenAI in favour of tool messages; still accepted."""

    role: Literal["function"] = "function"
    content: str | None
    name: str


Message = Annotated[
    SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage,
    Field(discriminator="role"),
]

MESSAGE_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
PART_TYPES = frozenset({"text", "image_url", "input_audio", "file", "refusal"})


def text_of(content: str | list[Any] | None) -> str:
    """The plain text of message content: a string as is, the text parts of a list joined."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.text for part in content if isinstance(part, TextPart))
