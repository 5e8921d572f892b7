"""Math text → statements, each a column range of one line (so every error keeps its place).

Statements are separated by new lines, LaTeX's `\\\\`, `;` (also the full-width `；`), and a comma
outside brackets that is followed by another assignment (`a=x+w , b=w+1, y=a∗b` in the notes).
`$`/`$$` around a line are Typora's math delimiters and are skipped; `#` starts a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN, _CLOSE = "([{（［｛", ")]}）］｝"
_SEPARATORS = re.compile(r"\\\\|(?<!\\)[;；]")  # \; is LaTeX spacing
_NAME = r"(?:\\[A-Za-z]+\s*(?:\{[^{}]*\})?|[^\W\d]\w*)"
_ASSIGNMENT_NEXT = re.compile(rf"\s*{_NAME}\s*(?:[(（][^()（）]*[)）])?\s*[=＝]")


@dataclass(frozen=True, slots=True)
class Segment:
    line: int  # 1-based
    start: int  # first column of the statement in that line
    end: int  # column just after it


def segments(text: str) -> list[Segment]:
    """Every non-blank statement of `text`, in order."""
    out: list[Segment] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start, end = _strip_dollars(raw[: _comment_start(raw)])
        pieces = _split(raw, start, end)
        out.extend(Segment(lineno, a, b) for a, b in pieces if raw[a:b].strip())
    return out


def blank(raw: str, segment: Segment) -> str:
    """The line with everything outside `segment` turned into spaces (columns stay put)."""
    return " " * segment.start + raw[segment.start : segment.end]


def _comment_start(raw: str) -> int:
    k = raw.find("#")
    return len(raw) if k < 0 else k


def _strip_dollars(raw: str) -> tuple[int, int]:
    """The column range inside a leading and a trailing `$` or `$$`."""
    start, end = 0, len(raw.rstrip())
    while start < end and raw[start].isspace():
        start += 1
    for mark in ("$$", "$"):
        if raw.startswith(mark, start) and raw[start:end].endswith(mark) and end - start > 1:
            return start + len(mark), end - len(mark)
    return start, end


def _split(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cut = start
    for k in _cuts(raw, start, end):
        pieces.append((cut, k[0]))
        cut = k[1]
    pieces.append((cut, end))
    return pieces


def _cuts(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """(first, after) column pairs of every separator in raw[start:end]."""
    cuts = [(m.start(), m.end()) for m in _SEPARATORS.finditer(raw, start, end)]
    depth = 0
    for k in range(start, end):
        ch = raw[k]
        depth += (ch in _OPEN) - (ch in _CLOSE)
        after_backslash = k > 0 and raw[k - 1] == "\\"  # \, is LaTeX spacing
        if (
            ch in ",，"
            and depth == 0
            and not after_backslash
            and _ASSIGNMENT_NEXT.match(raw[k + 1 : end])
        ):
            cuts.append((k, k + 1))
    return sorted(cuts)
