"""Splitting a recorded stream body every way a network could, for decoder tests."""

from __future__ import annotations

from collections.abc import Iterator


def every_split(body: bytes) -> Iterator[list[bytes]]:
    """The body cut in two at every byte offset, then delivered one byte at a time."""
    for offset in range(len(body) + 1):
        yield [body[:offset], body[offset:]]
    yield [body[i : i + 1] for i in range(len(body))]
