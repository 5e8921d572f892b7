"""What a run produces: typed records handed to trace, pipeline and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StepError:
    """An exception raised by torch or Python while a statement ran: a result, not a refusal."""

    type: str
    message: str
    line: int
    hints: dict[str, str]


@dataclass(slots=True)
class Step:
    line: int
    source: str
    status: str = "ok"
    output: str = ""
    warnings: list[str] = field(default_factory=list)
    error: StepError | None = None


@dataclass(frozen=True, slots=True)
class TensorState:
    value: Any
    grad: Any
    shape: list[int]
    dtype: str
    device: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    retains_grad: bool
    version: int
    truncated: bool = False
    summary: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ParameterSeries:
    """One parameter over the backward calls of a run (see app/engine/training.py).

    Numbers are floats, or "nan"/"inf"/"-inf" (JSON has no literal for them); None where the
    name was not bound to a parameter-like leaf at that call."""

    name: str  # "w", "x", or a module's parameter as "net.0.weight"
    shape: tuple[int, ...]  # its shape at the last call that saw it
    kind: str  # "value" (one element: points are its value) or "norm" (points are L2 norms)
    points: tuple[Any, ...]  # one per backward call
    elements: tuple[Any, ...] | None  # per call, all values (flat) when it has 2 to 4 elements


@dataclass(frozen=True, slots=True)
class TrainingSeries:
    """The loss and the parameters at each backward call, read just before it ran."""

    calls: int  # backward calls in the run: the x axis is 1..calls
    lines: tuple[int, ...]  # the source line of each backward call
    loss: tuple[Any, ...]  # the backward root's value when it has one element, else None
    parameters: tuple[ParameterSeries, ...]  # named leaves first, then module parameters
    truncated: bool  # more parameters than the recorder follows (the rest are left out)


@dataclass(frozen=True, slots=True)
class Run:
    """A finished (or failed) run. `namespace` holds the live values, for trace."""

    steps: list[Step]
    error: StepError | None
    tensors: dict[str, TensorState]
    namespace: dict[str, Any]
    device: str
    recorder: Any = None  # app.engine.recorder.Recorder when the graph was asked for
    training: TrainingSeries | None = None  # None when the run made no backward call
