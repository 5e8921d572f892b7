"""Running Graphviz: DOT in, SVG or PNG out, behind one function.

The default engine is graphviz-pure (a Rust port of Graphviz 16.1 installed from PyPI with the
app: ~2 ms a small graph, the same bytes on every machine); Debian's `dot` is the fallback
(~10 ms, most of it process start-up). `bench/` measures both. Each render is a fresh process, so
a layout that runs past its time limit is killed and never takes the server with it. Worker
processes instead call Graphviz's library in-process (libgvc.py) for small pictures, the
pictures of nearly every lesson; a larger one, whose layout may take seconds (or crash
Graphviz), goes to a child process under the time limit there too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from app.render import libgvc

# A picture of more statements (nodes and edges: ~80 nodes of ours) is laid out in a child
# process even in a worker: there a process start costs less than the layout, and a time limit
# can be kept.
IN_PROCESS_MAX_STATEMENTS = 200
# Graphviz's library (the libgvc pygraphviz links) crashes the process laying out a graph with
# an edge and a node whose label starts with a line break, which torchviz writes for every
# unnamed tensor (`"\n (4, 2)"`: an nn.Module's parameters); the `dot` program and graphviz-pure
# draw it. Such a picture is laid out in a child process, where a crash costs only the picture.
_CRASHES_THE_LIBRARY = re.compile(r'label="(?:\n|\\n)')


class LayoutError(Exception):
    """Graphviz failed or ran past its time limit."""


@lru_cache(maxsize=1)
def engines() -> tuple[tuple[str, str], ...]:
    """(name, executable) for every layout engine found, preferred first."""
    found = []
    pure = Path(sys.executable).parent / "graphviz-pure"
    if pure.exists():
        found.append(("graphviz-pure", str(pure)))
    elif shutil.which("graphviz-pure"):
        found.append(("graphviz-pure", str(shutil.which("graphviz-pure"))))
    if shutil.which("dot"):
        found.append(("dot", str(shutil.which("dot"))))
    return tuple(found)


_in_process = False


def prefer_in_process() -> None:
    """Called by worker processes: lay out with Graphviz as a library (libgvc.py, ~1.5 ms),
    since spawning a program from a process that holds torch costs several ms. A library call
    cannot be given a time limit, so only a worker — which the pool kills past its wall time —
    may use it; never the web process or one of its threads."""
    global _in_process
    _in_process = libgvc.graphviz() is not None


def layout(dot_source: str, fmt: str, timeout: float, engine: str | None = None) -> bytes:
    """Lay out and draw; `fmt` is 'svg' or 'png'. Tries the next engine if one is missing."""
    small = dot_source.count("\n\t") <= IN_PROCESS_MAX_STATEMENTS
    safe = small and not _CRASHES_THE_LIBRARY.search(dot_source)
    if _in_process and (engine == "pygraphviz" or (engine is None and safe)):
        return _layout_in_process(dot_source, fmt)
    candidates = [e for e in engines() if engine in (None, e[0])]
    if engine is None and not dot_source.isascii():
        # graphviz-pure measures ASCII only (any other letter is a space wide) and draws no CJK
        # or arrow glyphs: a label in 中文, Greek or with "×" goes to a fontconfig engine first.
        candidates.sort(key=lambda found: found[0] == "graphviz-pure")
    if not candidates:
        raise LayoutError("no Graphviz layout engine is installed (graphviz-pure or dot)")
    name, executable = candidates[0]
    try:
        done = subprocess.run(
            [executable, f"-T{fmt}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LayoutError(f"the layout took longer than {timeout} s") from None
    if done.returncode != 0:
        raise LayoutError(f"{name} failed: {done.stderr.decode('utf-8', 'replace')[:300]}")
    return done.stdout


def _layout_in_process(dot_source: str, fmt: str) -> bytes:
    library = libgvc.graphviz()
    if library is None:
        raise LayoutError("Graphviz's library is not available")
    try:
        return library.draw(dot_source, fmt)
    except libgvc.GraphvizError as exc:
        raise LayoutError(str(exc)) from None
