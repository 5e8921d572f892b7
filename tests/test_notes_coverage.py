"""Every code block of the five study notes is accounted for: in the parity suite as a student
would run it (a corpus program names the blocks it is built from in a `# notes:` line), or outside
it for a stated reason, or still pending (the list shrinks to empty; it is the work left)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.notes_blocks import all_blocks

HERE = Path(__file__).resolve().parent / "corpus"
PARITY = HERE / "parity"
OUTSIDE = HERE / "notes" / "outside.txt"
PENDING = HERE / "notes" / "pending.txt"
REASONS = {
    "shell",  # a command line (pip, conda, tensorboard), not Python
    "output",  # what a program printed, pasted as a block
    "not-pytorch",  # Python that uses no torch at all (plain lists, pandas, matplotlib alone)
    "fragment",  # a signature or pseudo-code, not a program (e.g. `def f(x: ...)` with `...`)
    "io",  # its point is a file, a window or a download (SummaryWriter logs, PIL.Image.open,
    # cv2, plt.show); its torch part, if any, is covered by the program named after the colon
}
NOTES_LINE = re.compile(r"^# notes: (.+)$", re.MULTILINE)


def _covered() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(PARITY.glob("*.py")):
        for match in NOTES_LINE.finditer(path.read_text(encoding="utf-8")):
            for name in re.split(r"[,\s]+", match.group(1).strip()):
                out.setdefault(name, []).append(path.name)
    return out


def _listed(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


BLOCKS = {block.name: block for block in all_blocks()}


def test_every_block_is_covered_outside_or_pending_and_only_one() -> None:
    covered, outside, pending = set(_covered()), set(_listed(OUTSIDE)), set(_listed(PENDING))
    assert covered | outside | pending >= set(BLOCKS), sorted(
        set(BLOCKS) - covered - outside - pending
    )
    assert not (covered | outside | pending) - set(BLOCKS), "names of blocks that do not exist"
    assert not covered & outside and not covered & pending and not outside & pending


@pytest.mark.parametrize("name", sorted(_listed(OUTSIDE)))
def test_a_block_left_outside_says_why(name: str) -> None:
    reason = _listed(OUTSIDE)[name].split(":")[0]
    assert reason in REASONS, f"{name}: '{reason}' is not one of {sorted(REASONS)}"
    if reason == "not-pytorch":
        assert "torch" not in BLOCKS[name].text


def test_shell_blocks_are_never_python() -> None:
    """A command line a note fenced as python (`pip install`, `conda install`, `jupyter
    notebook`) is still not Python: it does not parse."""
    for name, reason in _listed(OUTSIDE).items():
        if reason.startswith("shell") and BLOCKS[name].info in {"python", "py"}:
            with pytest.raises(SyntaxError):
                ast.parse(BLOCKS[name].text)
