"""A parsed, checked program: what `parse` hands to the engine."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

# Lines as ast.get_source_segment splits them (only \r\n, \r and \n end a line; form feeds
# do not), with their ends: that function re-splits the whole source, a character at a time,
# on every call — once per statement and per graph node — so we split once and keep the lines.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_source(source: str) -> tuple[str, ...]:
    return tuple(_LINE.findall(source))


def source_segment(split: tuple[str, ...], node: ast.AST) -> str | None:
    """`ast.get_source_segment(source, node)` over `split_source(source)` (columns are UTF-8
    byte offsets, as ast gives them)."""
    end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
    if end_line is None or end_col is None:
        return None
    first, last, col = node.lineno - 1, end_line - 1, node.col_offset  # type: ignore[attr-defined]
    if first == last:
        return split[first].encode()[col:end_col].decode()
    head = split[first].encode()[col:].decode()
    tail = split[last].encode()[:end_col].decode()
    return "".join((head, *split[first + 1 : last], tail))


@dataclass(frozen=True, slots=True)
class Program:
    source: str
    module: ast.Module
    lines: tuple[str, ...]
    split: tuple[str, ...] = field(repr=False)  # split_source(source)

    def segment(self, node: ast.AST) -> str:
        """The source text of a statement, for the step list (first line only if it is long)."""
        text = source_segment(self.split, node) or ""
        return text if len(text) <= 200 else text[:197] + "..."
