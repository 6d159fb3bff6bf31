"""Chat completions in OpenAI's format: the request, the response and the stream chunks.

These are the canonical values every provider adapter maps to and from. ``ChatRequest`` keeps
fields it does not name, so provider-specific parameters (``top_k``, ``thinking``...) reach the
adapter when the provider's declared chat parameters (``ProviderDirectory.chat_params``) let them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, StrictBool, StrictFloat, StrictInt, model_serializer

from switchboard.domain.caller_text import StoredText
from switchboard.domain.messages import (
    FunctionCall,
    Message,
    Tool,
    ToolCall,
    ToolChoice,
    WireModel,
)
from switchboard.domain.usage import Usage

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "function_call"]

# --- request -------------------------------------------------------------------------------


class JsonSchemaFormat(WireModel):
    name: str = Field(min_length=1, max_length=64)
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: StrictBool | None = None


class TextFormat(WireModel):
    type: Literal["text"] = "text"


class JsonObjectFormat(WireModel):
    type: Literal["json_object"] = "json_object"


class JsonSchemaResponseFormat(WireModel):
    type: Literal["json_schema"] = "json_schema"
    json_schema: JsonSchemaFormat


ResponseFormat = Annotated[TextFormat | JsonObjectFormat | JsonSchemaResponseFormat, Field(discriminator="type")]


class StreamOptions(WireModel):
    include_usage: StrictBool | None = None


class FunctionChoice(WireModel):
    name: str


class ChatRequest(WireModel):
    """``POST /v1/chat/completions``: every parameter OpenAI documents, plus any extra ones.

    Booleans, integers and numbers are strict, as OpenAI's are: ``"stream": "yes"`` or
    ``"max_tokens": "5"`` is refused, not coerced (a whole number is still a valid ``number``)."""

    model: str = Field(min_length=1)
    messages: list[Message] = Field(min_length=1)
    frequency_penalty: StrictFloat | None = Field(default=None, ge=-2, le=2)
    presence_penalty: StrictFloat | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, StrictFloat] | None = None
    logprobs: StrictBool | None = None
    top_logprobs: StrictInt | None = Field(default=None, ge=0, le=20)
    max_tokens: StrictInt | None = Field(default=None, ge=1)
    max_completion_tokens: StrictInt | None = Field(default=None, ge=1)
    n: StrictInt | None = Field(default=None, ge=1, le=128)
    response_format: ResponseFormat | None = None
    seed: StrictInt | None = None
    service_tier: str | None = None
    stop: str | list[str] | None = None
    stream: StrictBool | None = None
    stream_options: StreamOptions | None = None
    temperature: StrictFloat | None = Field(default=None, ge=0, le=2)
    top_p: StrictFloat | None = Field(default=None, ge=0, le=1)
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: StrictBool | None = None
    user: StoredText | None = None
    metadata: dict[str, Any] | None = None
    reasoning_effort: str | None = None
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    prediction: dict[str, Any] | None = None
    store: StrictBool | None = None
    functions: list[dict[str, Any]] | None = None
    function_call: Literal["none", "auto"] | FunctionChoice | None = None

    @property
    def wants_usage_chunk(self) -> bool:
        """Whether a streaming caller asked for the final usage chunk."""
        return bool(self.stream_options and self.stream_options.include_usage)

    @property
    def output_limit(self) -> int | None:
        """The caller's cap on output tokens, whichever of the two names carries it."""
        return self.max_completion_tokens or self.max_tokens

    @property
    def stop_sequences(self) -> list[str]:
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)


# --- response ------------------------------------------------------------------------------


class ResponseMessage(WireModel):
    role: Literal["assistant"] = "assistant"
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None
    reasoning_content: str | None = None
    function_call: FunctionCall | None = None
    annotations: list[dict[str, Any]] | None = None
    audio: dict[str, Any] | None = None

    @model_serializer(mode="wrap")
    def _always_content(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # OpenAI always sends "content" (null beside tool calls); clients index it directly.
        data: dict[str, Any] = handler(self)
        data.setdefault("content", None)
        return data


class Choice(WireModel):
    index: int = 0
    message: ResponseMessage
    finish_reason: FinishReason | None = "stop"
    logprobs: dict[str, Any] | None = None


@dataclass(slots=True)
class RouteInfo:
    """Which deployment answered and what was tried first; sent as headers, not in the body.

    A plain dataclass rather than a model: one is made per request, and it is never parsed.
    """

    model_group: str = ""
    deployment_id: str = ""
    provider: str = ""
    attempted: list[str] = field(default_factory=list)
    cache_hit: bool = False
    cost: float | None = None


class ChatResponse(WireModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None
    route: RouteInfo | None = Field(default=None, exclude=True)

    @property
    def text(self) -> str:
        """The first choice's text, or an empty string."""
        return (self.choices[0].message.content or "") if self.choices else ""


# --- stream --------------------------------------------------------------------------------


class FunctionCallDelta(WireModel):
    name: str | None = None
    arguments: str | None = None


class ToolCallDelta(WireModel):
    index: int
    id: str | None = None
    type: Literal["function"] | None = None
    function: FunctionCallDelta | None = None


class Delta(WireModel):
    role: Literal["assistant"] | None = None
    content: str | None = None
    reasoning_content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCallDelta] | None = None
    function_call: FunctionCallDelta | None = None


class ChunkChoice(WireModel):
    index: int = 0
    delta: Delta
    finish_reason: FinishReason | None = None
    logprobs: dict[str, Any] | None = None


class ChatChunk(WireModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice] = Field(default_factory=list)
    usage: Usage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None

    @property
    def text(self) -> str:
        """The first choice's content delta, or an empty string."""
        return (self.choices[0].delta.content or "") if self.choices else ""
