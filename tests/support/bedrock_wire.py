"""Bedrock's wire format for tests: an event-stream encoder, and checks against botocore's own
``bedrock-runtime`` service model, so fixtures and outbound bodies cannot drift from the real API.

- ``check_request``: a Converse body round-trips through botocore (parsed with the rest-json
  parser, validated with ``ParamValidator``, re-serialized, compared), so unknown keys, wrong
  types and bad base64 fail; ``enum_errors`` adds the enum check that ``ParamValidator`` skips.
- ``check_response``: the same for a Converse response body.
- ``check_stream``: botocore's ``EventStream`` decodes our frames and each event validates against
  its shape.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import botocore.session
import orjson
from botocore.eventstream import EventStream, EventStreamBuffer
from botocore.model import OperationModel, Shape
from botocore.parsers import EventStreamJSONParser, create_parser
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator


@functools.cache
def operation(name: str) -> OperationModel:
    return botocore.session.get_session().get_service_model("bedrock-runtime").operation_model(name)


def enum_errors(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Enum violations, which ``ParamValidator`` does not report."""
    errors: list[str] = []
    if shape.type_name == "string" and shape.enum and isinstance(value, str) and value not in shape.enum:
        errors.append(f"{path}: {value!r} not in {shape.enum}")
    elif shape.type_name == "structure" and isinstance(value, Mapping):
        if shape.metadata.get("document"):
            return errors
        for key, item in value.items():
            if key in shape.members:
                errors.extend(enum_errors(item, shape.members[key], f"{path}.{key}"))
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            errors.extend(enum_errors(item, shape.member, f"{path}[{index}]"))
    elif shape.type_name == "map" and isinstance(value, Mapping):
        for key, item in value.items():
            errors.extend(enum_errors(item, shape.value, f"{path}.{key}"))
    return errors


def _parsed(body: bytes, shape: Shape) -> dict[str, Any]:
    parsed: dict[str, Any] = create_parser("rest-json").parse({"status_code": 200, "headers": {}, "body": body}, shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def check_request(body: Mapping[str, Any], operation_name: str = "Converse") -> None:
    """Raise AssertionError unless ``body`` is exactly a valid Converse/ConverseStream body."""
    op = operation(operation_name)
    raw = orjson.dumps(body)
    params = {**_parsed(raw, op.input_shape), "modelId": "anthropic.claude-3-haiku-20240307-v1:0"}
    report = ParamValidator().validate(params, op.input_shape)
    assert not report.has_errors(), report.generate_report()
    assert not enum_errors(params, op.input_shape), enum_errors(params, op.input_shape)
    serialized = create_serializer("rest-json", include_validation=True).serialize_to_request(params, op)
    assert orjson.loads(serialized["body"]) == orjson.loads(raw), "keys the service model does not know"


def check_response(body: Mapping[str, Any]) -> None:
    """Raise AssertionError unless ``body`` is a valid Converse response (strictly: no unknown keys)."""
    shape = operation("Converse").output_shape
    parsed = _parsed(orjson.dumps(body), shape)
    report = ParamValidator().validate(parsed, shape)
    assert not report.has_errors(), report.generate_report()
    assert not enum_errors(parsed, shape), enum_errors(parsed, shape)
    assert set(parsed) == set(body), f"unknown keys: {set(body) - set(parsed)}"


# --- event stream ----------------------------------------------------------------------------


def _string_header(name: str, value: str) -> bytes:
    encoded_name, encoded_value = name.encode(), value.encode()
    return (
        struct.pack(">B", len(encoded_name))
        + encoded_name
        + b"\x07"
        + struct.pack(">H", len(encoded_value))
        + encoded_value
    )


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One event-stream message with string headers (the only kind Bedrock sends)."""
    header_bytes = b"".join(_string_header(k, v) for k, v in headers.items())
    total = 12 + len(header_bytes) + len(payload) + 4
    prelude = struct.pack(">II", total, len(header_bytes))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + header_bytes + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(event_type: str, payload: Mapping[str, Any]) -> bytes:
    headers = {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"}
    return encode_message(headers, orjson.dumps(payload))


def exception(exception_type: str, message: str) -> bytes:
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return encode_message(headers, orjson.dumps({"message": message}))


def botocore_messages(frames: Iterable[bytes]) -> list[tuple[dict[str, Any], bytes]]:
    """``(headers, payload)`` of each message, decoded by botocore's reference decoder."""
    buffer = EventStreamBuffer()
    out: list[tuple[dict[str, Any], bytes]] = []
    for frame in frames:
        buffer.add_data(frame)
        out.extend((dict(m.headers), m.payload) for m in buffer)
    return out


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self) -> Iterable[bytes]:
        yield self._data

    def close(self) -> None:
        pass


def check_stream(
    frames: Iterable[bytes], operation_name: str = "ConverseStream", member: str = "stream"
) -> list[dict[str, Any]]:
    """The events botocore decodes from ``frames``, each validated against its event shape.

    Events are returned as ``{event name: payload}``; an exception message raises botocore's
    ``EventStreamError``, as it would for a real client.
    """
    op = operation(operation_name)
    stream_shape = op.output_shape.members[member]
    decoded = list(EventStream(_Raw(b"".join(frames)), stream_shape, EventStreamJSONParser(), operation_name))
    for item in decoded:
        for name, payload in item.items():
            shape = stream_shape.members[name]
            report = ParamValidator().validate(payload, shape)
            assert not report.has_errors(), report.generate_report()
            assert not enum_errors(payload, shape), enum_errors(payload, shape)
    return decoded
