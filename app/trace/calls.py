"""Every backward call keeps its own flow: per call, the order PyTorch ran the functions in and
the gradient along each edge of the picture that the call reached.

A training loop makes a new graph each iteration; the picture holds the last one, whose leaves'
AccumulateGrad nodes every call shares (the recorder keeps them alive, so PyTorch reuses them):
each call's gradient into each leaf is listed, with the last call's whole flow. Past `max_calls`
calls, the first and the last ones are listed in full and a note says how many were left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from torch.autograd.graph import Node

from app.trace.model import BackwardCallInfo

if TYPE_CHECKING:
    from app.engine.recorder import BackwardCall
    from app.trace.build import _Builder

# ("flow", function, output index) or ("sent", function, input index); None: no gradient.
GradSource = tuple[str, Node, int] | None


def backward_calls(
    builder: _Builder, max_calls: int
) -> tuple[tuple[BackwardCallInfo, ...], tuple[str, ...]]:
    calls = builder.recorder.backwards
    kept = _kept(len(calls), max_calls)
    edges = _edges_by_source(builder.sources)
    infos = tuple(_call_info(builder, edges, calls[index], index + 1) for index in kept)
    notes: tuple[str, ...] = ()
    if len(kept) < len(calls):
        first, last = kept[: (len(kept) + 1) // 2], kept[(len(kept) + 1) // 2 :]
        notes = (
            f"The run made {len(calls)} backward calls; the graph lists calls "
            f"1–{first[-1] + 1} and {last[0] + 1}–{len(calls)} in full "
            f"(PLAYGROUND_GRAPH_BACKWARD_CALLS).",
        )
    return infos, notes


def _kept(total: int, max_calls: int) -> list[int]:
    """Indexes of the calls listed: all, or the first half and the last half of `max_calls`
    (the recorder keeps the gradients of those same calls: see Recorder._forget_middle)."""
    if total <= max_calls:
        return list(range(total))
    head = (max_calls + 1) // 2
    tail = max_calls - head
    return [*range(head), *range(total - tail, total)]


def _edges_by_source(
    sources: dict[str, GradSource],
) -> dict[tuple[str, Node], list[tuple[int, int]]]:
    """(flow|sent, function) → the (edge number, gradient index) of the edges read there: a
    call reaches a few functions of a large graph, and only their edges are looked at."""
    edges: dict[tuple[str, Node], list[tuple[int, int]]] = {}
    for edge_id, where in sources.items():
        if where is not None:
            kind, function, index = where
            edges.setdefault((kind, function), []).append((int(edge_id[1:]), index))
    return edges


def _call_info(
    builder: _Builder,
    edges: dict[tuple[str, Node], list[tuple[int, int]]],
    call: BackwardCall,
    number: int,
) -> BackwardCallInfo:
    found: list[tuple[int, Any]] = []
    for kind, table in (("flow", call.flow), ("sent", call.sent)):
        for function, values in table.items():
            for edge, index in edges.get((kind, function), ()):
                if index < len(values) and values[index] is not None:
                    found.append((edge, values[index]))
    grads = {f"e{edge}": builder.values(value) for edge, value in sorted(found, key=_first)}
    tensor_ids = builder.tensor_ids
    return BackwardCallInfo(
        number=number,
        line=call.line,
        step=call.step,
        completed=call.completed,
        roots=tuple(tensor_ids[id(r)] for r in call.roots if id(r) in tensor_ids),
        order=tuple(builder.function_ids[f] for f in call.order if f in builder.function_ids),
        grads=grads,
    )


def _first(item: tuple[int, Any]) -> int:
    return item[0]
