"""The order a keyboard visits the graph's nodes in: the data flow, inputs first.

Graphviz writes nodes in its own drawing order, which is neither what the program computed first
nor what a student reads; Tab should go from the inputs to the output. Each node's depth is the
longest path into it from a node with no inputs (its rank in the data flow); nodes are visited
by depth, and within a depth in the graph's own order (the order torch made them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def data_flow_order(
    nodes: Sequence[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]
) -> tuple[str, ...]:
    """Node ids in a topological order of the edges (source before target), layer by layer.
    A node on a cycle (the model has none; a bad payload might) keeps its place after the rest."""
    position = {node["id"]: i for i, node in enumerate(nodes)}
    after: dict[str, list[str]] = {}
    waiting = dict.fromkeys(position, 0)
    for edge in edges:
        source, target = edge["source"], edge["target"]
        if source in position and target in position and source != target:
            after.setdefault(source, []).append(target)
            waiting[target] += 1
    depth = dict.fromkeys(position, 0)
    ready = [node for node, count in waiting.items() if count == 0]
    placed: list[str] = []
    while ready:  # Kahn's algorithm, O(nodes + edges)
        node = ready.pop()
        placed.append(node)
        for target in after.get(node, ()):
            depth[target] = max(depth[target], depth[node] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    order = sorted(placed, key=lambda node: (depth[node], position[node]))
    seen = set(order)
    return (*order, *(node for node in position if node not in seen))
