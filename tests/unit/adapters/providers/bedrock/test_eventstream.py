from __future__ import annotations

import struct
import zlib

import pytest

from switchboard.adapters.outbound.providers.bedrock.eventstream import EventStreamDecoder, HeaderValue, MalformedFrame
from tests.support.bedrock_wire import botocore_messages, check_stream, encode_message, event
from tests.unit.adapters.providers.bedrock.fixture_files import stream


def decode_all(data: bytes, step: int | None = None) -> list[tuple[dict[str, HeaderValue], bytes]]:
    decoder = EventStreamDecoder()
    pieces = [data] if step is None else [data[i : i + step] for i in range(0, len(data), step)]
    return [(m.headers, m.payload) for piece in pieces for m in decoder.feed(piece)]


def test_the_fixture_streams_are_valid_converse_streams() -> None:
    for name in ("converse_stream_tool.json", "converse_stream_reasoning.json"):
        assert check_stream([stream(name)])


def test_messages_decode_as_botocore_decodes_them() -> None:
    data = stream("converse_stream_tool.json")
    assert decode_all(data) == botocore_messages([data])


def test_a_stream_split_at_any_byte_offset_decodes_the_same() -> None:
    data = stream("converse_stream_tool.json")
    whole = decode_all(data)
    for offset in range(1, len(data)):
        decoder = EventStreamDecoder()
        parts = decoder.feed(data[:offset]) + decoder.feed(data[offset:])
        assert [(m.headers, m.payload) for m in parts] == whole, offset
        assert decoder.pending == 0


def test_a_stream_fed_one_byte_at_a_time_decodes_the_same() -> None:
    data = stream("converse_stream_reasoning.json")
    assert decode_all(data, step=1) == decode_all(data)


def test_a_partial_message_waits_for_the_rest() -> None:
    frame = event("messageStart", {"role": "assistant"})
    decoder = EventStreamDecoder()
    assert decoder.feed(frame[:-1]) == []
    assert decoder.pending == len(frame) - 1
    [message] = decoder.feed(frame[-1:])
    assert message.header(":event-type") == "messageStart"
    assert message.payload == b'{"role":"assistant"}'


def test_every_header_value_type_decodes_as_botocore_decodes_it() -> None:
    ident = bytes(range(16))
    headers = (
        b"\x04true\x00"
        + b"\x05false\x01"
        + b"\x04byte\x02\xff"
        + b"\x05short\x03"
        + struct.pack(">h", -300)
        + b"\x03int\x04"
        + struct.pack(">i", 70000)
        + b"\x04long\x05"
        + struct.pack(">q", -(2**40))
        + b"\x05bytes\x06"
        + struct.pack(">H", 3)
        + b"\x00\x01\x02"
        + b"\x03str\x07"
        + struct.pack(">H", 5)
        + "héllo".encode()[:5]
        + b"\x04time\x08"
        + struct.pack(">q", 1700000000000)
        + b"\x04uuid\x09"
        + ident
    )
    payload = b'{"x":1}'
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + payload
    message += struct.pack(">I", zlib.crc32(message))
    [(ours, body)] = decode_all(message)
    [(reference, _)] = botocore_messages([message])
    assert body == payload
    assert ours.pop("time") == 1700000000000  # botocore turns timestamps into datetimes
    reference.pop("time")
    assert ours == reference


def test_a_corrupt_prelude_is_refused() -> None:
    frame = bytearray(encode_message({":message-type": "event"}, b"{}"))
    frame[9] ^= 0xFF
    with pytest.raises(MalformedFrame, match="prelude CRC"):
        EventStreamDecoder().feed(bytes(frame))


def test_a_corrupt_payload_is_refused() -> None:
    frame = bytearray(encode_message({":message-type": "event"}, b'{"text":"hello"}'))
    frame[-6] ^= 0x01
    with pytest.raises(MalformedFrame, match="message CRC"):
        EventStreamDecoder().feed(bytes(frame))


def test_an_impossible_length_is_refused_before_buffering_it() -> None:
    prelude = struct.pack(">II", 2**31, 0)
    with pytest.raises(MalformedFrame, match="length"):
        EventStreamDecoder().feed(prelude + struct.pack(">I", zlib.crc32(prelude)))


def test_an_unknown_header_type_is_refused() -> None:
    headers = b"\x01x\x0a"
    total = 12 + len(headers) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers
    message += struct.pack(">I", zlib.crc32(message))
    with pytest.raises(MalformedFrame, match="header value type"):
        EventStreamDecoder().feed(message)
