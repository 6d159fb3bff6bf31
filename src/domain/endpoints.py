"""The endpoints a provider may serve, as its declaration names them."""

from __future__ import annotations

from enum import StrEnum


class Endpoint(StrEnum):
    """One kind of call a provider's API answers. The order is the one documentation lists them in."""

    CHAT = "chat"
    EMBEDDINGS = "embeddings"
    COMPLETIONS = "completions"
    IMAGES = "images"
    TRANSCRIPTIONS = "transcriptions"
    SPEECH = "speech"
    MESSAGES = "messages"
    RESPONSES = "responses"

    @property
    def description(self) -> str:
        """What a caller asked for, in words (``"Provider 'x' does not offer <description>."``)."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Endpoint.CHAT: "chat completions",
    Endpoint.EMBEDDINGS: "embeddings",
    Endpoint.COMPLETIONS: "text completions",
    Endpoint.IMAGES: "image generation",
    Endpoint.TRANSCRIPTIONS: "audio transcription",
    Endpoint.SPEECH: "text to speech",
    Endpoint.MESSAGES: "Anthropic Messages, natively",
    Endpoint.RESPONSES: "the Responses API natively",
}
