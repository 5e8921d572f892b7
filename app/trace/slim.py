"""The graph as the picture draws it, for an answer with `detail: "drawn"` (the page's).

A big graph's picture draws a few hundred nodes (folds and shut module calls are one box each),
while its full answer holds every node, every edge and every gradient of every backward call:
megabytes the page would write, send and parse to show what it draws. `drawn` keeps what the
ids drawn name — their nodes, the edges as the picture draws them, each backward call's order
and gradients on those, the folds and module calls with their lists cut to those nodes — and
counts what it left out, so a page can still say how much there was.

An edge that crosses a box's border is drawn to or from the box: so it is in the answer, its
end the box's id (`g0`, `m1`), so that the node after a fold still says what it receives from.
Several edges of one kind between the same two ends are one (the first one's id), without a
gradient (each carried its own); a lone one keeps its gradient, in every backward call too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from app.trace.model import Edge, Fold, Graph, ModuleGroup, OptimizerStepInfo


@dataclass(frozen=True, slots=True)
class LeftOut:
    """What the drawn graph leaves out of the whole one."""

    nodes: int
    edges: int
    backward_steps: tuple[int, ...]  # per backward call, in the calls' order

    def to_json(self) -> dict[str, object]:
        return {"nodes": self.nodes, "edges": self.edges, "backward_steps": self.backward_steps}


def drawn(
    graph: Graph, ids: Collection[str], hidden: Mapping[str, str] | None = None
) -> tuple[Graph, LeftOut]:
    """The graph cut to the nodes among `ids` (the picture's: nodes and boxes); `hidden`: node
    → the box among `ids` drawn in its place."""
    keep = {node.id for node in graph.nodes if node.id in ids}
    nodes = tuple(node for node in graph.nodes if node.id in keep)
    edges, alone, carried = _drawn_edges(graph.edges, keep, ids, hidden or {})
    calls = tuple(
        replace(
            call,
            order=tuple(i for i in call.order if i in keep),
            roots=tuple(i for i in call.roots if i in keep),
            grads={e: g for e, g in call.grads.items() if e in alone},
        )
        for call in graph.backward_calls
    )
    step = graph.optimizer_step
    if step is not None:
        step = OptimizerStepInfo(step.number, tuple(c for c in step.changes if c.tensor in keep))
    cut = Graph(
        nodes=nodes,
        edges=edges,
        backward_order=tuple(tuple(i for i in run if i in keep) for run in graph.backward_order),
        notes=graph.notes,
        optimizer_step=step,
        backward_calls=calls,
        errors=tuple(mark for mark in graph.errors if mark.node in keep),
        groups=tuple(_cut_fold(group, keep) for group in graph.groups),
        modules=tuple(_cut_module(module, keep) for module in graph.modules),
    )
    steps = tuple(
        len(a.order) - len(b.order) for a, b in zip(graph.backward_calls, calls, strict=True)
    )
    return cut, LeftOut(len(graph.nodes) - len(nodes), len(graph.edges) - carried, steps)


def _drawn_edges(
    edges: tuple[Edge, ...], keep: set[str], ids: Collection[str], hidden: Mapping[str, str]
) -> tuple[tuple[Edge, ...], set[str], int]:
    """The edges as drawn, the ids of those that are one edge of the graph (their gradients
    hold), and how many of the graph's edges they carry."""
    ends: dict[str | tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        source = edge.source if edge.source in keep else hidden.get(edge.source)
        target = edge.target if edge.target in keep else hidden.get(edge.target)
        if source is None or target is None or source == target:
            continue  # inside a box, or to a node the picture does not draw
        if source in ids and target in ids:
            moved = source != edge.source or target != edge.target
            # an edge between two drawn nodes stays itself (x * x: two edges, two gradients)
            ends.setdefault((source, target, edge.kind) if moved else edge.id, []).append(edge)
    out: list[Edge] = []
    alone: set[str] = set()
    for key, same in ends.items():
        first = same[0]
        if len(same) == 1:
            alone.add(first.id)
        if isinstance(key, str):
            out.append(first)
            continue
        grad = first.grad if len(same) == 1 else None
        out.append(replace(first, source=key[0], target=key[1], grad=grad))
    return tuple(out), alone, sum(len(same) for same in ends.values())


def _cut_fold(group: Fold, keep: set[str]) -> Fold:
    return replace(
        group,
        nodes=tuple(n for n in group.nodes if n in keep),
        shown=tuple(n for n in group.shown if n in keep),
    )


def _cut_module(module: ModuleGroup, keep: set[str]) -> ModuleGroup:
    return replace(
        module,
        nodes=tuple(n for n in module.nodes if n in keep),
        arguments=tuple(n for n in module.arguments if n in keep),
    )


def hidden_names(graph: Graph, ids: Collection[str]) -> frozenset[str]:
    """The program's names bound to tensors the picture does not draw."""
    return frozenset(
        name for node in graph.nodes if node.id not in ids for name in getattr(node, "names", ())
    )
