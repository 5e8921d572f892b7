"""Keeping a picture readable: past a node count, show the part nearest the outputs and say so.

The cut is made on the picture as drawn: a fold's box or a shut module call's box counts as one
node and is kept or left out whole, with every node it stands for. The folds and module calls
that keep a node (or their box) stay, cut to the nodes kept, so a kept part of a loop is still a
`×N` box and a kept part of a call still sits in its cluster; no edge leads out of the picture.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import replace

from app.trace.model import Graph, TensorNode
from app.trace.slim import drawn


def summarise(graph: Graph, max_nodes: int, hidden: Mapping[str, str] | None = None) -> Graph:
    """The graph as drawn, or past `max_nodes` drawn nodes (boxes counted one each) the ones
    nearest the outputs. `hidden`: node → the box drawn in its place (by default the folds')."""
    hidden = folded(graph) if hidden is None else hidden
    if len({hidden.get(node.id, node.id) for node in graph.nodes}) <= max_nodes:
        return graph
    kept = _nearest_outputs(graph, max_nodes, hidden)
    keep = {node.id for node in graph.nodes if hidden.get(node.id, node.id) in kept}
    cut, _ = drawn(graph, keep)  # the same cut as a slim answer's: nodes, edges, calls, errors
    note = (
        f"The graph has {len(graph.nodes)} nodes; the picture shows the {len(kept)} nearest "
        "the output. The full graph is in the JSON (formats: graph)."
    )
    return replace(
        cut,
        notes=(*graph.notes, note),
        groups=tuple(group for group in cut.groups if group.nodes),
        modules=tuple(module for module in cut.modules if module.nodes),
        made_in=graph.made_in,
    )


def drawn_nodes(graph: Graph) -> int:
    folds = sum(len(group.nodes) for group in graph.groups)
    return len(graph.nodes) - folds + len(graph.groups)


def folded(graph: Graph) -> dict[str, str]:
    """Node id → the fold whose box stands for it."""
    return {node: group.id for group in graph.groups for node in group.nodes}


def _nearest_outputs(graph: Graph, max_nodes: int, hidden: Mapping[str, str]) -> set[str]:
    """Breadth-first against the edges as drawn, from the output tensors (or the last node
    made): the ids of the nodes and boxes kept."""
    incoming: dict[str, list[str]] = {}
    for edge in graph.edges:
        source, target = hidden.get(edge.source, edge.source), hidden.get(edge.target, edge.target)
        if source != target:
            incoming.setdefault(target, []).append(source)
    starts = [n.id for n in graph.nodes if isinstance(n, TensorNode) and n.role == "output"]
    queue = deque(hidden.get(node, node) for node in starts or [graph.nodes[-1].id])
    kept: set[str] = set()
    while queue and len(kept) < max_nodes:
        node = queue.popleft()
        if node in kept:
            continue
        kept.add(node)
        queue.extend(incoming.get(node, ()))
    return kept
