"""The bytes stored for one cached answer: a one-line header, then the answer's JSON.

    b"sb1 1732712345.123 <deployment id> <provider>\\n{...answer JSON...}"

The header tells an entry's age (for ``s-maxage``) and which deployment first gave the answer,
without parsing the answer; the version tag lets a later format read older entries as misses
instead of failing. Whitespace in the ids is replaced, so the header stays one line of four fields.
"""

from __future__ import annotations

from dataclasses import dataclass

_MAGIC = b"sb1 "


@dataclass(frozen=True, slots=True)
class Entry:
    stored_at: float  # epoch seconds
    body: bytes
    deployment: str = ""
    provider: str = ""

    def age(self, now: float) -> float:
        return max(0.0, now - self.stored_at)


def _field(value: str) -> bytes:
    return ("_".join(value.split()) or "-").encode()


def encode_entry(stored_at: float, body: bytes, *, deployment: str = "", provider: str = "") -> bytes:
    return b"%s%.3f %s %s\n%s" % (_MAGIC, stored_at, _field(deployment), _field(provider), body)


def decode_entry(raw: bytes) -> Entry | None:
    """The entry in ``raw``, or ``None`` for bytes in another (older or foreign) format."""
    if not raw.startswith(_MAGIC):
        return None
    end = raw.find(b"\n", len(_MAGIC))
    if end < 0:
        return None
    fields = raw[len(_MAGIC) : end].split(b" ")
    if len(fields) != 3:
        return None
    try:
        stored_at = float(fields[0])
    except ValueError:
        return None
    deployment, provider = (f.decode(errors="replace") for f in fields[1:])
    return Entry(
        stored_at, raw[end + 1 :], "" if deployment == "-" else deployment, "" if provider == "-" else provider
    )
