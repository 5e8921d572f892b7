"""`source_segment` is `ast.get_source_segment` without re-splitting the source on every call:
it must give the same text for every node of every program, whatever the line endings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.lang.program import source_segment, split_source

CORPUS = Path(__file__).resolve().parent / "corpus"
TRICKY = [
    "x = 1\r\ny = 2\rz = x +\\\n y\n",
    "a = 'é✓中'; b = a + '∂'\n\x0cc = (1,\n  2)\n",
    "s = '''line\nline'''\nt = s\n",
    "x = [1,\r\n 2]\r\n",
    "v = 1",
]


def _agree(source: str) -> None:
    split = split_source(source)
    for node in ast.walk(ast.parse(source)):
        assert source_segment(split, node) == ast.get_source_segment(source, node), ast.dump(node)


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


# the corpus's programs that parse (a few keep the notes' typos: Python refuses them, so do we)
PROGRAMS = [path for path in sorted(CORPUS.glob("*/*.py")) if _parses(path.read_text())]


@pytest.mark.parametrize(
    "source",
    [path.read_text() for path in PROGRAMS] + TRICKY,
    ids=[path.name for path in PROGRAMS] + [f"tricky{i}" for i in range(5)],
)
def test_segments_agree_with_ast(source: str) -> None:
    _agree(source)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["x", "y_1", "é", "中文"]),
            st.text(alphabet="0123456789 +é✓", max_size=8),
            st.sampled_from(["\n", "\r\n", "\r", "\n\x0c", ";\n"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_segments_agree_on_generated_line_endings(lines: list[tuple[str, str, str]]) -> None:
    source = "".join(f"{name} = '{text}'{end}" for name, text, end in lines)
    _agree(source)
