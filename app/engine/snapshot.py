"""A tensor's state as plain JSON-ready data, read without disturbing PyTorch.

Reading `.grad` of a non-leaf makes PyTorch warn, so it is read only where PyTorch keeps one.
Non-finite numbers become the strings "nan", "inf", "-inf" (JSON has no literal for them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import chain
from typing import Any

import torch

from app.engine.records import TensorState


def tensor_state(tensor: torch.Tensor, max_elements: int) -> TensorState:
    value, truncated, summary = values_of(tensor, max_elements)
    grad = None
    if tensor.is_leaf or tensor.retains_grad:
        grad_tensor = tensor.grad
        grad = None if grad_tensor is None else values_of(grad_tensor, max_elements)[0]
    return TensorState(
        value=value,
        grad=grad,
        shape=list(tensor.shape),
        dtype=str(tensor.dtype).removeprefix("torch."),
        device=str(tensor.device),
        requires_grad=tensor.requires_grad,
        is_leaf=tensor.is_leaf,
        grad_fn=None if tensor.grad_fn is None else grad_fn_name(tensor.grad_fn),
        retains_grad=tensor.retains_grad,
        version=version_of(tensor),
        truncated=truncated,
        summary=summary,
    )


def grad_fn_name(function: Any) -> str:
    """The name `print(t.grad_fn)` shows: the node's Python type (`CopySlices`), not `name()`,
    which for nodes implemented in C++ is the qualified `torch::autograd::CopySlices`."""
    return type(function).__name__


def version_of(tensor: torch.Tensor) -> int:
    """In-place changes so far; an inference-mode tensor keeps no count (reading it raises)."""
    return 0 if tensor.is_inference() else tensor._version


_WALKED = 16  # a flat list this long is walked in Python faster than torch is called
_SUMMED = 4096  # up to this many elements, Python's C-level sum answers faster than torch's check


def values_of(tensor: torch.Tensor, max_elements: int) -> tuple[Any, bool, dict[str, Any] | None]:
    """(nested values or None, truncated, summary) — values moved to the CPU for display."""
    if tensor.device.type == "meta":
        return None, False, None
    data = tensor.detach()
    if data.device.type != "cpu":
        data = data.cpu()
    if data.numel() > max_elements:
        return None, True, _summary(data)
    values = data.tolist()
    if _needs_spelling(data, values):
        values = json_safe(values)
    return values, False, None


def _needs_spelling(data: torch.Tensor, values: Any) -> bool:
    """Whether the values hold what JSON cannot (inf, nan, complex numbers): past a few
    elements one check in torch costs less than the walk in Python that spells them."""
    if data.is_complex():
        return True
    if not data.is_floating_point():
        return False
    if data.dim() <= 1 and data.numel() <= _WALKED:
        return True
    if data.numel() <= _SUMMED and data.dim() <= _FLATTENED:
        # inf and nan survive a sum (inf - inf is nan), so a finite sum means every value is
        # finite; a sum that overflows only costs the walk that would have found nothing
        return not math.isfinite(sum(_flat(values, data.dim())))
    # flat: torch's elementwise kernels take at most 64 dimensions, a tensor may have more
    return not bool(torch.isfinite(data.reshape(-1)).all())


_FLATTENED = 4  # nesting flattened by chaining iterators; deeper tensors ask torch


def _flat(values: Any, dims: int) -> Iterable[float]:
    for _ in range(dims - 1):
        values = chain.from_iterable(values)
    return values


def json_safe(value: Any) -> Any:
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, complex):
        return {"re": json_safe(value.real), "im": json_safe(value.imag)}
    return value


def _summary(data: torch.Tensor) -> dict[str, Any]:
    if data.is_complex() or data.numel() == 0:
        return {}
    # Reductions only: a float64 copy of a large tensor could cost more memory than the run.
    low, high = torch.aminmax(data if data.dtype != torch.bool else data.to(torch.uint8))
    total = data.sum(dtype=torch.float64)
    stats = {"min": low, "max": high, "mean": total / data.numel()}
    return {name: json_safe(stat.item()) for name, stat in stats.items()}
