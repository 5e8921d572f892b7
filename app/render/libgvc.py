"""Graphviz as a library: DOT text → SVG or PNG bytes in the calling process.

Through ctypes on the very libcgraph and libgvc that pygraphviz loaded (found in
/proc/self/maps, so they are the same instances its bindings use), with one Graphviz context
per process made by pygraphviz's `gvContextWithBuiltins` (its plugins: dot layout, SVG, PNG).
Against `AGraph(string=…).draw(…)` this saves a context per picture and pygraphviz's trip of
the DOT through a temporary file: ~0.4 of ~2 ms for a small graph. Same bytes (tested).
Workers only: a library call cannot be given a time limit (see layout.py).
"""

from __future__ import annotations

import ctypes
import threading
from functools import cache
from typing import Any


class GraphvizError(Exception):
    pass


class _Graphviz:
    def __init__(self, cgraph: ctypes.CDLL, gvc: ctypes.CDLL, context: int) -> None:
        cgraph.agmemread.restype = ctypes.c_void_p
        cgraph.agmemread.argtypes = [ctypes.c_char_p]
        cgraph.agclose.argtypes = [ctypes.c_void_p]
        gvc.gvLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
        gvc.gvFreeLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        gvc.gvRenderData.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_uint),
        ]
        gvc.gvFreeRenderData.argtypes = [ctypes.c_void_p]
        self.cgraph, self.gvc, self.context = cgraph, gvc, context
        self.lock = threading.Lock()  # one context: one picture at a time

    def draw(self, dot_source: str, fmt: str) -> bytes:
        with self.lock:
            graph = self.cgraph.agmemread(dot_source.encode("utf-8"))
            if not graph:
                raise GraphvizError("Graphviz could not read the DOT")
            try:
                if self.gvc.gvLayout(self.context, graph, b"dot") != 0:
                    raise GraphvizError("Graphviz could not lay the graph out")
                try:
                    data, size = ctypes.c_void_p(), ctypes.c_uint()
                    status = self.gvc.gvRenderData(
                        self.context, graph, fmt.encode(), ctypes.byref(data), ctypes.byref(size)
                    )
                    if status != 0 or not data:
                        raise GraphvizError(f"Graphviz could not draw {fmt}")
                    try:
                        return ctypes.string_at(data, size.value)
                    finally:
                        self.gvc.gvFreeRenderData(data)
                finally:
                    self.gvc.gvFreeLayout(self.context, graph)
            finally:
                self.cgraph.agclose(graph)


@cache
def graphviz() -> _Graphviz | None:
    """The library, or None where pygraphviz (and so libgvc) is not there."""
    try:
        from pygraphviz import graphviz as bindings
    except ImportError:
        return None
    context: Any = bindings.gvContextWithBuiltins()  # made before any graph is read: defaults
    paths = _loaded("libcgraph"), _loaded("libgvc")
    if None in paths:
        return None
    cgraph, gvc = (ctypes.CDLL(path) for path in paths)  # type: ignore[arg-type]
    return _Graphviz(cgraph, gvc, int(context))


def _loaded(name: str) -> str | None:
    """The file of a shared library this process has loaded, by its name's start."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if path.rsplit("/", 1)[-1].startswith(name + "-") or path.endswith(f"/{name}.so.6"):
                return path
    return None
