"""What the hot routes read straight from the ASGI scope: the caller's key and the body.

Litestar's ``Request.headers`` and ``Request.body()`` build framework objects on every call;
these read the same bytes directly, which matters at thousands of requests per second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.domain.errors import PayloadTooLarge, UnsupportedMediaType


def header(scope: Mapping[str, Any], name: bytes) -> bytes | None:
    """The first value of a (lower-case) header, or ``None``."""
    headers: Iterable[tuple[bytes, bytes]] = scope["headers"]
    for key, value in headers:
        if key == name:
            return value
    return None


def presented_key(scope: Mapping[str, Any]) -> str | None:
    """The key from ``Authorization: Bearer``, else ``x-api-key``, else ``api-key``."""
    bearer = api_key = None
    for key, value in scope["headers"]:
        if key == b"authorization" and value.strip():
            scheme, _, token = value.partition(b" ")
            if scheme.lower() != b"bearer" or not token.strip():
                return None
            bearer = token.strip()
            break
        if api_key is None and key in (b"x-api-key", b"api-key"):
            api_key = value
    chosen = bearer or api_key
    return chosen.decode("latin-1") if chosen else None


_TOO_LARGE = "The request body is larger than this gateway accepts ({limit} bytes)."
_NOT_JSON_TYPE = "This route reads a JSON body: send it with 'Content-Type: application/json' (not {media_type})."


def is_json_media_type(content_type: bytes) -> bool:
    """``application/json`` or a ``+json`` type, with any parameters (``; charset=utf-8``)."""
    media_type = content_type.partition(b";")[0].strip().lower()
    return media_type == b"application/json" or (
        media_type.startswith(b"application/") and media_type.endswith(b"+json")
    )


def unsupported_media_type(content_type: bytes) -> UnsupportedMediaType:
    return UnsupportedMediaType(_NOT_JSON_TYPE.format(media_type=content_type.decode("latin-1")[:100]))


async def read_body(receive: Any, scope: Mapping[str, Any], limit: int) -> bytes:
    """The whole JSON request body, refusing anything over ``limit`` bytes as soon as it is known,
    and a body declared as another media type (a missing ``Content-Type`` is taken as JSON)."""
    declared = content_type = None
    for key, value in scope["headers"]:  # one pass for both headers: this runs on every call
        if key == b"content-length":
            declared = value
        elif key == b"content-type":
            content_type = value
    if content_type is not None and content_type != b"application/json" and not is_json_media_type(content_type):
        raise unsupported_media_type(content_type)
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(_TOO_LARGE.format(limit=limit))
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body"):
        if len(body) > limit:
            raise PayloadTooLarge(_TOO_LARGE.format(limit=limit))
        return body
    parts = [body]
    size = len(body)
    while message.get("more_body"):
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(_TOO_LARGE.format(limit=limit))
        parts.append(chunk)
    return b"".join(parts)
