"""The graph as the picture draws it, for an answer with `detail: "drawn"` (the page's).

A big graph's picture draws a few hundred nodes (folds and shut module calls are one box each),
while its full answer holds every node, every edge and every gradient of every backward call:
megabytes the page would write, send and parse to show what it draws. `drawn` keeps what the
ids drawn name — their nodes, the edges between two of them, each backward call's order and
gradients on those, the folds and module calls with their lists cut to those nodes — and counts
what it left out, so a page can still say how much there was.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from app.trace.model import Fold, Graph, ModuleGroup, OptimizerStepInfo


@dataclass(frozen=True, slots=True)
class LeftOut:
    """What the drawn graph leaves out of the whole one."""

    nodes: int
    edges: int
    backward_steps: tuple[int, ...]  # per backward call, in the calls' order

    def to_json(self) -> dict[str, object]:
        return {"nodes": self.nodes, "edges": self.edges, "backward_steps": self.backward_steps}


def drawn(graph: Graph, ids: Collection[str]) -> tuple[Graph, LeftOut]:
    """The graph cut to the nodes among `ids` (the picture's: nodes and boxes)."""
    keep = {node.id for node in graph.nodes if node.id in ids}
    nodes = tuple(node for node in graph.nodes if node.id in keep)
    edges = tuple(e for e in graph.edges if e.source in keep and e.target in keep)
    edge_ids = {e.id for e in edges}
    calls = tuple(
        replace(
            call,
            order=tuple(i for i in call.order if i in keep),
            roots=tuple(i for i in call.roots if i in keep),
            grads={e: g for e, g in call.grads.items() if e in edge_ids},
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
    return cut, LeftOut(len(graph.nodes) - len(nodes), len(graph.edges) - len(edges), steps)


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
