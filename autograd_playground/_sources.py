"""What a live tensor or a recording gives `trace`: a Run (app/engine/records.py) and its text.

Names come from the caller's namespace (the notebook's variables), read, never evaluated: only
the tensors that belong to the graph being shown, and the modules whose parameters it uses.
"""

from __future__ import annotations

from typing import Any

import torch

from app.engine.live import LiveRecording, live_run
from app.engine.records import Run

ROOT_NAME = "output"  # the shown tensor, when no variable holds it
NO_REPLAY = (
    "No backward replay for a tensor shown on its own: PyTorch keeps no record of the order a "
    "past backward ran in. Record it: with autograd_playground.record() as r: ..., then r.show()."
)


def reachable(roots: list[torch.Tensor]) -> tuple[set[Any], set[int]]:
    """The grad_fn nodes behind `roots`, and the ids of the leaves they accumulate into."""
    functions: set[Any] = set()
    leaves: set[int] = set()
    stack = [r.grad_fn for r in roots if r.grad_fn is not None]
    while stack:
        function = stack.pop()
        if function in functions:
            continue
        functions.add(function)
        variable = getattr(function, "variable", None)
        if isinstance(variable, torch.Tensor):
            leaves.add(id(variable))
        stack.extend(nxt for nxt, _ in function.next_functions if nxt is not None)
    return functions, leaves


def names_for(
    namespace: dict[str, Any], roots: list[torch.Tensor], also: set[int] = frozenset()
) -> dict[str, Any]:
    """The caller's variables that are part of the picture: the roots, tensors made by one of
    their grad_fn nodes or accumulated into by one, `also` (recorded tensors), and modules whose
    parameters are among them. Private names (`_`, `_3`: IPython's output cache) are skipped."""
    functions, leaves = reachable(roots)
    wanted = {id(r) for r in roots} | leaves | set(also)
    chosen: dict[str, Any] = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if isinstance(value, torch.Tensor) and (
            id(value) in wanted or (value.grad_fn is not None and value.grad_fn in functions)
        ):
            chosen[name] = value
        elif isinstance(value, torch.nn.Module) and any(
            id(p) in wanted for p in value.parameters()
        ):
            chosen[name] = value
    for root in roots:
        if not any(v is root for v in chosen.values()):
            chosen[ROOT_NAME] = root
    return chosen


def tensor_source(tensor: torch.Tensor, namespace: dict[str, Any]) -> tuple[Run, str]:
    """A tensor made outside any recording: what autograd itself keeps of it."""
    return live_run([tensor], names_for(namespace, [tensor]))


def recording_source(recording: LiveRecording, namespace: dict[str, Any]) -> tuple[Run, str]:
    recorded = {id(t) for call in recording.calls for t in call.outputs}
    roots = [r for call in recording.recorder.backwards for r in call.roots]
    return recording.run(names_for(namespace, roots, recorded))
