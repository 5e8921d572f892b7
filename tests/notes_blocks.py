"""The code blocks of the study notes (tests/corpus/seeds/, copied from ../shared/seeds/).

A block is a fenced region (``` or ~~~, any info string) of a note. Blocks are numbered from 1 in
the order they appear in their note, so `004_57f8a590851dd438#12` names one block for good: the
copies here never change (the notes are what users paste, typos included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "corpus" / "seeds"
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})\s*([\w+-]*)")


@dataclass(frozen=True)
class Block:
    note: str  # the note's file stem
    number: int  # 1-based, in the note's order
    info: str  # the fence's info string (py, python, ...), lower case, maybe empty
    line: int  # 1-based line of the opening fence in the note
    text: str

    @property
    def name(self) -> str:
        return f"{self.note}#{self.number}"


def blocks(path: Path) -> list[Block]:
    """Every fenced block of one note; an unclosed fence runs to the end of the note."""
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    opened: tuple[str, str, int] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if opened is None and match:
            opened, body = (match.group(1), match.group(2).lower(), number), []
        elif (
            opened is not None
            and line.strip().startswith(opened[0][:3])
            and line.strip().strip(opened[0][0]) == ""
        ):
            out.append(Block(path.stem, len(out) + 1, opened[1], opened[2], "\n".join(body)))
            opened = None
        elif opened is not None:
            body.append(line)
    if opened is not None:
        out.append(Block(path.stem, len(out) + 1, opened[1], opened[2], "\n".join(body)))
    return out


def all_blocks() -> list[Block]:
    return [block for path in sorted(SEEDS.glob("*.txt")) for block in blocks(path)]
