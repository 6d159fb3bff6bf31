"""A configuration problem and where it is: the leaf every configuration module reports with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PathParts = tuple[int | str, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else (self.path or "<config>")
        return f"{self.severity}: {where}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n" + "\n".join(f"  {p}" for p in problems))


def dotted(parts: PathParts) -> str:
    """``("model_list", 0, "model")`` -> ``model_list[0].model``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def split_path(path: str) -> PathParts:
    """The inverse of ``dotted``."""
    parts: list[int | str] = []
    for piece in path.replace("[", ".[").split("."):
        if not piece:
            continue
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return tuple(parts)
