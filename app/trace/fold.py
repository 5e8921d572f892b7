"""Folding repetition: iterations of a loop that built the same shape of graph become one group.

The run stamps each tensor with the loop iterations running when it was made (`Graph.made_in`,
app/engine/loops.py): a loop run's iterations are told apart as they ran, whatever branch each
took, and what a nested loop, a comprehension or a function the body calls made belongs to the
outer iteration it was made in. Two loops run one after the other are two runs.

An iteration's shape is the multiset of (span, the op that made the tensor, its shape): each
stretch of at least `MIN_ITERATIONS` consecutive iterations of equal shape is one fold, its last
iteration drawn in full, so a fold's count is always a count of iterations that built the same
graph (an `if` taken every other iteration folds nothing). Inside the iterations no fold took,
the loops nested in them are folded the same way. Functions belong to the iteration of the
tensor they produce, with the functions that feed them no tensor the program saw (what a
backward with `create_graph=True` built); what no iteration made (leaves, parameters,
AccumulateGrad) stays outside. The module calls an iteration made belong to it whole
(Graph.modules).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from app.trace.model import Fold, FunctionNode, Graph, ModuleGroup, TensorNode

MIN_ITERATIONS = 3

Iteration = tuple[int, list[TensorNode]]  # its index in the loop run, the tensors it made


@dataclass(slots=True)
class _Folding:
    """What every level of the walk reads, and the folds found so far."""

    made_in: dict[str, tuple[tuple[int, int], ...]]
    makers: dict[str, FunctionNode]
    feeders: dict[str, list[FunctionNode]]
    groups: list[Fold] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)  # nodes a fold holds already


def fold_repeats(graph: Graph) -> Graph:
    """The graph with its loops' repeated iterations as `groups` (nodes and edges unchanged)."""
    if not graph.made_in:
        return graph
    folding = _Folding(graph.made_in, _makers(graph), _feeders(graph))
    tensors = [n for n in graph.nodes if isinstance(n, TensorNode) and n.id in graph.made_in]
    _fold_loops(tensors, 0, folding)
    groups = [_with_module_calls(group, graph.modules) for group in folding.groups]
    return replace(graph, groups=tuple(groups)) if groups else graph


def _fold_loops(tensors: list[TensorNode], depth: int, folding: _Folding) -> None:
    """Folds the loop runs `tensors` were made in at `depth` of the loop nesting, then the
    loops nested in the iterations no fold took."""
    for iterations in _loop_runs(tensors, depth, folding.made_in):
        members = _iteration_members(iterations, folding)
        shapes = [_shape(made, nodes, folding.makers) for (_, made), nodes in zip(
            iterations, members, strict=True)]  # fmt: skip
        folded: set[int] = set()
        for first, last in _equal_stretches(iterations, shapes):
            stretch = range(first, last + 1)
            group = _fold(f"g{len(folding.groups)}", [iterations[k][1] for k in stretch],
                          [members[k] for k in stretch])  # fmt: skip
            folding.groups.append(group)
            folding.claimed.update(group.nodes, group.shown)
            folded.update(stretch)
        for k, (_, made) in enumerate(iterations):
            if k not in folded:
                _fold_loops(made, depth + 1, folding)


def _loop_runs(
    tensors: list[TensorNode], depth: int, made_in: dict[str, tuple[tuple[int, int], ...]]
) -> list[list[Iteration]]:
    """Per loop run at `depth` (in the order they ran), its iterations that made a tensor."""
    runs: dict[int, dict[int, list[TensorNode]]] = {}
    for tensor in tensors:
        path = made_in[tensor.id]
        if len(path) > depth:
            run, iteration = path[depth]
            runs.setdefault(run, {}).setdefault(iteration, []).append(tensor)
    return [sorted(iterations.items()) for _, iterations in sorted(runs.items())]


def _equal_stretches(
    iterations: list[Iteration], shapes: list[Counter[tuple]]
) -> list[tuple[int, int]]:
    """(first, last) positions of each stretch of consecutive iterations (no iteration between
    them that made nothing) of one shape, at least MIN_ITERATIONS long."""
    stretches: list[tuple[int, int]] = []
    first = 0
    for k in range(1, len(iterations) + 1):
        same = (
            k < len(iterations)
            and iterations[k][0] == iterations[k - 1][0] + 1
            and shapes[k] == shapes[first]
        )
        if not same:
            if k - first >= MIN_ITERATIONS:
                stretches.append((first, k - 1))
            first = k
    return stretches


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


def _fold(
    group_id: str,
    iterations: list[list[TensorNode]],
    members: list[list[FunctionNode | TensorNode]],
) -> Fold:
    """The iterations of one stretch as a fold: all but the last folded, the last shown."""
    lines = [t.span.line for tensors in iterations for t in tensors if t.span is not None]
    return Fold(
        id=group_id,
        count=len(iterations) - 1,
        lines=(min(lines), max(lines)) if lines else (0, 0),
        nodes=tuple(node.id for nodes in members[:-1] for node in nodes),
        shown=tuple(node.id for node in members[-1]),
    )


def _iteration_members(
    iterations: list[Iteration], folding: _Folding
) -> list[list[FunctionNode | TensorNode]]:
    """Each iteration's nodes (`_members`), each node in one iteration of the run only and
    none a fold holds already."""
    owned: set[str] = set()
    return [_members(made, folding, owned) for _, made in iterations]


def _shape(
    tensors: list[TensorNode],
    members: list[FunctionNode | TensorNode],
    makers: dict[str, FunctionNode],
) -> Counter[tuple]:
    shape = Counter((t.span, makers[t.id].op if t.id in makers else "", t.shape) for t in tensors)
    shape.update(("fed by", n.op) for n in members if isinstance(n, FunctionNode))
    return shape


def _members(
    tensors: list[TensorNode], folding: _Folding, owned: set[str]
) -> list[FunctionNode | TensorNode]:
    """An iteration's nodes: its tensors, the functions that made them and the functions that
    fed those with no tensor between; none in `owned` (an earlier iteration's) or in a fold."""
    claimed = folding.claimed
    found: list[FunctionNode | TensorNode] = []
    stack: list[FunctionNode] = []
    for tensor in tensors:
        if tensor.id not in owned and tensor.id not in claimed:
            owned.add(tensor.id)
            found.append(tensor)
        maker = folding.makers.get(tensor.id)
        if maker is not None:
            stack.append(maker)
    while stack:
        function = stack.pop()
        if function.id in owned or function.id in claimed or function.op == "AccumulateGrad":
            continue
        owned.add(function.id)
        found.append(function)
        stack.extend(folding.feeders.get(function.id, ()))
    return found
