"""Token counting, as the core sees it."""

from __future__ import annotations

from typing import Protocol


class TokenCounter(Protocol):
    """Counts tokens the way a model family does, closely enough for limits and estimates."""

    def count(self, text: str, model: str = "") -> int:
        """Tokens in ``text`` for ``model`` (an estimate where the model's tokenizer is unknown)."""
        ...
