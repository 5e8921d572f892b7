"""Folding repetition: iterations of a loop that built the same shape of graph become one group.

A loop runs the same source expressions again and again, so the tensors it makes share their
source span; the k-th tensor made at a span belongs to iteration k. Spans made the same number of
times (at least `MIN_ITERATIONS`) whose making interleaves are taken as one loop's body: two
loops that run one after the other the same number of times make their tensors in two separate
stretches of the run, so they are two loops, not one. An iteration's shape is the
multiset of (span, the op that made the tensor, its shape): the iterations whose shape equals
the last one's are folded, the last drawn in full. Functions belong to the iteration of the
tensor they produce; what no iteration made (leaves, parameters, AccumulateGrad) stays outside.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from app.trace.model import Fold, FunctionNode, Graph, TensorNode

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
    return replace(graph, groups=tuple(groups)) if groups else graph


def _makers(graph: Graph) -> dict[str, FunctionNode]:
    """Tensor id → the function node that produced it."""
    functions = {n.id: n for n in graph.nodes if isinstance(n, FunctionNode)}
    return {e.target: functions[e.source] for e in graph.edges if e.source in functions}


def _loops(graph: Graph) -> list[list[list[TensorNode]]]:
    """Per loop (spans made equally often, interleaved), its iterations' tensors, in order."""
    times = _times(graph)
    made: dict[Span, list[TensorNode]] = {}
    for node in graph.nodes:
        if isinstance(node, TensorNode) and node.span is not None:
            span = node.span
            made.setdefault((span.line, span.col, span.end_line, span.end_col), []).append(node)
    by_count: dict[int, list[Span]] = {}
    for span, tensors in made.items():
        if len(tensors) >= MIN_ITERATIONS:
            tensors.sort(key=lambda t: times[t.id])
            by_count.setdefault(len(tensors), []).append(span)
    loops = []
    for count, spans in sorted(by_count.items(), reverse=True):
        for body in _interleaved(spans, made, times):
            loops.append([[made[span][k] for span in body] for k in range(count)])
    return loops


def _interleaved(
    spans: list[Span], made: dict[Span, list[TensorNode]], times: dict[str, int]
) -> list[list[Span]]:
    """The spans grouped by the stretch of the run that made them: one loop's spans are made
    in turn, so their stretches overlap; loops run one after the other do not."""

    def stretch(span: Span) -> tuple[int, int]:
        return times[made[span][0].id], times[made[span][-1].id]

    bodies: list[list[Span]] = []
    end = -1
    for span in sorted(spans, key=stretch):
        first, last = stretch(span)
        if not bodies or first > end:
            bodies.append([])
        bodies[-1].append(span)
        end = max(end, last)
    return bodies


def _times(graph: Graph) -> dict[str, int]:
    """When each tensor was made: its place among the nodes (the builder lists tensors in the
    order the run made them); a number an op took is made with the op's output (numbers are
    listed after every tensor)."""
    times = {node.id: index for index, node in enumerate(graph.nodes)}
    tensors = {node.id for node in graph.nodes if isinstance(node, TensorNode)}
    outputs: dict[str, int] = {}  # function → when its output was made
    for edge in graph.edges:
        if edge.kind == "data" and edge.target in tensors and edge.source not in tensors:
            outputs.setdefault(edge.source, times[edge.target])
    for edge in graph.edges:
        if edge.kind == "constant" and edge.target in outputs:
            times[edge.source] = min(times[edge.source], outputs[edge.target])
    return times


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
