"""Recording a live session (a notebook's own Python) into the records the interpreter makes.

The interpreter reports each tensor an expression produced, with the expression's AST node;
`trace` reads those records (app/engine/recorder.py). A notebook has no program text of ours, so
`LiveRecording` — a `TorchFunctionMode` active inside `with record():` — sees every torch call
instead, and keeps, per call: the function, its operands (tensors and numbers) and the tensors it
returned. `records()` then writes a *transcript*: one line of Python-like text per call
(`x * y`, `torch.sin(a)`, `w.sum()`), parsed with `ast.parse` (never executed) so that each call
has an AST node and the same `Produced` / `Operand` records a program run has. Backward calls are
observed live, through the very `Recorder` hooks the interpreter uses, and so are `nn.Module`
calls (the recorder's forward hooks, app/engine/module_calls.py, for the block only).

Nothing here changes what torch computes: each call runs as it was made, with the mode off.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from app.engine.recorder import Operand, Produced, Recorder, operand_nodes
from app.engine.records import Run, StepError

_BACKWARDS = {torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad}
_OPERATORS = {
    "add": "+", "sub": "-", "mul": "*", "div": "/", "true_divide": "/", "truediv": "/",
    "matmul": "@", "pow": "**", "floordiv": "//", "mod": "%",
}  # fmt: skip
_VIEW_ATTRIBUTES = {"T", "mT", "H", "mH", "real", "imag"}  # attributes that make a tensor
_NESTED_CHARS = 40  # an unnamed operand longer than this is written as its placeholder (tN)
MAX_CALLS = 100_000  # torch calls kept per recording: a long loop is cut, not kept whole


@dataclass(frozen=True, slots=True)
class LiveCall:
    """One torch call made while recording: what it took and what it returned."""

    name: str  # "mul", "sin", "sum", "detach", "tensor", ...
    method: bool  # called on a tensor (`a.sum()`) rather than as `torch.sum(a)`
    operands: tuple[Any, ...]  # the tensors and numbers it took, in order
    outputs: tuple[torch.Tensor, ...]
    requires_grad: tuple[bool, ...]  # per operand, when the call ran
    detached_from: torch.Tensor | None = None


class LiveRecording(TorchFunctionMode):
    """Active while a `with record():` block runs (see the module docstring)."""

    def __init__(self, kept_calls: int = 20) -> None:
        super().__init__()
        self.recorder = Recorder(kept_calls)
        self.calls: list[LiveCall] = []
        self.backward_at: list[int] = []  # per backward call: how many torch calls preceded it
        self.truncated = False
        self.failure: BaseException | None = None  # what the last backward raised, if it did

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        if func in _BACKWARDS:
            return self._backward(func, list(args), kwargs)
        result = func(*args, **kwargs)
        call = _call_of(func, args, kwargs, result)
        if call is not None:
            for output in call.outputs:  # which module call made it (app/engine/module_calls.py)
                self.recorder.modules.saw(output)
            if len(self.calls) < MAX_CALLS:
                self.calls.append(call)
            else:
                self.truncated = True
        return result

    def _backward(self, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        self.backward_at.append(len(self.calls))
        self.recorder.before_backward(func, args, kwargs)
        try:
            result = func(*args, **kwargs)
        except Exception as exc:  # the call stays `completed=False`; trace marks its node
            self.failure = exc
            raise
        self.recorder.after_backward()
        return result

    def __enter__(self) -> LiveRecording:
        """Module calls are recorded as for a program: process-global forward hooks, for the
        block only (`finish` removes them with the autograd hooks)."""
        super().__enter__()
        self.recorder.modules.install()
        return self

    def finish(self) -> None:
        """The block is over: our hooks leave the autograd nodes and nn.Module's global
        forward hooks (see Recorder.release), so nothing of the recording survives it."""
        self.recorder.release()

    def run(self, namespace: dict[str, Any]) -> tuple[Run, str]:
        """The records `trace.build_graph` reads, and the transcript they point into."""
        names = {id(v): k for k, v in namespace.items() if isinstance(v, torch.Tensor)}
        transcript = _Transcript(names)
        for number, call in enumerate(self.calls):
            transcript.add(call, self.recorder, number)
        for call, at in zip(self.recorder.backwards, self.backward_at, strict=False):
            call.line = transcript.line_of_call(at)
        device = next((str(c.outputs[0].device) for c in self.calls if c.outputs), "cpu")
        error = None
        if self.failure is not None and self.backward_at:
            line = transcript.line_of_call(self.backward_at[-1])
            error = StepError(type(self.failure).__name__, str(self.failure), line, {})
        run = Run([], error, {}, namespace, device, self.recorder)
        return run, "\n".join(transcript.lines)


def live_run(roots: list[torch.Tensor], namespace: dict[str, Any]) -> tuple[Run, str]:
    """The records for tensors made outside any recording: what autograd itself keeps (their
    grad_fn graph, leaves through AccumulateGrad, saved tensors, `.grad`), no transcript."""
    recorder = Recorder()
    device = str(roots[0].device) if roots else "cpu"
    return Run([], None, {}, namespace, device, recorder), ""


def _call_of(func: Any, args: Any, kwargs: dict[str, Any], result: Any) -> LiveCall | None:
    outputs = _tensors(result)
    if not outputs:
        return None
    name = getattr(func, "__name__", "op")
    owner = args[0] if args else None
    if name == "__get__":  # a tensor attribute: `.data` (detached), `.T`; `.grad` is no op
        attribute = getattr(getattr(func, "__self__", None), "__name__", "")
        if attribute == "data":
            return LiveCall("data", True, (owner,), outputs, (False,), detached_from=owner)
        if attribute not in _VIEW_ATTRIBUTES:
            return None
        name = attribute
    operands = tuple(_operands([*args, *kwargs.values()]))
    method = isinstance(owner, torch.Tensor) and _is_method(func)
    name, reflected = _operator_name(name)
    if reflected:  # `2 * x` calls x.__rmul__(2): the operands in the order written
        operands = operands[::-1]
    flags = tuple(isinstance(o, torch.Tensor) and o.requires_grad for o in operands)
    detached = owner if name in ("detach", "detach_") else None
    return LiveCall(name, method, operands, outputs, flags, detached)


def _operator_name(name: str) -> tuple[str, bool]:
    """`__mul__` → mul, `__rmul__` → (mul, reflected), `__imul__` → mul."""
    if not (name.startswith("__") and name.endswith("__")):
        return name, False
    inner = name[2:-2]
    for prefix in ("r", "i"):
        if inner.startswith(prefix) and inner[1:] in _OPERATORS:
            return inner[1:], prefix == "r"
    return inner, False


def _is_method(func: Any) -> bool:
    return getattr(func, "__qualname__", "").startswith(("Tensor.", "TensorBase."))


def _tensors(result: Any) -> tuple[torch.Tensor, ...]:
    items = result if isinstance(result, list | tuple) else (result,)
    return tuple(item for item in items if isinstance(item, torch.Tensor))


def _operands(values: list[Any]) -> list[Any]:
    found: list[Any] = []
    for value in values:
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, torch.Tensor) or _is_number(item):
                found.append(item)
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Transcript:
    """Lines of text standing for the calls, with the records that point into them."""

    def __init__(self, names: dict[int, str]) -> None:
        self.names = names
        self.text: dict[int, str] = {}  # id(tensor) → how later lines write it
        self.placeholders: dict[int, str] = {}
        self.lines: list[str] = []
        self.first_line: list[int] = []  # per call: its line

    def add(self, call: LiveCall, recorder: Recorder, number: int) -> None:
        words = [self._word(o) for o in call.operands]
        line = _expression(call, words)
        node = ast.parse(line, mode="eval").body
        ast.increment_lineno(node, len(self.lines))
        self.lines.append(line)
        self.first_line.append(len(self.lines))
        children = operand_nodes(node)
        operands = tuple(
            Operand(child, value, flag)
            for child, value, flag in zip(children, call.operands, call.requires_grad, strict=False)
        )
        for output in call.outputs:
            recorder.produced.append(
                Produced(output, node, number + 1, call.detached_from, operands)
            )
            function = output.grad_fn
            if function is not None and function not in recorder.function_operands:
                recorder.function_operands[function] = operands
            self.text.setdefault(id(output), line)

    def line_of_call(self, at: int) -> int:
        """The line of the last call before a backward (where its root was made)."""
        return self.first_line[at - 1] if 0 < at <= len(self.first_line) else 0

    def _word(self, value: Any) -> str:
        if not isinstance(value, torch.Tensor):
            return repr(value)
        key = id(value)
        if key in self.names:
            return self.names[key]
        text = self.text.get(key)
        if text is not None and len(text) <= _NESTED_CHARS:
            return text if text.isidentifier() else f"({text})"
        return self.placeholders.setdefault(key, f"t{len(self.placeholders)}")


def _expression(call: LiveCall, words: list[str]) -> str:
    symbol = _OPERATORS.get(call.name)
    if symbol and len(words) == 2:
        return f"{words[0]} {symbol} {words[1]}"
    if call.name == "neg" and len(words) == 1:
        return f"-{words[0]}"
    if call.method and words:
        return f"{words[0]}.{call.name}({', '.join(words[1:])})"
    return f"torch.{call.name}({', '.join(words)})"
