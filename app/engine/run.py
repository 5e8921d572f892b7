"""Running a Program: fresh torch state in, a Run out, global torch state left as it was.

Runs are serialised in one process: torch's RNG, grad mode and Python's warnings filters are
process-wide, so two runs at once would see each other's state.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import torch

from app.engine.budget import Budget
from app.engine.interpreter import Interpreter
from app.engine.library import warm_up as warm_up_training
from app.engine.namespaces import TORCH
from app.engine.recorder import Recorder
from app.engine.records import Run, TensorState
from app.engine.sizing import warm_up
from app.engine.snapshot import tensor_state
from app.engine.transforms import warm_up as warm_up_transforms
from app.engine.vision import warm_up as warm_up_vision
from app.lang.program import Program
from app.settings import Limits

_RUN_LOCK = threading.Lock()


def _seed_zero_state() -> torch.Tensor:
    saved = torch.get_rng_state()
    torch.manual_seed(0)
    state = torch.get_rng_state()
    torch.set_rng_state(saved)
    return state


# Setting a saved state is ~50× cheaper than torch.manual_seed(0) and leaves the same generator.
_SEED_ZERO = _seed_zero_state()
warm_up()
warm_up_training()
warm_up_transforms()
warm_up_vision()


def run_program(
    program: Program,
    device: str,
    limits: Limits,
    *,
    record: bool = False,
    stop_after: int | None = None,
    kept_calls: int = 20,
    module_calls: int = 2000,
) -> Run:
    """`record` observes autograd for the graph (keeping the gradients of `kept_calls` backward
    calls: the first and the last ones, and the last `module_calls` nn.Module calls);
    `stop_after` N statements gives the state after step N (runs are deterministic, so
    re-running up to there is the same run)."""
    recorder = Recorder(kept_calls, module_calls) if record else None
    with (
        _RUN_LOCK,
        _fresh_torch_state(device),
        _recursion_room(limits),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        env: dict[str, Any] = {"torch": TORCH}
        interpreter = Interpreter(program, env, Budget(limits), recorder, stop_after)
        interpreter.caught = caught
        if recorder is not None:
            recorder.modules.install()  # removed by release(), still under the run lock
        try:
            error = interpreter.run()
        finally:
            if recorder is not None:
                recorder.release()
        tensors = _tensor_states(env, limits.max_value_elements)
    return Run(
        steps=interpreter.steps,
        error=error,
        tensors=tensors,
        namespace=env,
        device=device,
        recorder=recorder,
        training=interpreter.training.result(),
    )


@contextlib.contextmanager
def _fresh_torch_state(device: str) -> Iterator[None]:
    saved_rng = torch.get_rng_state()
    saved_grad_mode = torch.is_grad_enabled()
    torch.set_rng_state(_SEED_ZERO)
    if device.startswith("cuda"):
        torch.cuda.manual_seed_all(0)
    try:
        with torch.enable_grad(), _default_device(device):
            yield
    finally:
        torch.set_rng_state(saved_rng)
        torch.set_grad_enabled(saved_grad_mode)


@contextlib.contextmanager
def _recursion_room(limits: Limits) -> Iterator[None]:
    """Room on Python's stack for max_call_depth nested calls of the program's functions: each
    takes about 8 interpreter frames, plus its expressions' nesting. A run that still overflows
    is refused as max_call_depth (the interpreter converts RecursionError)."""
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved, 1_000 + limits.max_call_depth * 60))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def _default_device(device: str) -> contextlib.AbstractContextManager[Any]:
    """Factories without `device=` create on the chosen device (the CPU needs nothing)."""
    return contextlib.nullcontext() if device == "cpu" else torch.device(device)


def _tensor_states(env: dict[str, Any], max_elements: int) -> dict[str, TensorState]:
    return {
        name: tensor_state(value, max_elements)
        for name, value in env.items()
        if isinstance(value, torch.Tensor)
    }
