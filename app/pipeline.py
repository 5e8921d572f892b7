"""The one composer: parse → run (→ trace → render, next) with timings per stage.

The JSON API and the HTML pages both call `execute`; `payload` turns its Outcome into the JSON
contract of DESIGN.md, so both speak from the same data.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from app.engine.devices import available_devices, resolve_device, torch_version
from app.engine.records import Run, StepError
from app.engine.run import run_program
from app.lang.math_notation import compile_math
from app.lang.parse import parse
from app.settings import Limits

__all__ = ["Outcome", "RunRequest", "available_devices", "execute", "payload", "torch_version"]


@dataclass(frozen=True, slots=True)
class RunRequest:
    source: str
    mode: str = "python"
    inputs: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"


@dataclass(frozen=True, slots=True)
class Outcome:
    code: str
    run: Run
    timings_ms: dict[str, float]
    notes: tuple[str, ...] = ()
    # math mode: line of `code` → line of what the student typed
    line_map: dict[int, int] | None = None


def execute(request: RunRequest, limits: Limits) -> Outcome:
    """Raises ProgramError (a refusal) or returns an Outcome (which may hold a step error)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    device = resolve_device(request.device)
    code, notes, line_map = _source_code(request, limits)
    program = parse(code, limits)
    parsed = time.perf_counter()
    timings["parse"] = _ms(parsed - started)
    run = run_program(program, device, limits)
    timings["run"] = _ms(time.perf_counter() - parsed)
    return Outcome(code=code, run=run, timings_ms=timings, notes=notes, line_map=line_map)


def _source_code(
    request: RunRequest, limits: Limits
) -> tuple[str, tuple[str, ...], dict[int, int] | None]:
    """The PyTorch program to run: the source itself, or what math notation compiles to."""
    source = request.source.replace("\r\n", "\n")
    if request.mode != "math":
        return source, (), None
    compiled = compile_math(source, request.inputs, limits)
    notes = tuple(f"{name} was not given and defaults to 1.0" for name in compiled.defaulted)
    if compiled.summed:
        notes += (f"{compiled.output} is not a scalar: backward() runs on {compiled.output}.sum()",)
    return compiled.code, notes, compiled.line_map


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def payload(outcome: Outcome) -> dict[str, Any]:
    run = outcome.run
    lines = outcome.line_map or {}
    return {
        "ok": run.error is None,
        "code": outcome.code,
        "device": run.device,
        "notes": list(outcome.notes),
        "steps": [
            {
                "line": step.line,
                "source_line": lines.get(step.line, step.line) if lines else step.line,
                "source": step.source,
                "status": step.status,
                "output": step.output,
                "warnings": step.warnings,
                "error": _error(step.error, lines),
            }
            for step in run.steps
        ],
        "error": _error(run.error, lines),
        "tensors": {name: asdict(state) for name, state in run.tensors.items()},
        "timings_ms": outcome.timings_ms,
    }


def _error(error: StepError | None, lines: dict[int, int]) -> dict[str, Any] | None:
    if error is None:
        return None
    return {
        "type": error.type,
        "message": error.message,
        "line": error.line,
        "source_line": lines.get(error.line, error.line) if lines else error.line,
        "hint": error.hints["en"],
        "hints": error.hints,
    }
