"""Graphviz through ctypes (app/render/libgvc.py) draws what pygraphviz draws, byte for byte,
refuses bad DOT with an error (never a crash), and does not grow the process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pygraphviz
import pytest

from app.pipeline import RunRequest, execute
from app.render import libgvc
from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "corpus" / "graph").glob("*.py"))


@pytest.fixture(scope="module")
def library() -> libgvc._Graphviz:
    found = libgvc.graphviz()
    assert found is not None  # pygraphviz is a dependency: its libgvc must be found
    return found


def _dot(path: Path) -> str:
    return (
        execute(RunRequest(source=path.read_text(), formats=("dot",)), Settings()).renderings["dot"]
        or ""
    )


def test_same_svg_as_pygraphviz_across_the_corpus(library: libgvc._Graphviz) -> None:
    drawn = 0
    for path in CORPUS:
        dot = _dot(path)
        if dot:
            ours = library.draw(dot, "svg")
            assert ours == pygraphviz.AGraph(string=dot).draw(format="svg", prog="dot"), path.name
            drawn += 1
    assert drawn > 80


def test_same_png_as_pygraphviz(library: libgvc._Graphviz) -> None:
    dot = _dot(CORPUS[0])
    png = library.draw(dot, "png")
    assert png.startswith(b"\x89PNG")
    assert png == pygraphviz.AGraph(string=dot).draw(format="png", prog="dot")


@pytest.mark.parametrize(
    "dot", ["digraph { a -> ", "not dot at all", 'digraph { a [label="open] ', ""]
)
def test_bad_dot_is_an_error(library: libgvc._Graphviz, dot: str) -> None:
    with pytest.raises(libgvc.GraphvizError):
        library.draw(dot, "svg")
    assert library.draw("digraph { a -> b }", "svg").startswith(b"<?xml")  # still works


def test_drawing_many_pictures_does_not_grow_the_process(library: libgvc._Graphviz) -> None:
    dot = _dot(CORPUS[0])
    for _ in range(200):
        library.draw(dot, "svg")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2000):
        library.draw(dot, "svg")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 2048, f"{grown_kib} KiB more after 2,000 pictures"


# torchviz's label for an unnamed tensor: an empty name, a line break, the shape
LEADING_BREAK = 'digraph {\n\tn0\n\tn1 [label="\n (4, 2)"]\n\tn1 -> n0\n}\n'


def _drawn_in_a_worker_like_process(dot: str) -> subprocess.CompletedProcess[bytes]:
    """Lays `dot` out as a worker does (in-process Graphviz preferred), in a process of its own:
    a crash there must not take the test run with it."""
    code = (
        "import sys\nfrom app.render.layout import layout, prefer_in_process\n"
        "prefer_in_process()\nsys.stdout.buffer.write(layout(sys.stdin.read(), 'svg', 30))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], input=dot.encode(), capture_output=True, env=env, timeout=60
    )


def test_a_label_that_starts_with_a_line_break_is_drawn_outside_the_library() -> None:
    """Graphviz's library crashes its process on such a label (the worker's, before: every nn
    program in the torchviz style lost its worker); the layout goes to a child process."""
    done = _drawn_in_a_worker_like_process(LEADING_BREAK)
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout.count(b'class="node"') == 2 and b"(4, 2)" in done.stdout
