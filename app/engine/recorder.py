"""Observing what autograd does during a run, for the graph, without changing what it does.

The interpreter reports every tensor an operation produced (with the expression that made it),
every `detach()`, and every backward call. Just before a backward runs, the recorder walks the
graph from its roots and registers hooks on each grad_fn node: a pre-hook sees the gradient that
flows *into* the node (the `flow_grad` of its output tensor), a post-hook the gradients it sends
along each edge, and the order in which the post-hooks fire is PyTorch's own execution order.
Hooks return None, so PyTorch's gradients are unchanged; `.grad` of a non-leaf stays None.

Each `optimizer.step()` is observed too: the last one's parameters before and after the step
(copies), so the graph can show what the step changed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import torch
from torch._C._functorch import is_batchedtensor, is_legacy_batchedtensor
from torch.autograd.graph import Node


@dataclass(slots=True)
class Produced:
    tensor: torch.Tensor
    node: ast.AST
    step: int
    detached_from: torch.Tensor | None = None


@dataclass(slots=True)
class BackwardCall:
    roots: list[torch.Tensor]
    gradients: list[torch.Tensor | None]
    step: int
    completed: bool = False  # False when the backward raised (e.g. a second backward)
    order: list[Node] = field(default_factory=list)
    flow: dict[Node, tuple[Any, ...]] = field(default_factory=dict)
    sent: dict[Node, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class ParameterUpdate:
    tensor: torch.Tensor  # the parameter itself (a leaf)
    before: torch.Tensor  # copies of its value around the step
    after: torch.Tensor | None = None


@dataclass(slots=True)
class OptimizerStep:
    optimizer: Any
    step: int  # the program step (statement) that called optimizer.step()
    number: int  # 1 for the run's first optimizer.step(), 2 for the second, ...
    updates: list[ParameterUpdate] = field(default_factory=list)
    completed: bool = False


def saved_slots(function: Node) -> list[str]:
    """The `_saved_*` attribute names of a grad_fn's type (cached: dir() is slow-ish)."""
    kind = type(function)
    names = _SAVED_SLOTS.get(kind)
    if names is None:
        names = [a for a in dir(kind) if a.startswith("_saved_")]
        _SAVED_SLOTS[kind] = names
    return names


_SAVED_SLOTS: dict[type, list[str]] = {}


class Recorder:
    def __init__(self) -> None:
        self.produced: list[Produced] = []
        self.backwards: list[BackwardCall] = []
        self.hooked: set[Node] = set()
        # Shapes of saved tensors, read before a backward frees them.
        self.saved_shapes: dict[Node, dict[str, list[int] | None]] = {}
        self.step = 0
        self._current: BackwardCall | None = None
        self.optimizer_steps = 0
        self.last_step: OptimizerStep | None = None  # the last optimizer.step()
        self._handles: list[Any] = []

    def release(self) -> None:
        """Remove our hooks from the autograd nodes once the run is over. A hook is a closure
        over this recorder, which holds the run's tensors, which hold those nodes: a cycle
        through C++ that Python's collector cannot see, so without this every recorded run
        stayed in the worker's memory (and made each full collection slower)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def tensor(self, tensor: torch.Tensor, node: ast.AST, detached_from: Any = None) -> None:
        source = detached_from if isinstance(detached_from, torch.Tensor) else None
        self.produced.append(Produced(tensor, node, self.step, source))

    def before_backward(self, func: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
        roots, gradients = roots_and_gradients(func, args, kwargs)
        call = BackwardCall(roots=roots, gradients=gradients, step=self.step)
        self.backwards.append(call)
        self._current = call
        for root in roots:
            if root.grad_fn is not None:
                self._hook_from(root.grad_fn)

    def after_backward(self) -> None:
        if self._current is not None:
            self._current.completed = True

    def before_step(self, optimizer: Any) -> None:
        self.optimizer_steps += 1
        params = [p for group in optimizer.param_groups for p in group["params"]]
        updates = [ParameterUpdate(p, p.detach().clone()) for p in params]
        self.last_step = OptimizerStep(optimizer, self.step, self.optimizer_steps, updates)

    def after_step(self) -> None:
        if self.last_step is not None:
            for update in self.last_step.updates:
                update.after = update.tensor.detach().clone()
            self.last_step.completed = True

    def _hook_from(self, start: Node) -> None:
        stack = [start]
        while stack:
            function = stack.pop()
            if function in self.hooked:
                continue
            self.hooked.add(function)
            self.saved_shapes[function] = read_saved_shapes(function)
            self._handles.append(function.register_prehook(self._pre_hook(function)))
            self._handles.append(function.register_hook(self._post_hook(function)))
            stack.extend(nxt for nxt, _ in function.next_functions if nxt is not None)

    def _pre_hook(self, function: Node) -> Any:
        def hook(grad_outputs: tuple[Any, ...]) -> None:
            if self._current is not None:
                self._current.flow[function] = _detached(grad_outputs)

        return hook

    def _post_hook(self, function: Node) -> Any:
        def hook(grad_inputs: tuple[Any, ...], _grad_outputs: tuple[Any, ...]) -> None:
            if self._current is not None:
                self._current.sent[function] = _detached(grad_inputs)
                self._current.order.append(function)

        return hook


def read_saved_shapes(function: Node) -> dict[str, list[int] | None]:
    shapes: dict[str, list[int] | None] = {}
    for slot in saved_slots(function):
        try:
            value = getattr(function, slot)
        except RuntimeError:  # already freed by an earlier backward
            shapes[slot] = None
            continue
        if isinstance(value, torch.Tensor):
            shapes[slot] = list(value.shape)
    return shapes


def _detached(grads: tuple[Any, ...]) -> tuple[Any, ...]:
    """Copies of the gradients for the graph. Under `is_grads_batched=True` autograd runs the
    backward inside vmap, whose batched gradients cannot be detached (nor kept past it): those
    are not recorded, so that observing never changes what the backward does."""
    return tuple(
        g.detach() if isinstance(g, torch.Tensor) and not _batched(g) else None for g in grads
    )


def _batched(tensor: torch.Tensor) -> bool:
    return is_legacy_batchedtensor(tensor) or is_batchedtensor(tensor)


def roots_and_gradients(
    func: Any, args: list[Any], kwargs: dict[str, Any]
) -> tuple[list[torch.Tensor], list[torch.Tensor | None]]:
    """`z.backward(g)`, `torch.autograd.backward(ts, gs)`, `torch.autograd.grad(outs, ins, gs)`."""
    owner = getattr(func, "__self__", None)
    if isinstance(owner, torch.Tensor):
        gradient = args[0] if args else kwargs.get("gradient")
        return [owner], [gradient if isinstance(gradient, torch.Tensor) else None]
    first = args[0] if args else kwargs.get("tensors", kwargs.get("outputs"))
    roots = list(first) if isinstance(first, list | tuple) else [first]
    grads_arg = kwargs.get("grad_tensors", kwargs.get("grad_outputs"))
    if grads_arg is None and len(args) > (2 if func.__name__ == "grad" else 1):
        grads_arg = args[2] if func.__name__ == "grad" else args[1]
    grads = list(grads_arg) if isinstance(grads_arg, list | tuple) else [grads_arg] * len(roots)
    tensors = [r for r in roots if isinstance(r, torch.Tensor)]
    return tensors, [g if isinstance(g, torch.Tensor) else None for g in grads[: len(tensors)]]
