"""Keeping a picture readable: past a node count, show the part nearest the outputs and say so."""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from app.trace.model import Graph, TensorNode
from app.trace.slim import drawn


def summarise(graph: Graph, max_nodes: int) -> Graph:
    """The graph as drawn (folds counted as one node each), or past `max_nodes` the nodes nearest
    the outputs, unfolded."""
    if drawn_nodes(graph) <= max_nodes:
        return graph
    kept = _nearest_outputs(graph, max_nodes)
    cut, _ = drawn(graph, kept)  # the same cut as a slim answer's: nodes, edges, calls, errors
    note = (
        f"The graph has {len(graph.nodes)} nodes; the picture shows the {len(cut.nodes)} nearest "
        "the output. The full graph is in the JSON (formats: graph)."
    )
    return replace(cut, notes=(*graph.notes, note), groups=(), modules=())


def drawn_nodes(graph: Graph) -> int:
    folded = sum(len(group.nodes) for group in graph.groups)
    return len(graph.nodes) - folded + len(graph.groups)


def _nearest_outputs(graph: Graph, max_nodes: int) -> set[str]:
    """Breadth-first against the edges, from the output tensors (or the last nodes made)."""
    incoming: dict[str, list[str]] = {}
    for edge in graph.edges:
        incoming.setdefault(edge.target, []).append(edge.source)
    starts = [n.id for n in graph.nodes if isinstance(n, TensorNode) and n.role == "output"]
    queue = deque(starts or [graph.nodes[-1].id])
    kept: set[str] = set()
    while queue and len(kept) < max_nodes:
        node = queue.popleft()
        if node in kept:
            continue
        kept.add(node)
        queue.extend(incoming.get(node, ()))
    return kept
