"""Time-ordered identifiers (UUID version 7)."""

from __future__ import annotations

import uuid

import pytest

from switchboard.domain.ids import uuid7_hex

ZEROS, ONES = 0, (1 << 80) - 1


def test_an_id_is_a_version_7_uuid_of_the_rfc_variant() -> None:
    parsed = uuid.UUID(hex=uuid7_hex(1_795_000_000_000, 0x0102030405060708090A))
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_an_id_carries_its_millisecond_in_the_first_48_bits() -> None:
    assert uuid7_hex(1_795_000_000_123, ONES)[:12] == f"{1_795_000_000_123:012x}"


def test_a_later_millisecond_sorts_after_any_randomness_of_an_earlier_one() -> None:
    assert uuid7_hex(1_000, ONES) < uuid7_hex(1_001, ZEROS)


def test_the_random_bytes_fill_the_rest() -> None:
    assert uuid7_hex(5, ZEROS) != uuid7_hex(5, 1)


def test_an_id_is_32_lower_case_hex_digits() -> None:
    made = uuid7_hex(2**48 - 1, ONES)
    assert len(made) == 32
    assert made == made.lower()
    int(made, 16)


@pytest.mark.parametrize("bits", [-1, 1 << 80])
def test_the_random_part_must_be_80_bits(bits: int) -> None:
    with pytest.raises(ValueError, match="80 random bits"):
        uuid7_hex(1, bits)
