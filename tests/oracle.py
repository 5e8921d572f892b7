"""Test-only oracle: run programs with REAL Python `exec` and `import torch`, in a subprocess.

This is the expectation the parity tests hold the API to (docs/ARCHITECTURE.md, principle 1: every
program the playground accepts prints the same values, gradients and errors when pasted into
Python). It is never imported by app code, and app code is never imported into the subprocess:
the conversion of a tensor to JSON-ready data is written again here, from PyTorch's public API
only.

One subprocess runs a whole batch, after warming up what torch imports on first use (as the
API's workers do at start-up). Each program gets a fresh namespace `{"torch": torch}` (and
`__name__` "__main__", as a script has),
`torch.manual_seed(0)`, `random.seed(0)`, `numpy.random.seed(0)` and grad mode on, as every API
run does; each top-level statement that is a bare expression is compiled in "single" mode, so
it shows its repr as a notebook cell does (an expression inside a loop or an `if` shows nothing).
The answer per program is shaped like the API's: `tensors`, `error`, `output`, `warnings`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

# The address ends the repr; the name before it may hold brackets (`<function <lambda> at 0x...>`).
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")

SCRIPT = r"""
import ast
import contextlib
import io
import json
import math
import random
import sys
import warnings

import numpy
import torch

FILENAME = "<program>"


def warm_up():
    # torch.func's transforms, dual levels and gradcheck import parts of torch on first use,
    # which warn once (`torch.jit.script` is deprecated): a warm Python, as the API's workers
    # are (app/engine/transforms.py warms them the same way at start-up).
    import torch.func
    x = torch.ones(2, dtype=torch.double, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.func.hessian(lambda t: t.sin().sum())(x.detach())
        torch.func.vmap(torch.sin)(x.detach())
        torch.func.jvp(torch.sin, (x.detach(),), (x.detach(),))
        with torch.autograd.forward_ad.dual_level():
            torch.autograd.forward_ad.make_dual(x.detach(), x.detach()).sin()
        torch.autograd.gradgradcheck(torch.sin, (x,))


def import_torchvision():
    # PyPI's torchvision is built against CUDA torch: beside a CPU torch its C extension does
    # not load and `import torchvision` fails defining a fake kernel for torchvision::nms. Its
    # transforms are Python: the two operators' schemas are defined and the import tried again
    # (app/engine/tvcompat.py does the same for the API's workers).
    import sys
    try:
        import torchvision.transforms
    except RuntimeError as exc:
        if "torchvision::nms" not in str(exc):
            raise
        for name in [name for name in sys.modules if name.split(".")[0] == "torchvision"]:
            del sys.modules[name]
        library = torch.library.Library("torchvision", "DEF")
        library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        LIBRARIES.append(library)
        import torchvision.transforms
    # the first conversion and resize load lazy parts (as the API's workers warm them)
    transforms = torchvision.transforms
    saved = torch.get_rng_state()
    steps = [transforms.ToPILImage(), transforms.RandomResizedCrop(2), transforms.Grayscale(),
             transforms.RandomHorizontalFlip(), transforms.ToTensor()]
    transforms.Compose(steps)(torch.rand(3, 4, 4))
    transforms.Resize(2)(torch.rand(1, 4, 4))
    torch.set_rng_state(saved)


LIBRARIES = []
warm_up()
import_torchvision()


def json_safe(value):
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, complex):
        return {"re": json_safe(value.real), "im": json_safe(value.imag)}
    return value


def values(tensor):
    return json_safe(tensor.detach().cpu().tolist())


def state(tensor):
    grad = None
    if tensor.is_leaf or tensor.retains_grad:
        grad = None if tensor.grad is None else values(tensor.grad)
    return {
        "value": values(tensor),
        "grad": grad,
        "shape": list(tensor.shape),
        "dtype": str(tensor.dtype).removeprefix("torch."),
        "device": str(tensor.device),
        "requires_grad": tensor.requires_grad,
        "is_leaf": tensor.is_leaf,
        "grad_fn": None if tensor.grad_fn is None else type(tensor.grad_fn).__name__,
        "retains_grad": tensor.retains_grad,
        "version": 0 if tensor.is_inference() else tensor._version,
    }


def error_line(exc):
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def execute(source, namespace, device):
    module = ast.parse(source, FILENAME)
    manager = contextlib.nullcontext() if device == "cpu" else torch.device(device)
    with manager:
        for statement in module.body:
            # a top-level expression shows its value, as a notebook cell's would; one inside a
            # loop or an if does not (the REPL's "single" mode would show it on every pass)
            if isinstance(statement, ast.Expr):
                code = compile(ast.Interactive(body=[statement]), FILENAME, "single")
            else:
                code = compile(ast.Module(body=[statement], type_ignores=[]), FILENAME, "exec")
            exec(code, namespace)


def run_one(source, device):
    namespace = {"torch": torch, "__name__": "__main__"}  # a script's, as every run's
    torch.manual_seed(0)
    random.seed(0)
    numpy.random.seed(0)
    torch.set_grad_enabled(True)
    output = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(output):
            try:
                execute(source, namespace, device)
            except SyntaxError as exc:
                # the text is not a program (a note's typo): Python's own message and line
                error = {"type": type(exc).__name__, "message": exc.msg, "line": exc.lineno}
            except Exception as exc:
                error = {"type": type(exc).__name__, "message": str(exc), "line": error_line(exc)}
    torch.set_grad_enabled(True)
    tensors = {
        name: state(value)
        for name, value in namespace.items()
        if isinstance(value, torch.Tensor)
    }
    return {
        "tensors": tensors,
        "error": error,
        "output": output.getvalue(),
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
    }


def main():
    # one torch thread, as each of the API's workers runs (app/engine/devices.py): a reduction
    # split over threads sums in another order, and a gradient of rounding noise shows it
    torch.set_num_threads(1)
    request = json.load(sys.stdin)
    results = {name: run_one(source, request["device"]) for name, source in request["programs"]}
    sys.__stdout__.write(json.dumps(results))


main()
"""


def run_script(script: str, payload: Any) -> Any:
    """Run a test-only Python script with real `exec` semantics in a fresh interpreter: the
    payload goes in as JSON on standard input, the answer comes back as JSON on standard output."""
    completed = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        failed = f"oracle subprocess failed ({completed.returncode})"
        raise RuntimeError(f"{failed}:\n{completed.stderr}")
    return json.loads(completed.stdout)


def run_programs(programs: list[tuple[str, str]], device: str = "cpu") -> dict[str, dict[str, Any]]:
    """Run (name, source) pairs with real exec in one subprocess; {name: API-shaped answer}."""
    request = {"device": device, "programs": programs}
    answers: dict[str, dict[str, Any]] = run_script(SCRIPT, request)
    return answers


def normalise_output(text: str) -> str:
    """Printed text as the playground shows it: without memory addresses
    (`<MulBackward0 object at 0x7f...>` is `<MulBackward0 object>`)."""
    return _ADDRESS.sub("", text)
