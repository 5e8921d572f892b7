"""What an operation took that PyTorch keeps no autograd edge for: constants, `detach()` and
`.data` results, tensors computed under `no_grad`, and Python numbers PyTorch promoted to tensors.

A grad_fn's `next_functions` has one slot per tensor input; an input that did not require grad
has the slot `(None, 0)`. The recorder kept the operands each operation took (with whether each
required grad then): the tensors that did not are drawn with a `constant` edge into the op, and
so are as many of its numbers as there are slots left (`2*x` has a slot for the 2; `x**2` has
none for its exponent). A constant made from other tensors keeps its lineage: `constant` edges
from the tensors it was computed from (a `detached` edge from the tensor it was detached from).
"""

from __future__ import annotations

import torch
from torch.autograd.graph import Node

from app.engine.recorder import Operand, Produced


def constant_tensors(function: Node, operands: tuple[Operand, ...]) -> list[torch.Tensor]:
    return [o.value for o in operands if isinstance(o.value, torch.Tensor) and not o.requires_grad]


def promoted_numbers(function: Node, operands: tuple[Operand, ...]) -> list[Operand]:
    """The numbers that filled a tensor slot of the op: those its edgeless slots leave room for."""
    empty = sum(1 for nxt, _ in function.next_functions if nxt is None)
    room = empty - len(constant_tensors(function, operands))
    numbers = [o for o in operands if not isinstance(o.value, torch.Tensor)]
    return numbers[: max(room, 0)]


def lineage(tensor: torch.Tensor, produced: Produced | None) -> list[torch.Tensor]:
    """The tensors a tensor without a grad_fn was computed from (not for a detach result,
    whose one source is drawn with its `detached` edge)."""
    if produced is None or produced.detached_from is not None or tensor.grad_fn is not None:
        return []
    return [
        o.value
        for o in produced.operands
        if isinstance(o.value, torch.Tensor) and o.value is not tensor
    ]
