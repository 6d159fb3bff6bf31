"""Token usage, as OpenAI reports it, with cache and reasoning details."""

from __future__ import annotations

from switchboard.domain.messages import WireModel


class PromptTokensDetails(WireModel):
    cached_tokens: int | None = None
    cache_creation_tokens: int | None = None
    audio_tokens: int | None = None


class CompletionTokensDetails(WireModel):
    reasoning_tokens: int | None = None
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class Usage(WireModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None

    @classmethod
    def of(
        cls,
        prompt: int,
        completion: int,
        *,
        cached: int | None = None,
        cache_creation: int | None = None,
        reasoning: int | None = None,
    ) -> Usage:
        """Usage with ``total_tokens`` computed, and details only where something is known."""
        prompt_details = (
            PromptTokensDetails(cached_tokens=cached, cache_creation_tokens=cache_creation)
            if cached is not None or cache_creation is not None
            else None
        )
        completion_details = CompletionTokensDetails(reasoning_tokens=reasoning) if reasoning is not None else None
        return cls(
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=prompt + completion,
            prompt_tokens_details=prompt_details,
            completion_tokens_details=completion_details,
        )

    @property
    def cached_tokens(self) -> int:
        details = self.prompt_tokens_details
        return (details.cached_tokens or 0) if details else 0

    @property
    def reasoning_tokens(self) -> int:
        details = self.completion_tokens_details
        return (details.reasoning_tokens or 0) if details else 0
