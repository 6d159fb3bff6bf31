"""Where an OpenAI-format request goes and with which headers, computed once per deployment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Target:
    """``url(path)`` is ``base + path + query``. ``key`` is the secret the headers carry, kept so
    error messages can be scrubbed of it."""

    base: str
    headers: Mapping[str, str]
    key: str
    query: str = ""

    def url(self, path: str) -> str:
        return self.base + path + self.query

    def headers_with(self, content_type: str) -> dict[str, str]:
        """The headers with another ``content-type`` (a multipart upload's boundary)."""
        return {**self.headers, "content-type": content_type}
