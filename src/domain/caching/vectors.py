"""Cosine similarity over plain float sequences (no numpy in the core).

Vectors are normalised once when stored, so comparing is one dot product per stored vector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import mul


def unit(vector: Sequence[float]) -> tuple[float, ...]:
    """``vector`` scaled to length 1; the zero vector stays zero (and matches nothing)."""
    norm = math.sqrt(math.fsum(v * v for v in vector))
    if norm == 0.0:
        return tuple(0.0 for _ in vector)
    return tuple(v / norm for v in vector)


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """The dot product; vectors of different lengths are unrelated (-inf)."""
    if len(a) != len(b):
        return -math.inf
    total: float = sum(map(mul, a, b))
    return total


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity in [-1, 1] (0 when either is the zero vector)."""
    return dot(unit(a), unit(b))


def best_match(query: Sequence[float], candidates: Sequence[tuple[str, Sequence[float]]]) -> tuple[str, float] | None:
    """The candidate (key, unit vector) most similar to the unit vector ``query``, with its score."""
    best: tuple[str, float] | None = None
    for key, vector in candidates:
        score = dot(query, vector)
        if best is None or score > best[1]:
            best = (key, score)
    if best is None or best[1] == -math.inf:
        return None
    return best
