"""Folding repetition: iterations of a loop that built the same shape of graph become one group.

A loop runs the same source expressions again and again, so the tensors it makes share their
source span; the k-th tensor made at a span belongs to iteration k. Spans made the same number of
times (at least `MIN_ITERATIONS`) are taken as one loop's body. An iteration's shape is the
multiset of (span, the op that made the tensor, its shape): the iterations whose shape equals
the last one's are folded, the last drawn in full. Functions belong to the iteration of the
tensor they produce, and the module calls an iteration made belong to it whole (Graph.modules);
what no iteration made (leaves, parameters, AccumulateGrad) stays outside.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from app.trace.model import Fold, FunctionNode, Graph, ModuleGroup, TensorNode

MIN_ITERATIONS = 3

Span = tuple[int, int, int | None, int | None]


def fold_repeats(graph: Graph) -> Graph:
    """The graph with its loops' repeated iterations as `groups` (nodes and edges unchanged)."""
    makers = _makers(graph)
    groups = []
    for iterations in _loops(graph):
        group = _fold(f"g{len(groups)}", iterations, makers)
        if group is not None:
            groups.append(group)
    groups = [_with_module_calls(group, graph.modules) for group in groups]
    return replace(graph, groups=tuple(groups)) if groups else graph


def _with_module_calls(group: Fold, modules: tuple[ModuleGroup, ...]) -> Fold:
    """A folded iteration's module calls are folded whole: the ops a call made that no tensor
    of the iteration names (a Linear's `TBackward0`) join the fold too. A call that holds the
    whole fold (a loop inside a `forward`) is the fold's owner, not one of its iterations'."""
    folded, shown = set(group.nodes), set(group.shown)
    extra: list[str] = []
    for module in modules:
        inside = set(module.nodes)
        if inside & folded and not folded <= inside:
            extra += [node for node in module.nodes if node not in folded and node not in shown]
    if not extra:
        return group
    return replace(group, nodes=(*group.nodes, *dict.fromkeys(extra)))


def _makers(graph: Graph) -> dict[str, FunctionNode]:
    """Tensor id → the function node that produced it."""
    functions = {n.id: n for n in graph.nodes if isinstance(n, FunctionNode)}
    return {e.target: functions[e.source] for e in graph.edges if e.source in functions}


def _loops(graph: Graph) -> list[list[list[TensorNode]]]:
    """Per loop (spans repeated equally often), its iterations' tensors, in creation order."""
    made: dict[Span, list[TensorNode]] = {}
    for node in graph.nodes:
        if isinstance(node, TensorNode) and node.span is not None:
            span = node.span
            made.setdefault((span.line, span.col, span.end_line, span.end_col), []).append(node)
    by_count: dict[int, list[Span]] = {}
    for span, tensors in made.items():
        if len(tensors) >= MIN_ITERATIONS:
            by_count.setdefault(len(tensors), []).append(span)
    return [
        [[made[span][k] for span in spans] for k in range(count)]
        for count, spans in sorted(by_count.items(), reverse=True)
    ]


def _fold(
    group_id: str, iterations: list[list[TensorNode]], makers: dict[str, FunctionNode]
) -> Fold | None:
    shapes = [_shape(tensors, makers) for tensors in iterations]
    folded = [k for k in range(len(iterations) - 1) if shapes[k] == shapes[-1]]
    if len(folded) < MIN_ITERATIONS - 1:
        return None
    nodes = [i for k in folded for i in _members(iterations[k], makers)]
    lines = [t.span.line for tensors in iterations for t in tensors if t.span is not None]
    return Fold(
        id=group_id,
        count=len(folded),
        lines=(min(lines), max(lines)),
        nodes=tuple(nodes),
        shown=tuple(_members(iterations[-1], makers)),
    )


def _shape(tensors: list[TensorNode], makers: dict[str, FunctionNode]) -> Counter[tuple]:
    return Counter((t.span, makers[t.id].op if t.id in makers else "", t.shape) for t in tensors)


def _members(tensors: list[TensorNode], makers: dict[str, FunctionNode]) -> list[str]:
    ids: list[str] = []
    for tensor in tensors:
        ids.append(tensor.id)
        if tensor.id in makers:
            ids.append(makers[tensor.id].id)
    return list(dict.fromkeys(ids))
