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
class Run:
    """A finished (or failed) run. `namespace` holds the live values, for trace."""

    steps: list[Step]
    error: StepError | None
    tensors: dict[str, TensorState]
    namespace: dict[str, Any]
    device: str
    recorder: Any = None  # app.engine.recorder.Recorder when the graph was asked for
