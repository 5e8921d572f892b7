"""Keeping a picture readable: past a node count, show the part nearest the outputs and say so."""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from app.trace.model import Graph, OptimizerStepInfo, TensorNode


def summarise(graph: Graph, max_nodes: int) -> Graph:
    """The graph as drawn (folds counted as one node each), or past `max_nodes` the nodes nearest
    the outputs, unfolded."""
    if drawn_nodes(graph) <= max_nodes:
        return graph
    kept = _nearest_outputs(graph, max_nodes)
    nodes = tuple(node for node in graph.nodes if node.id in kept)
    edges = tuple(e for e in graph.edges if e.source in kept and e.target in kept)
    edge_ids = {e.id for e in edges}
    note = (
        f"The graph has {len(graph.nodes)} nodes; the picture shows the {len(nodes)} nearest "
        "the output. The full graph is in the JSON (formats: graph)."
    )
    order = tuple(tuple(i for i in run if i in kept) for run in graph.backward_order)
    step = graph.optimizer_step
    if step is not None:
        changes = tuple(change for change in step.changes if change.tensor in kept)
        step = OptimizerStepInfo(step.number, changes)
    calls = tuple(
        replace(
            call,
            order=tuple(i for i in call.order if i in kept),
            roots=tuple(i for i in call.roots if i in kept),
            grads={e: g for e, g in call.grads.items() if e in edge_ids},
        )
        for call in graph.backward_calls
    )
    errors = tuple(mark for mark in graph.errors if mark.node in kept)
    return Graph(nodes, edges, order, (*graph.notes, note), step, calls, errors)


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
