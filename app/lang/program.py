"""A parsed, checked program: what `parse` hands to the engine."""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Program:
    source: str
    module: ast.Module
    lines: tuple[str, ...]

    def segment(self, node: ast.AST) -> str:
        """The source text of a statement, for the step list (first line only if it is long)."""
        text = ast.get_source_segment(self.source, node) or ""
        return text if len(text) <= 200 else text[:197] + "..."
