"""torchviz's picture, grouped as the playground's is: its nodes inside the clusters of the module
calls that made them, a shut call or a fold drawn as one box in place of its nodes (with the
edges that cross its border meeting the box), by the very rules of app/render/modules.py and
folds.py. torchviz's own nodes, labels and colours stay as torchviz drew them.

The graph's module calls and folds name the graph's node ids; `ids` (from
app/trace/torchviz_style.py) says which torchviz node is which graph node, so each call and fold
is first restated in torchviz's names. A torchviz node the graph has no id for (a custom
Function's saved tensor) belongs to no call. A picture with neither calls nor folds is returned
as torchviz wrote it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.render import folds, modules
from app.render.palette import Palette
from app.trace.model import Graph

# one DOT statement of torchviz's: a tab, then text and quoted strings (a label may hold a line
# break, `"net.0.weight\n (4, 2)"`), to the end of its line
_STATEMENT = re.compile(r'\t(?:"(?:[^"\\]|\\.)*"|[^"\n])*\n')
_NODE = re.compile(r"\t(n\d+) \[")
_EDGE = re.compile(r"\t(n\d+) -> (n\d+)(.*)", re.S)


def grouped(
    dot: str,
    nodes: int,
    graph: Graph,
    ids: dict[str, str],
    look: tuple[frozenset[str], Palette, str],
) -> tuple[str, int]:
    """torchviz's DOT of `nodes` nodes with the graph's module calls and folds drawn, and how
    many nodes it now draws (a box counts one; never more than torchviz's count, which the
    picture's gate has seen). `look`: the calls shut, the palette, the language."""
    collapsed, colours, lang = look
    named = _in_torchviz_names(graph, ids)
    if not named.modules and not named.groups:
        return dot, nodes
    where = modules.plan(named, collapsed, folds.folded_ids(named))
    head, placed, edges = [], [], []
    for statement in _STATEMENT.findall(dot):
        node, edge = _NODE.match(statement), _EDGE.fullmatch(statement)
        if edge is not None:
            edges.append(edge)
        elif node is None:
            head.append(statement)  # torchviz's graph and node defaults
        elif node[1] not in where.hidden:
            placed.append((statement, where.place.get(node[1])))
    shown = set(where.hidden.values())
    placed += [(line, None) for line in folds.fold_nodes(named, shown, lang, colours)]
    placed += [(modules.box_node(m, colours), where.place.get(m.id)) for m in where.boxes]
    body = modules.nest(placed, where, colours)
    drawn = min(nodes, len(placed))
    return "digraph {\n" + "".join(head + body + _edges(edges, where.hidden)) + "}\n", drawn


def _in_torchviz_names(graph: Graph, ids: dict[str, str]) -> Graph:
    """The graph's module calls and folds holding torchviz's names of their nodes (those it
    draws); calls and folds holding none of them are left out, and so are their children."""
    names: dict[str, list[str]] = {}
    for name, node in ids.items():
        names.setdefault(node, []).append(name)

    def restated(nodes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for node in nodes for name in names.get(node, ()))

    calls = [replace(m, nodes=restated(m.nodes)) for m in graph.modules]
    kept = {m.id for m in calls if m.nodes}
    parents = {m.id: m.parent for m in graph.modules}
    calls = [replace(m, parent=_kept(m.parent, parents, kept)) for m in calls if m.id in kept]
    groups = [replace(g, nodes=restated(g.nodes)) for g in graph.groups]
    return Graph(
        nodes=(), edges=(), backward_order=(), modules=tuple(calls),
        groups=tuple(g for g in groups if g.nodes),
    )  # fmt: skip


def _kept(parent: str | None, parents: dict[str, str | None], kept: set[str]) -> str | None:
    """The nearest enclosing call that is kept."""
    while parent is not None and parent not in kept:
        parent = parents.get(parent)
    return parent


def _edges(edges: list[re.Match[str]], hidden: dict[str, str]) -> list[str]:
    """torchviz's edges as drawn: inside a box gone, across its border meeting the box (once
    per pair of ends), the others as torchviz wrote them (`x * x`: two edges from x's op)."""
    seen: set[tuple[str, str]] = set()
    lines = []
    for edge in edges:
        source, target = hidden.get(edge[1], edge[1]), hidden.get(edge[2], edge[2])
        moved = (source, target) != (edge[1], edge[2])
        if source == target or (moved and (source, target) in seen):
            continue
        seen.add((source, target))
        lines.append(edge[0] if not moved else f"\t{source} -> {target}{edge[3]}")
    return lines
