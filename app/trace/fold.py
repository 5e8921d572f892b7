"""Folding repetition: iterations of a loop that built the same shape of graph become one group.

A loop runs the same source expressions again and again, so the tensors it makes share their
source span; the k-th tensor made at a span belongs to iteration k. Spans made the same number of
times (at least `MIN_ITERATIONS`) whose making interleaves are taken as one loop's body: two
loops that run one after the other the same number of times make their tensors in two separate
stretches of the run, so they are two loops, not one. A loop nested in another (an inner `for`,
a comprehension, a function the body calls) makes its tensors more times than the outer loop,
within the outer loop's stretch: they belong to the outer iteration they were made in
(iterations are told apart by when they were made), and fold with it.

An iteration's shape is the multiset of (span, the op that made the tensor, its shape): the
iterations whose shape equals the last one's are folded, the last drawn in full. Functions belong
to the iteration of the tensor they produce, with the functions that feed them no tensor the
program saw (what a backward with `create_graph=True` built); what no iteration made (leaves,
parameters, AccumulateGrad) stays outside. The module calls an iteration made belong to it
whole (Graph.modules).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace

from app.trace.model import Fold, FunctionNode, Graph, ModuleGroup, TensorNode

MIN_ITERATIONS = 3

Span = tuple[int, int, int | None, int | None]


def fold_repeats(graph: Graph) -> Graph:
    """The graph with its loops' repeated iterations as `groups` (nodes and edges unchanged)."""
    makers = _makers(graph)
    feeders = _feeders(graph)
    groups: list[Fold] = []
    owned: set[str] = set()
    for iterations in _loops(graph):
        members = [_members(tensors, makers, feeders, owned) for tensors in iterations]
        group = _fold(f"g{len(groups)}", iterations, members, makers)
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


def _feeders(graph: Graph) -> dict[str, list[FunctionNode]]:
    """Function id → the functions that feed it directly, with no tensor between (a tensor the
    program never saw: made inside one call, as a backward with create_graph=True makes them)."""
    functions = {n.id: n for n in graph.nodes if isinstance(n, FunctionNode)}
    feeders: dict[str, list[FunctionNode]] = {}
    for edge in graph.edges:
        if edge.source in functions and edge.target in functions:
            feeders.setdefault(edge.target, []).append(functions[edge.source])
    return feeders


def _loops(graph: Graph) -> list[list[list[TensorNode]]]:
    """Per loop, its iterations' tensors: outer loops first, each with what nested loops made
    during each of its iterations."""
    times = _times(graph)
    made: dict[Span, list[TensorNode]] = {}
    for node in graph.nodes:
        if isinstance(node, TensorNode) and node.span is not None:
            span = node.span
            made.setdefault((span.line, span.col, span.end_line, span.end_col), []).append(node)
    bodies: list[list[list[TensorNode]]] = []  # per body: per span, its tensors in time order
    for tensors in made.values():
        tensors.sort(key=lambda t: times[t.id])
    repeated = [span for span, tensors in made.items() if len(tensors) >= MIN_ITERATIONS]
    by_count: dict[int, list[Span]] = {}
    for span in repeated:
        by_count.setdefault(len(made[span]), []).append(span)
    for count in sorted(by_count):  # fewest iterations first: outer loops before inner ones
        for body in _interleaved(by_count[count], made, times):
            bodies.append([made[span] for span in body])
    return _nest(bodies, times)


def _nest(
    bodies: list[list[list[TensorNode]]], times: dict[str, int]
) -> list[list[list[TensorNode]]]:
    """Each body's iterations, a nested body's tensors in the outer iteration they were made in
    (a nested body runs more times than the outer one, within its stretch of the run)."""
    loops: list[tuple[int, int, int, list[list[TensorNode]]]] = []  # first, last, count, iterations
    for body in bodies:
        count = len(body[0])
        first = min(times[tensors[0].id] for tensors in body)
        last = max(times[tensors[-1].id] for tensors in body)
        outer = next((loop for loop in loops if count > loop[2]
                      and loop[0] <= last and first <= loop[1]), None)  # fmt: skip
        if outer is None:
            iterations = [[tensors[k] for tensors in body] for k in range(count)]
            loops.append((first, last, count, iterations))
            continue
        _place(outer[3], [t for tensors in body for t in tensors], times, before=first < outer[0])
    return [iterations for _, _, _, iterations in loops]


def _place(
    iterations: list[list[TensorNode]],
    tensors: list[TensorNode],
    times: dict[str, int],
    before: bool,
) -> None:
    """Adds each tensor to the iteration it was made in: the one whose own tensors come next
    (`before`: the nested loop runs before the outer body's own tensors) or last. What was made
    outside the loop (a function the body calls, called again after it) stays out: the first
    or last iteration reaches no further than the one beside it is long."""
    if before:
        bounds = [max(times[t.id] for t in own) for own in iterations]
        start = 2 * bounds[0] - bounds[1] if len(bounds) > 1 else bounds[0] - 1
        for tensor in tensors:
            if start < times[tensor.id] <= bounds[-1]:
                iterations[bisect_left(bounds, times[tensor.id])].append(tensor)
    else:
        bounds = [min(times[t.id] for t in own) for own in iterations]
        end = 2 * bounds[-1] - bounds[-2] if len(bounds) > 1 else bounds[-1] + 1
        for tensor in tensors:
            if bounds[0] <= times[tensor.id] < end:
                iterations[bisect_right(bounds, times[tensor.id]) - 1].append(tensor)


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
    group_id: str,
    iterations: list[list[TensorNode]],
    members: list[list[FunctionNode | TensorNode]],
    makers: dict[str, FunctionNode],
) -> Fold | None:
    shapes = [
        _shape(tensors, nodes, makers) for tensors, nodes in zip(iterations, members, strict=True)
    ]
    folded = [k for k in range(len(iterations) - 1) if shapes[k] == shapes[-1]]
    if len(folded) < MIN_ITERATIONS - 1:
        return None
    lines = [t.span.line for tensors in iterations for t in tensors if t.span is not None]
    return Fold(
        id=group_id,
        count=len(folded),
        lines=(min(lines), max(lines)),
        nodes=tuple(node.id for k in folded for node in members[k]),
        shown=tuple(node.id for node in members[-1]),
    )


def _shape(
    tensors: list[TensorNode],
    members: list[FunctionNode | TensorNode],
    makers: dict[str, FunctionNode],
) -> Counter[tuple]:
    shape = Counter((t.span, makers[t.id].op if t.id in makers else "", t.shape) for t in tensors)
    shape.update(("fed by", n.op) for n in members if isinstance(n, FunctionNode))
    return shape


def _members(
    tensors: list[TensorNode],
    makers: dict[str, FunctionNode],
    feeders: dict[str, list[FunctionNode]],
    owned: set[str],
) -> list[FunctionNode | TensorNode]:
    """An iteration's nodes: its tensors, the functions that made them and the functions that
    fed those with no tensor between; each node in one iteration only."""
    found: list[FunctionNode | TensorNode] = []
    stack: list[FunctionNode] = []
    for tensor in tensors:
        if tensor.id not in owned:
            owned.add(tensor.id)
            found.append(tensor)
        maker = makers.get(tensor.id)
        if maker is not None:
            stack.append(maker)
    while stack:
        function = stack.pop()
        if function.id in owned or function.op == "AccumulateGrad":
            continue
        owned.add(function.id)
        found.append(function)
        stack.extend(feeders.get(function.id, ()))
    return found
