"""Legacy text completions (``POST /v1/completions``) in OpenAI's format.

One shape serves both the whole answer and the stream: OpenAI sends ``object: "text_completion"``
for each; a streamed choice has ``finish_reason: null`` until its last piece.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, StrictBool, StrictFloat, StrictInt, model_serializer

from switchboard.domain.caller_text import StoredText
from switchboard.domain.chat import RouteInfo, StreamOptions
from switchboard.domain.messages import WireModel
from switchboard.domain.usage import Usage

CompletionFinishReason = Literal["stop", "length", "content_filter"]
Prompt = str | list[str] | list[int] | list[list[int]]


class CompletionRequest(WireModel):
    """``POST /v1/completions``: every parameter OpenAI documents, plus any extra ones."""

    model: str = Field(min_length=1)
    prompt: Prompt | None
    best_of: StrictInt | None = Field(default=None, ge=1, le=20)
    echo: StrictBool | None = None
    frequency_penalty: StrictFloat | None = Field(default=None, ge=-2, le=2)
    presence_penalty: StrictFloat | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, StrictFloat] | None = None
    logprobs: StrictInt | None = Field(default=None, ge=0, le=5)
    max_tokens: StrictInt | None = Field(default=None, ge=0)
    n: StrictInt | None = Field(default=None, ge=1, le=128)
    seed: StrictInt | None = None
    stop: str | list[str] | None = None
    stream: StrictBool | None = None
    stream_options: StreamOptions | None = None
    suffix: str | None = None
    temperature: StrictFloat | None = Field(default=None, ge=0, le=2)
    top_p: StrictFloat | None = Field(default=None, ge=0, le=1)
    user: StoredText | None = None

    @property
    def prompts(self) -> list[str] | list[list[int]]:
        """The prompt as a list of items: texts, or token arrays. ``null`` is one empty text."""
        value = self.prompt
        if value is None:
            return [""]
        if isinstance(value, str):
            return [value]
        if value and isinstance(value[0], int):
            return [value]
        return value  # type: ignore[return-value]

    @property
    def wants_usage_chunk(self) -> bool:
        """Whether a streaming caller asked for the final usage chunk."""
        return bool(self.stream_options and self.stream_options.include_usage)


class CompletionLogprobs(WireModel):
    tokens: list[str] | None = None
    token_logprobs: list[float | None] | None = None
    top_logprobs: list[dict[str, float] | None] | None = None
    text_offset: list[int] | None = None


class CompletionChoice(WireModel):
    index: int = 0
    text: str = ""
    logprobs: CompletionLogprobs | None = None
    finish_reason: CompletionFinishReason | None = None

    @model_serializer(mode="wrap")
    def _always_present(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # OpenAI always sends both keys, null when unknown; clients index them directly.
        data: dict[str, Any] = handler(self)
        data.setdefault("logprobs", None)
        data.setdefault("finish_reason", None)
        return data


class CompletionResponse(WireModel):
    id: str
    object: Literal["text_completion"] = "text_completion"
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage | None = None
    system_fingerprint: str | None = None
    route: RouteInfo | None = Field(default=None, exclude=True)

    @property
    def text(self) -> str:
        """The first choice's text, or an empty string."""
        return self.choices[0].text if self.choices else ""


class CompletionChunk(WireModel):
    """One piece of a streamed completion; the usage-only chunk has no choices."""

    id: str
    object: Literal["text_completion"] = "text_completion"
    created: int
    model: str
    choices: list[CompletionChoice] = Field(default_factory=list)
    usage: Usage | None = None
    system_fingerprint: str | None = None

    @property
    def text(self) -> str:
        return self.choices[0].text if self.choices else ""
