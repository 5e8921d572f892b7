"""Observing what autograd does during a run, for the graph, without changing what it does.

The interpreter reports every tensor an operation produced (with the expression that made it),
every `detach()`, and every backward call. Just before a backward runs, the recorder walks the
graph from its roots and registers hooks on each grad_fn node: a pre-hook sees the gradient that
flows *into* the node (the `flow_grad` of its output tensor), a post-hook the gradients it sends
along each edge, and the order in which the post-hooks fire is PyTorch's own execution order.
Hooks return None, so PyTorch's gradients are unchanged; `.grad` of a non-leaf stays None.

Operands are observed too (for the graph to draw what PyTorch keeps no autograd edge for: constants,
`detach()` results, numbers): the evaluator reports the value of every expression it evaluates,
and when an operation produces a tensor the recorder keeps the values of that expression's operand
sub-expressions, with whether each required grad at that moment.

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

from app.engine.loops import LoopPath, Loops
from app.engine.module_calls import ModuleCalls


@dataclass(frozen=True, slots=True)
class Operand:
    """One operand of an operation as it was when the operation ran: a tensor or a number."""

    node: ast.AST
    value: Any  # a torch.Tensor, or an int / float / bool
    requires_grad: bool


@dataclass(slots=True)
class Produced:
    tensor: torch.Tensor
    node: ast.AST
    step: int
    detached_from: torch.Tensor | None = None
    operands: tuple[Operand, ...] = ()
    made_in: LoopPath = ()  # the loop iterations running when it was made (app/engine/loops.py)


@dataclass(slots=True)
class BackwardCall:
    roots: list[torch.Tensor]
    gradients: list[torch.Tensor | None]
    step: int
    completed: bool = False  # False when the backward raised (e.g. a second backward)
    line: int = 0
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
    def __init__(self, kept_calls: int = 20, module_calls: int = 2000) -> None:
        """`kept_calls`: backward calls whose gradients are kept (the first half and the last
        half of that many; the calls between keep their order only); `module_calls`: the most
        nn.Module calls remembered (the latest ones)."""
        self.kept_calls = kept_calls
        self.produced: list[Produced] = []
        self.backwards: list[BackwardCall] = []
        self.hooked: set[Node] = set()
        # Shapes of saved tensors, read before a backward frees them.
        self.saved_shapes: dict[Node, dict[str, list[int] | None]] = {}
        self._step = 0
        self._current: BackwardCall | None = None
        self.optimizer_steps = 0
        self.last_step: OptimizerStep | None = None  # the last optimizer.step()
        self._handles: list[Any] = []
        # The last value of each expression node the evaluator evaluated (tensors and numbers).
        self.values: dict[ast.AST, Any] = {}
        # The operands of the operation that made each grad_fn (the first one that did).
        self.function_operands: dict[Node, tuple[Operand, ...]] = {}
        # Non-leaf tensors whose `.grad` the program read (PyTorch warns: it is None).
        self.non_leaf_grads: list[tuple[torch.Tensor, int]] = []
        # Which module call made each op (app/engine/module_calls.py); hooks while recording.
        self.modules = ModuleCalls(module_calls)
        # Which loop iterations run now: each tensor is stamped with them, for folding.
        self.loops = Loops()

    @property
    def step(self) -> int:
        """The statement running now (the interpreter sets it as each one starts)."""
        return self._step

    @step.setter
    def step(self, value: int) -> None:
        # A new statement: the last one's operand values are no longer needed. Holding them
        # longer would keep temporaries alive that Python would have dropped, and a tensor's
        # reference count is something PyTorch reads (AccumulateGrad adds into `.grad` in
        # place only when nothing else holds it).
        self._step = value
        self.values.clear()

    def release(self) -> None:
        """Remove our hooks from the autograd nodes once the run is over. A hook is a closure
        over this recorder, which holds the run's tensors, which hold those nodes: a cycle
        through C++ that Python's collector cannot see, so without this every recorded run
        stayed in the worker's memory (and made each full collection slower)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        self.modules.release()

    def seen(self, node: ast.AST, value: Any) -> None:
        """The evaluator evaluated `node` to `value`: remembered while it may be an operand
        (any value: a type check here would cost more than the store, on every expression)."""
        self.values[node] = value

    def tensor(self, tensor: torch.Tensor, node: ast.AST, detached_from: Any = None) -> None:
        source = detached_from if isinstance(detached_from, torch.Tensor) else None
        operands = self._operands(node)
        made_in = self.loops.current
        self.produced.append(Produced(tensor, node, self.step, source, operands, made_in))
        self.modules.saw(tensor)
        function = tensor.grad_fn
        if function is not None and function not in self.function_operands:
            self.function_operands[function] = operands

    def attribute(self, result: Any, node: ast.Attribute, owner: Any) -> None:
        """A tensor read from an attribute: `x.data` (detached from x), `x.T`, `w.grad`."""
        if not isinstance(owner, torch.Tensor):
            return
        if node.attr == "grad" and not owner.is_leaf and not owner.retains_grad:
            self.non_leaf_grads.append((owner, self.step))
        # `.grad` is not kept (see `step`): it is the tensor AccumulateGrad adds into
        if isinstance(result, torch.Tensor) and node.attr != "grad":
            self.tensor(result, node, owner if node.attr == "data" else None)

    def _operands(self, node: ast.AST) -> tuple[Operand, ...]:
        found: list[Operand] = []
        for child in operand_nodes(node):
            value = self.values.get(child)
            # a `.grad` is kept as an alias (same storage, its own TensorImpl): holding the
            # tensor itself would change whether AccumulateGrad adds into it in place
            alias = isinstance(child, ast.Attribute) and child.attr == "grad"
            for item in value if isinstance(value, list | tuple) else (value,):
                if isinstance(item, torch.Tensor):
                    kept = item.detach() if alias else item
                    found.append(Operand(child, kept, item.requires_grad))
                elif isinstance(item, int | float) and child is not None:
                    found.append(Operand(child, item, False))
        return tuple(found)

    def before_backward(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None = None
    ) -> None:
        roots, gradients = roots_and_gradients(func, args, kwargs)
        line = getattr(node, "lineno", 0)
        call = BackwardCall(roots=roots, gradients=gradients, step=self.step, line=line)
        self.backwards.append(call)
        self._forget_middle()
        self._current = call
        for root in roots:
            if root.grad_fn is not None:
                self._hook_from(root.grad_fn)

    def _forget_middle(self) -> None:
        """The gradients of a call that is neither among the first nor the last calls kept are
        dropped as soon as it leaves the window (they are copies: memory grows with calls)."""
        head = (self.kept_calls + 1) // 2
        tail = self.kept_calls - head
        index = len(self.backwards) - tail - 1
        if index >= head:
            self.backwards[index].flow.clear()
            self.backwards[index].sent.clear()

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


def operand_nodes(node: ast.AST) -> list[ast.AST]:
    """The sub-expressions whose values an operation at `node` takes, in source order: both
    sides of `a * b`, the tensor a method is called on and the call's arguments, `x` and a
    tensor index in `x[i]`, the right-hand side of `x += c`."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.Call):
        owner = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        return owner + list(node.args) + [kw.value for kw in node.keywords]
    if isinstance(node, ast.Subscript):
        index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return [node.value, *index]
    if isinstance(node, ast.AugAssign):
        return [node.value]
    return []


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
    """Copies of the gradients for the graph: AccumulateGrad may keep the very tensor as
    `.grad`, which the program then changes in place (`w.grad.zero_()`), and each call's values
    must stay its own. Under `is_grads_batched=True` autograd runs the backward inside vmap, whose
    batched gradients cannot be detached (nor kept past it): those are not recorded, so that
    observing never changes what the backward does."""
    return tuple(
        g.detach().clone() if isinstance(g, torch.Tensor) and not _batched(g) else None
        for g in grads
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
