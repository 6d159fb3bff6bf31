"""Anthropic's Messages API on the wire (``POST /v1/messages``): the request, the response, the
content blocks and the stream events, as the Anthropic door reads and writes them.

Every model keeps the fields it does not name (``extra="allow"``), and a content block of a
type this module does not know becomes an ``OtherBlock`` that keeps all of it: a request bound
for a deployment that speaks Messages natively is sent on with nothing lost (new block types,
betas, ``cache_control``, citations, server tools), while the translation to chat reads the
fields named here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, PrivateAttr, SerializerFunctionWrapHandler, Tag, model_serializer

from switchboard.domain.chat import RouteInfo
from switchboard.domain.messages import WireModel

StopReason = Literal[
    "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"
]

# --- content blocks --------------------------------------------------------------------------


class TextBlock(WireModel):
    type: Literal["text"] = "text"
    text: str


class ImageBlock(WireModel):
    """``source``: ``{"type": "base64", "media_type", "data"}``, ``{"type": "url", "url"}`` or a file."""

    type: Literal["image"] = "image"
    source: dict[str, Any]


class DocumentBlock(WireModel):
    """A PDF or plain-text document (``source`` as for images, or ``{"type": "text", ...}``)."""

    type: Literal["document"] = "document"
    source: dict[str, Any]
    title: str | None = None
    context: str | None = None


class ToolUseBlock(WireModel):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: Any = Field(default_factory=dict)


class ToolResultBlock(WireModel):
    """``content``: a string, or text and image blocks."""

    type: Literal["tool_result"] = "tool_result"
    tool_use_id: str
    content: str | list[ContentBlock] | None = None
    is_error: bool | None = None


class ThinkingBlock(WireModel):
    type: Literal["thinking"] = "thinking"
    thinking: str
    signature: str = ""


class RedactedThinkingBlock(WireModel):
    type: Literal["redacted_thinking"] = "redacted_thinking"
    data: str


class OtherBlock(WireModel):
    """A block this module does not name (``server_tool_use``, ``web_search_tool_result``,
    ``container_upload``...), kept whole."""

    type: str


_KNOWN_BLOCKS = frozenset({"text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"})


def _block_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) and kind in _KNOWN_BLOCKS else "other"


ContentBlock = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[DocumentBlock, Tag("document")]
    | Annotated[ToolUseBlock, Tag("tool_use")]
    | Annotated[ToolResultBlock, Tag("tool_result")]
    | Annotated[ThinkingBlock, Tag("thinking")]
    | Annotated[RedactedThinkingBlock, Tag("redacted_thinking")]
    | Annotated[OtherBlock, Tag("other")],
    Discriminator(_block_tag),
]

# --- request ---------------------------------------------------------------------------------


class MessageParam(WireModel):
    role: Literal["user", "assistant"]
    content: str | list[ContentBlock]


class ToolDefinition(WireModel):
    """A client tool (``input_schema``), or a server tool (``type`` such as ``web_search_20250305``)."""

    name: str = Field(min_length=1)
    type: str | None = None
    description: str | None = None
    input_schema: dict[str, Any] | None = None

    @property
    def is_client_tool(self) -> bool:
        return self.type in (None, "custom")


class ToolChoice(WireModel):
    type: Literal["auto", "any", "tool", "none"]
    name: str | None = None
    disable_parallel_tool_use: bool | None = None


class ThinkingConfig(WireModel):
    """``{"type": "enabled", "budget_tokens": N}``, ``{"type": "adaptive"}`` or ``{"type": "disabled"}``."""

    type: str
    budget_tokens: int | None = None


class CountTokensRequest(WireModel):
    """``POST /v1/messages/count_tokens``: what a message request says of its prompt."""

    model: str = Field(min_length=1)
    messages: list[MessageParam]
    system: str | list[TextBlock] | None = None
    tools: list[ToolDefinition] | None = None
    tool_choice: ToolChoice | None = None
    thinking: ThinkingConfig | None = None
    # The caller's ``anthropic-version`` / ``anthropic-beta`` headers, forwarded to a native
    # deployment; never read from or written to the body.
    _headers: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def forwarded_headers(self) -> dict[str, str]:
        return self._headers

    def forwarding(self, headers: dict[str, str]) -> None:
        """Forward these headers (the HTTP route's, as they came)."""
        self._headers = headers


class MessagesRequest(CountTokensRequest):
    """``POST /v1/messages``: every parameter Anthropic documents that the translation reads, and
    any others kept as they came."""

    max_tokens: int = Field(ge=1)
    metadata: dict[str, Any] | None = None
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    temperature: float | None = Field(default=None, ge=0, le=1)
    top_k: int | None = Field(default=None, ge=0)
    top_p: float | None = Field(default=None, ge=0, le=1)
    service_tier: str | None = None


class TokenCount(WireModel):
    input_tokens: int


# --- response --------------------------------------------------------------------------------


class MessagesUsage(WireModel):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None


class MessagesResponse(WireModel):
    id: str
    type: Literal["message"] = "message"
    role: Literal["assistant"] = "assistant"
    model: str
    content: list[ContentBlock]
    stop_reason: str | None = None
    stop_sequence: str | None = None
    usage: MessagesUsage
    route: RouteInfo | None = Field(default=None, exclude=True)  # which deployment answered (facade)

    @model_serializer(mode="wrap")
    def _always_stop(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Anthropic always sends both keys (null while streaming or when no sequence matched).
        data: dict[str, Any] = handler(self)
        data.setdefault("stop_reason", None)
        data.setdefault("stop_sequence", None)
        return data

    @property
    def text(self) -> str:
        """The text blocks, joined."""
        return "".join(block.text for block in self.content if isinstance(block, TextBlock))


# --- stream events ---------------------------------------------------------------------------


class TextDelta(WireModel):
    type: Literal["text_delta"] = "text_delta"
    text: str


class InputJsonDelta(WireModel):
    type: Literal["input_json_delta"] = "input_json_delta"
    partial_json: str


class ThinkingDelta(WireModel):
    type: Literal["thinking_delta"] = "thinking_delta"
    thinking: str


class SignatureDelta(WireModel):
    type: Literal["signature_delta"] = "signature_delta"
    signature: str


BlockDelta = Annotated[TextDelta | InputJsonDelta | ThinkingDelta | SignatureDelta, Field(discriminator="type")]


class MessageStart(WireModel):
    type: Literal["message_start"] = "message_start"
    message: MessagesResponse


class ContentBlockStart(WireModel):
    type: Literal["content_block_start"] = "content_block_start"
    index: int
    content_block: ContentBlock


class ContentBlockDelta(WireModel):
    type: Literal["content_block_delta"] = "content_block_delta"
    index: int
    delta: BlockDelta


class ContentBlockStop(WireModel):
    type: Literal["content_block_stop"] = "content_block_stop"
    index: int


class MessageDeltaBody(WireModel):
    stop_reason: str | None = None
    stop_sequence: str | None = None

    @model_serializer(mode="wrap")
    def _always_stop(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        data.setdefault("stop_reason", None)
        data.setdefault("stop_sequence", None)
        return data


class MessageDelta(WireModel):
    type: Literal["message_delta"] = "message_delta"
    delta: MessageDeltaBody
    usage: MessagesUsage


class MessageStop(WireModel):
    type: Literal["message_stop"] = "message_stop"


class Ping(WireModel):
    type: Literal["ping"] = "ping"


class ErrorBody(WireModel):
    type: str
    message: str


class ErrorEvent(WireModel):
    """An error event in a stream, and the body of every error answer."""

    type: Literal["error"] = "error"
    error: ErrorBody


StreamEvent = Annotated[
    MessageStart
    | ContentBlockStart
    | ContentBlockDelta
    | ContentBlockStop
    | MessageDelta
    | MessageStop
    | Ping
    | ErrorEvent,
    Field(discriminator="type"),
]

ToolResultBlock.model_rebuild()
