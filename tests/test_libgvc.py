"""Graphviz through ctypes (app/render/libgvc.py) draws what pygraphviz draws, byte for byte,
refuses bad DOT with an error (never a crash), and does not grow the process."""

from __future__ import annotations

import resource
from pathlib import Path

import pygraphviz
import pytest

from app.pipeline import RunRequest, execute
from app.render import libgvc
from app.settings import Settings

CORPUS = sorted((Path(__file__).resolve().parent / "corpus" / "graph").glob("*.py"))


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
