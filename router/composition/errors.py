"""Composition errors: which rule, which subgraphs, which type and field, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CompositionError:
    code: str
    """Stable, Apollo-compatible where a counterpart exists (e.g. INVALID_FIELD_SHARING)."""
    message: str
    subgraphs: tuple[str, ...] = ()
    coordinate: str | None = None
    """`Type` or `Type.field` the error is about."""
    hint: str | None = None
    """How to fix it."""

    def __str__(self) -> str:
        where = f" [{', '.join(self.subgraphs)}]" if self.subgraphs else ""
        fix = f" Fix: {self.hint}" if self.hint else ""
        return f"{self.code}{where} {self.message}{fix}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "subgraphs": list(self.subgraphs),
            "coordinate": self.coordinate,
            "hint": self.hint,
        }


@dataclass
class ErrorCollector:
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionError] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        coordinate: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.errors.append(CompositionError(code, message, tuple(subgraphs), coordinate, hint))

    def note(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        coordinate: str | None = None,
    ) -> None:
        self.hints.append(CompositionError(code, message, tuple(subgraphs), coordinate))
