"""Posting a batch to an HTTP API: status classification and size-bounded chunks.

2xx is delivered; 408, 429 and 5xx (and transport failures) raise ``DeliveryFailed`` so the
queue retries; any other status raises ``ExportRejected`` (retrying cannot help). Messages name
the sink and the status only: never the URL (a Slack webhook URL is a secret) or the body.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from switchboard.adapters.outbound.transport import Reply, Transport, TransportError
from switchboard.domain.ports.exporters import ExportRejected


class DeliveryFailed(Exception):
    """The API did not take the batch this time; it may next time."""


async def post(
    transport: Transport,
    sink: str,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
) -> Reply:
    try:
        reply = await transport.send(
            "POST", url, headers={"content-type": "application/json", **headers}, body=body, timeout=timeout
        )
    except TransportError as exc:
        raise DeliveryFailed(f"{sink}: {type(exc).__name__}") from None
    status = reply.status
    if 200 <= status < 300:
        return reply
    if status in (408, 429) or status >= 500:
        raise DeliveryFailed(f"{sink} answered {status}")
    raise ExportRejected(f"{sink} answered {status}")


def chunks(items: Sequence[bytes], max_items: int, max_bytes: int) -> Iterator[list[bytes]]:
    """Consecutive runs of ``items`` with at most ``max_items`` entries and ``max_bytes`` bytes
    in all (an item larger than ``max_bytes`` goes alone)."""
    chunk: list[bytes] = []
    size = 0
    for item in items:
        if chunk and (len(chunk) >= max_items or size + len(item) > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item) + 1
    if chunk:
        yield chunk


def json_array(encoded: Sequence[bytes]) -> bytes:
    """``[a,b,c]`` from already-encoded JSON values."""
    return b"[" + b",".join(encoded) + b"]"
