"""The trace reads whether a node's saved tensors were freed through one raw handle
(app/trace/build.py `_released`): it must say what reading every slot would say."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch.autograd.graph import Node

from app.engine.recorder import read_saved_shapes, saved_slots
from app.trace.build import _released

PROGRAMS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sin (saves its input)": lambda x: x.sin(),
    "exp (saves its result)": lambda x: x.exp(),
    "mul by a tensor": lambda x: x * x.detach(),
    "mul by a number (no tensor saved)": lambda x: x * 2.0,
    "matrix product, one side constant": lambda x: x.view(2, 3) @ torch.ones(3, 4),
    "index_put (a list of saved tensors)": lambda x: torch.index_put(
        x, (torch.tensor([0]),), torch.ones(1)
    ),
    "where (a saved condition)": lambda x: torch.where(x > 0, x, x * 3),
    "pack hooks": lambda x: _with_pack_hooks(x),
}


def _with_pack_hooks(x: torch.Tensor) -> torch.Tensor:
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 1, lambda t: t):
        return x.tanh()


def _freed_by_reading(function: Node) -> bool:
    """The slow answer: some slot raises torch's 'freed' error."""
    for slot in saved_slots(function):
        try:
            getattr(function, slot)
        except RuntimeError:
            return True
    return False


@pytest.mark.parametrize("make", PROGRAMS.values(), ids=PROGRAMS.keys())
@pytest.mark.parametrize("backward", ["none", "retained", "freed", "retained then freed"])
def test_released_says_what_reading_the_slots_says(
    make: Callable[[torch.Tensor], torch.Tensor], backward: str
) -> None:
    x = torch.randn(6, requires_grad=True)
    y = make(x)
    function = y.grad_fn
    assert function is not None
    shapes = read_saved_shapes(function)  # as the recorder reads a node before its backward
    if backward in ("retained", "retained then freed"):
        y.sum().backward(retain_graph=True)
    if backward in ("freed", "retained then freed"):
        y.sum().backward()
    expected = _freed_by_reading(function)
    if any(shape is not None for shape in shapes.values()):
        assert _released(function, shapes) == expected
    else:  # no tensor slot to look at: the trace reads every slot as before
        assert not _released(function, shapes)
    if backward in ("none", "retained"):
        assert not expected
