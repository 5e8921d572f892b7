"""Which module call made each op: forward hooks on every `nn.Module.__call__` during a run.

A pre-hook opens a call (pushed on a stack, so nested calls — `nn.Sequential` calling its
children, a program's `forward` calling `self.linear` — know their parent); the post-hook closes
it and claims the grad_fn nodes its outputs hang on that no earlier call or statement made: a
walk back from the outputs' grad_fns that stops at nodes known from before the call opened (the
inputs' grad_fns among them). A node claimed by a child is claimed again by its parent, so each
call's set holds its children's; trace assigns a node to the innermost call that claimed it.

Tensors the interpreter records while a call is open belong to it (a program's `forward` makes
them), except the call's own outputs, which belong to the caller. The hooks are process-global
(PyTorch's `register_module_forward_*_hook`), installed for one recorded run under the run lock
and removed when it ends; they return None, so no module's output changes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.autograd.graph import Node
from torch.nn.modules import module as nn_module


@dataclass(slots=True, eq=False)
class ModuleCall:
    module: torch.nn.Module
    parent: ModuleCall | None  # the enclosing call, None for a call from the program
    inputs: list[tuple[int, ...]]  # shapes of its tensor arguments
    arguments: list[int] = field(default_factory=list)  # ids of those tensors
    outputs: list[tuple[int, ...]] = field(default_factory=list)
    functions: set[Node] = field(default_factory=set)  # its grad_fns (its children's too)
    tensors: set[int] = field(default_factory=set)  # ids of tensors recorded during it
    start: int = 0  # the epoch at which it opened


class ModuleCalls:
    """The run's module calls, in the order they were made: the last `max_calls` or so (a
    program's calls come whole, with their children; the oldest go first, since the graph
    shows what the last iterations built)."""

    def __init__(self, max_calls: int = 2000) -> None:
        self.max_calls = max_calls
        self.calls: deque[ModuleCall] = deque()
        self.stack: list[ModuleCall] = []
        self.dropped = 0  # calls forgotten to stay within max_calls
        # grad_fn → the epoch it became known (recorded by a statement or claimed by a call)
        self.known: dict[Node, int] = {}
        self.epoch = 0
        self._handles: list[Any] = []

    def install(self) -> None:
        self._handles = [
            nn_module.register_module_forward_pre_hook(self._opened),
            nn_module.register_module_forward_hook(self._closed, always_call=True),
        ]

    def release(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def current(self) -> ModuleCall | None:
        return self.stack[-1] if self.stack else None

    def saw(self, tensor: torch.Tensor) -> None:
        """A statement recorded `tensor`: its grad_fn existed from now on."""
        function = tensor.grad_fn
        if function is not None and function not in self.known:
            self.known[function] = self.epoch
            self.epoch += 1
        if self.stack:
            self.stack[-1].tensors.add(id(tensor))

    def _opened(self, module: torch.nn.Module, args: tuple[Any, ...]) -> None:
        if not self.stack:
            self._forget_oldest()
        given = _tensors(args)
        call = ModuleCall(
            module, self.current(), [tuple(t.shape) for t in given], [id(t) for t in given]
        )
        call.start = self.epoch
        self.calls.append(call)
        self.stack.append(call)
        self.epoch += 1

    def _forget_oldest(self) -> None:
        """Before a call from the program: the oldest calls from the program, with their
        children, while there are more than max_calls."""
        while len(self.calls) >= self.max_calls:
            self.calls.popleft()
            self.dropped += 1
            while self.calls and self.calls[0].parent is not None:
                self.calls.popleft()
                self.dropped += 1

    def _closed(self, module: torch.nn.Module, args: tuple[Any, ...], output: Any) -> None:
        if not self.stack or self.stack[-1].module is not module:
            return  # a call opened before the hooks were installed
        call = self.stack.pop()
        outputs = _tensors(output)
        call.outputs = [tuple(t.shape) for t in outputs]
        inputs = {t.grad_fn for t in _tensors(args) if t.grad_fn is not None}
        self._claim(call, [t.grad_fn for t in outputs if t.grad_fn is not None], inputs)
        for tensor in outputs:  # the caller's: it is what the call handed back
            if id(tensor) in call.tensors:
                call.tensors.discard(id(tensor))
                if call.parent is not None:
                    call.parent.tensors.add(id(tensor))

    def _claim(self, call: ModuleCall, starts: list[Node], inputs: set[Node]) -> None:
        stack = list(starts)
        while stack:
            function = stack.pop()
            if function in call.functions or function in inputs or hasattr(function, "variable"):
                continue  # a leaf's AccumulateGrad: trace places parameters by their module
            if self.known.get(function, call.start) < call.start:
                continue  # made before this call opened
            call.functions.add(function)
            if function not in self.known:
                self.known[function] = self.epoch
                self.epoch += 1
            stack.extend(nxt for nxt, _ in function.next_functions if nxt is not None)


def _tensors(value: Any) -> list[torch.Tensor]:
    """The tensors among a call's arguments or outputs (one level of tuple, list or dict)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, torch.Tensor)]
    return []
