"""The training series: the loss and the parameters at every backward call of a run.

At each backward call (`l.backward()`, `torch.autograd.backward/grad`) the recorder reads, before
the backward runs:

- the loss: the backward root's value when it has one element (else None);
- every parameter-like leaf: a tensor bound to a global name that is a leaf and requires grad
  (`w`, `b`, `x`), and every parameter of a module bound to a global name, named after the module
  as `named_parameters()` spells it (`net.0.weight`). Its point is its value when it has one
  element, else its L2 norm; tensors of at most ELEMENTS elements also keep every element.

So point i is the loss computed from the parameters of point i (a step updates them after the
backward). Reading values never changes autograd's state. The series is plain data (records.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch

from app.engine.records import ParameterSeries, TrainingSeries
from app.engine.snapshot import json_safe

MAX_SERIES = 12  # parameters followed at most (the rest are left out, `truncated`)
ELEMENTS = 4  # tensors up to this size also keep one line per element


def named_parameters(namespace: dict[str, Any]) -> Iterator[tuple[str, torch.Tensor]]:
    """Module parameters reachable from global names, as `net.0.weight` (for the graph too)."""
    for name, value in namespace.items():
        if isinstance(value, torch.nn.Module):
            for inner, parameter in value.named_parameters():
                yield f"{name}.{inner}", parameter


def parameter_leaves(namespace: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Named leaves that require grad, then module parameters; each tensor once."""
    seen: set[int] = set()
    found: list[tuple[str, torch.Tensor]] = []
    named = (
        (name, value)
        for name, value in namespace.items()
        if isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad
    )
    for source in (named, named_parameters(namespace)):
        for name, tensor in source:
            if id(tensor) not in seen:
                seen.add(id(tensor))
                found.append((name, tensor))
    return found


class _Line:
    __slots__ = ("shape", "points", "elements")

    def __init__(self, calls: int) -> None:
        self.shape: tuple[int, ...] = ()
        self.points: list[Any] = [None] * calls
        self.elements: list[Any] = [None] * calls


class TrainingRecorder:
    def __init__(self) -> None:
        self.loss: list[Any] = []
        self.lines: list[int] = []
        self.series: dict[str, _Line] = {}
        self.truncated = False

    def backward(self, roots: list[torch.Tensor], namespace: dict[str, Any], line: int) -> None:
        calls = len(self.loss)
        root = roots[0] if roots else None
        self.loss.append(_scalar(root) if root is not None and root.numel() == 1 else None)
        self.lines.append(line)
        for name, tensor in parameter_leaves(namespace):
            series = self.series.get(name)
            if series is None:
                if len(self.series) >= MAX_SERIES:
                    self.truncated = True
                    continue
                series = self.series[name] = _Line(calls)
            series.shape = tuple(tensor.shape)
            series.points.append(_point(tensor))
            small = 1 < tensor.numel() <= ELEMENTS and tensor.device.type != "meta"
            values = tuple(json_safe(tensor.detach().flatten().tolist())) if small else None
            series.elements.append(values)
        for series in self.series.values():
            while len(series.points) <= calls:  # not bound at this call
                series.points.append(None)
                series.elements.append(None)

    def result(self) -> TrainingSeries | None:
        if not self.loss:
            return None
        parameters = tuple(
            ParameterSeries(
                name=name,
                shape=line.shape,
                kind="value" if _numel(line.shape) == 1 else "norm",
                points=tuple(line.points),
                elements=tuple(line.elements) if any(line.elements) else None,
            )
            for name, line in self.series.items()
        )
        return TrainingSeries(
            calls=len(self.loss),
            lines=tuple(self.lines),
            loss=tuple(self.loss),
            parameters=parameters,
            truncated=self.truncated,
        )


def _numel(shape: tuple[int, ...]) -> int:
    total = 1
    for size in shape:
        total *= size
    return total


def _point(tensor: torch.Tensor) -> Any:
    if tensor.device.type == "meta" or tensor.numel() == 0:
        return None
    if tensor.numel() == 1:
        return _scalar(tensor)
    return json_safe(float(tensor.detach().norm()))


def _scalar(tensor: torch.Tensor) -> Any:
    if tensor.device.type == "meta" or tensor.is_complex():
        return None
    return json_safe(float(tensor.detach().reshape(())))
