"""Text a caller sets that the gateway keeps in its rows (the end user's id in ``user``): bounded
at the edge, so a row can always be stored, and without NUL, which PostgreSQL text refuses."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

MAX_STORED_TEXT = 256  # the width of the text columns a caller's value lands in


def without_nul(value: str) -> str:
    """``value`` with every NUL character removed."""
    return value.replace("\x00", "") if "\x00" in value else value


StoredText = Annotated[str, StringConstraints(max_length=MAX_STORED_TEXT), AfterValidator(without_nul)]
"""A caller's text the gateway stores: over 256 characters is a 400 naming the field; NUL is dropped."""
