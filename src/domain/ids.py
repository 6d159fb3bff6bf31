"""Identifiers that sort by the time they were made (UUID version 7, RFC 9562).

Rows keyed by them land at the end of a database index instead of all over it: for the spend
log, random keys made every insert touch pages across the whole index, and the database's
writes and checkpoints cost several times the insert itself.
"""

from __future__ import annotations

_VERSION = 0x7 << 76
_VARIANT = 0x2 << 62
_CLEAR = ~((0xF << 76) | (0x3 << 62))


def uuid7_hex(unix_ms: int, random_bits: int) -> str:
    """32 hex digits: 48 bits of milliseconds since the epoch, then the version, the variant
    and 74 bits of ``random_bits`` (80 bits; those under the version and variant are dropped)."""
    if not 0 <= random_bits < 1 << 80:
        raise ValueError("uuid7_hex needs 80 random bits")
    value = ((unix_ms & 0xFFFF_FFFF_FFFF) << 80 | random_bits) & _CLEAR
    return f"{value | _VERSION | _VARIANT:032x}"
