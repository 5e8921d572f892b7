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

from app.engine.snapshot import values_of
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
    infos = tuple(_call_info(builder, calls[index], index + 1) for index in kept)
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


def _call_info(builder: _Builder, call: BackwardCall, number: int) -> BackwardCallInfo:
    grads: dict[str, Any] = {}
    for edge_id, where in builder.sources.items():
        value = builder.grad_in(where, call)
        if value is not None:
            grads[edge_id] = values_of(value, builder.max_elements)[0]
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
