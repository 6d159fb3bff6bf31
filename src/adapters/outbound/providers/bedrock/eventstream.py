"""AWS event-stream framing (``application/vnd.amazon.eventstream``): an incremental decoder.

One message on the wire::

    total length (u32) | headers length (u32) | prelude CRC32 (u32)     the 12-byte prelude
    headers            (name len u8, name, type u8, value)...
    payload            (total - headers - 16 bytes)
    message CRC32 (u32)                                               over everything before it

All integers are big-endian; both CRCs are verified. Feed bytes as they arrive, split anywhere;
``feed`` returns the messages completed so far. Reference:
https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html (event stream encoding),
and botocore's ``botocore/eventstream.py``, which the tests use as the reference decoder.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

HeaderValue = bool | int | bytes | str  # timestamps as epoch milliseconds, UUIDs as 16 bytes

_PRELUDE = struct.Struct(">III")
_PRELUDE_LENGTH = 12
_CRC_LENGTH = 4
_MIN_MESSAGE = _PRELUDE_LENGTH + _CRC_LENGTH
# botocore's limits: a message is at most 16 MiB, its headers at most 128 KiB.
MAX_MESSAGE_LENGTH = 16 * 1024**2
MAX_HEADERS_LENGTH = 128 * 1024

_INTEGERS = {2: struct.Struct(">b"), 3: struct.Struct(">h"), 4: struct.Struct(">i"), 5: struct.Struct(">q")}
_U16 = struct.Struct(">H")
_TIMESTAMP = 8
_UUID = 9


class MalformedFrame(ValueError):
    """The bytes are not a valid event-stream message (bad length, bad CRC, bad header)."""


@dataclass(frozen=True, slots=True)
class EventMessage:
    """One decoded message: its headers (``:message-type``, ``:event-type``...) and raw payload."""

    headers: dict[str, HeaderValue]
    payload: bytes

    def header(self, name: str) -> str:
        """A string header's value, or an empty string when absent or not a string."""
        value = self.headers.get(name)
        return value if isinstance(value, str) else ""


def decode_headers(data: bytes) -> dict[str, HeaderValue]:
    """The header block of one message. Raises ``MalformedFrame`` on a truncated or unknown header."""
    headers: dict[str, HeaderValue] = {}
    view = memoryview(data)
    at, end = 0, len(data)
    try:
        while at < end:
            name_length = view[at]
            name = bytes(view[at + 1 : at + 1 + name_length]).decode()
            at += 1 + name_length
            kind = view[at]
            at += 1
            value: HeaderValue
            if kind in (0, 1):
                value = kind == 0
            elif kind in _INTEGERS:
                codec = _INTEGERS[kind]
                (value,) = codec.unpack_from(view, at)
                at += codec.size
            elif kind in (6, 7):
                (length,) = _U16.unpack_from(view, at)
                raw = bytes(view[at + 2 : at + 2 + length])
                if len(raw) != length:
                    raise MalformedFrame("a header value runs past the header block")
                value = raw.decode() if kind == 7 else raw
                at += 2 + length
            elif kind == _TIMESTAMP:
                (value,) = _INTEGERS[5].unpack_from(view, at)
                at += 8
            elif kind == _UUID:
                value = bytes(view[at : at + 16])
                at += 16
            else:
                raise MalformedFrame(f"unknown header value type {kind}")
            if at > end:
                raise MalformedFrame("a header runs past the header block")
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, MalformedFrame):
            raise
        raise MalformedFrame(f"unreadable header block: {exc}") from exc
    return headers


class EventStreamDecoder:
    """Bytes in, ``EventMessage`` values out; keeps a partial message between calls."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes held back as the start of an unfinished message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[EventMessage]:
        buffer = self._buffer
        buffer += data
        messages: list[EventMessage] = []
        start = 0
        size = len(buffer)
        while size - start >= _PRELUDE_LENGTH:
            total, headers_length, prelude_crc = _PRELUDE.unpack_from(buffer, start)
            if zlib.crc32(buffer[start : start + 8]) != prelude_crc:
                raise MalformedFrame("prelude CRC mismatch")
            if total < _MIN_MESSAGE or total > MAX_MESSAGE_LENGTH:
                raise MalformedFrame(f"impossible message length {total}")
            if headers_length > MAX_HEADERS_LENGTH or headers_length > total - _MIN_MESSAGE:
                raise MalformedFrame(f"impossible headers length {headers_length}")
            if size - start < total:
                break
            end = start + total
            (message_crc,) = struct.unpack_from(">I", buffer, end - _CRC_LENGTH)
            if zlib.crc32(buffer[start : end - _CRC_LENGTH]) != message_crc:
                raise MalformedFrame("message CRC mismatch")
            headers_start = start + _PRELUDE_LENGTH
            payload_start = headers_start + headers_length
            headers = decode_headers(bytes(buffer[headers_start:payload_start]))
            messages.append(EventMessage(headers, bytes(buffer[payload_start : end - _CRC_LENGTH])))
            start = end
        if start:
            del buffer[:start]
        return messages
