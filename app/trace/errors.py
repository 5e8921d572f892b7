"""Errors sit on their node: which node of the graph a run's error (or the non-leaf `.grad`
warning) is about, read from what the recorder saw, never guessed from the picture.

- backward through freed buffers: the function whose pre-hook ran in the failed call but which
  never finished (PyTorch raises while unpacking its saved tensors), and the earlier call that
  ran it without retain_graph (it freed them);
- a saved tensor modified in place: the function that failed (it saved the tensor) and the
  tensor now at the version the message names;
- `grad can be implicitly created only for scalar outputs`: the failed call's outputs;
- `element k of tensors does not require grad`: the k-th root;
- `.grad` of a non-leaf (a UserWarning): the tensor it was read from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import torch

from app.engine.recorder import BackwardCall
from app.trace.model import ErrorMark

if TYPE_CHECKING:
    from app.trace.build import _Builder

_VERSIONS = re.compile(r"is at version (\d+); expected version (\d+)")
_ELEMENT = re.compile(r"^element (\d+) of tensors does not require grad")
_NON_LEAF = "not a leaf Tensor"


def error_marks(builder: _Builder) -> tuple[ErrorMark, ...]:
    marks = _run_error(builder)
    marks += _non_leaf_grads(builder)
    return tuple(marks)


def _run_error(builder: _Builder) -> list[ErrorMark]:
    error = builder.run.error
    calls = builder.recorder.backwards
    if error is None or not calls or calls[-1].completed:
        return []
    call, message = calls[-1], error.message
    base = {"message": message, "line": error.line}
    if message.startswith("Trying to backward through the graph a second time"):
        return _freed(builder, call, base)
    versions = _VERSIONS.search(message)
    if "modified by an inplace operation" in message and versions:
        return _modified(builder, call, base, int(versions[1]), int(versions[2]))
    if message.startswith("grad can be implicitly created only for scalar outputs"):
        roots = [r for r in call.roots if r.numel() != 1]
        return [ErrorMark(i, "non_scalar", **base) for i in _tensor_ids(builder, roots)]
    element = _ELEMENT.match(message)
    if element and int(element[1]) < len(call.roots):
        root = call.roots[int(element[1])]
        return [ErrorMark(i, "no_grad", **base) for i in _tensor_ids(builder, [root])]
    return []


def _failed_function(builder: _Builder, call: BackwardCall) -> Any:
    """The function PyTorch was running when the call raised (its pre-hook ran, its post-hook
    never did)."""
    for function in call.flow:
        if function not in call.sent and function in builder.function_ids:
            return function
    return None


def _freed(builder: _Builder, call: BackwardCall, base: dict[str, Any]) -> list[ErrorMark]:
    function = _failed_function(builder, call)
    if function is None:
        return []
    calls = builder.recorder.backwards
    freed_by = None
    for number, earlier in enumerate(calls[:-1], start=1):
        if earlier.completed and function in earlier.order:
            freed_by = number
    node_id = builder.function_ids[function]
    return [ErrorMark(node_id, "freed", backward_call=freed_by, **base)]


def _modified(
    builder: _Builder, call: BackwardCall, base: dict[str, Any], now: int, saved: int
) -> list[ErrorMark]:
    marks: list[ErrorMark] = []
    function = _failed_function(builder, call)
    adjacent: set[str] = set()
    if function is not None:
        node_id = builder.function_ids[function]
        marks.append(ErrorMark(node_id, "saved_by", saved_version=saved, **base))
        for edge in builder.edges:
            if node_id in (edge.source, edge.target):
                adjacent.update((edge.source, edge.target))
    at_version = [t for t in builder.tensors if t._version == now]
    ranked = sorted(
        at_version,
        key=lambda t: (builder.tensor_ids[id(t)] not in adjacent, id(t) not in builder.names),
    )
    if ranked:
        tensor_id = builder.tensor_ids[id(ranked[0])]
        marks.insert(0, ErrorMark(tensor_id, "modified", version=now, saved_version=saved, **base))
    return marks


def _non_leaf_grads(builder: _Builder) -> list[ErrorMark]:
    steps = builder.run.steps
    marks: list[ErrorMark] = []
    for tensor, step_number in builder.recorder.non_leaf_grads:
        if id(tensor) not in builder.tensor_ids or not 0 < step_number <= len(steps):
            continue
        step = steps[step_number - 1]
        warning = next((w for w in step.warnings if _NON_LEAF in w), None)
        if warning is not None:
            node_id = builder.tensor_ids[id(tensor)]
            marks.append(ErrorMark(node_id, "non_leaf_grad", warning, step.line))
    return marks


def _tensor_ids(builder: _Builder, tensors: list[torch.Tensor]) -> list[str]:
    return [builder.tensor_ids[id(t)] for t in tensors if id(t) in builder.tensor_ids]
