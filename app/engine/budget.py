"""Counting a run against its Limits; every overrun is a LimitExceeded naming the limit."""

from __future__ import annotations

import ast
import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import Any

import torch

from app.lang.errors import LimitExceeded, Span
from app.settings import Limits

# How torch words a failed allocation (a RuntimeError, not a MemoryError).
OUT_OF_MEMORY = ("can't allocate memory", "not enough memory", "out of memory")


def _holds_tensors(items: list[Any] | tuple[Any, ...]) -> bool:
    """Whether any item is a tensor, from the set of their types (found in C: a long list of
    numbers bound to a name costs little at each assignment)."""
    return any(issubclass(kind, torch.Tensor) for kind in set(map(type, items)))


class Budget:
    __slots__ = (
        "limits", "statements", "iterations", "ops", "allocated", "backwards", "deadline", "depths",
        "scale",
    )  # fmt: skip

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.statements = 0
        self.iterations = 0
        self.ops = 0
        self.allocated = 0
        self.backwards = 0
        self.deadline = time.perf_counter() + limits.max_run_seconds
        self.scale = 1  # inside torch.func transforms: what each size stands for (scaled)
        # Nesting depth of each list/tuple measured, by id (containers.py).
        self.depths: dict[int, int] = {}

    def _over(self, name: str, message: str, node: ast.AST | None) -> LimitExceeded:
        return LimitExceeded(name, getattr(self.limits, name), message, Span.of(node))

    def statement(self, node: ast.AST) -> None:
        self.statements += 1
        if self.statements > self.limits.max_statements:
            raise self._over("max_statements", "too many statements executed", node)
        self.clock(node)

    def iteration(self, node: ast.AST) -> None:
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise self._over("max_loop_iterations", "too many loop iterations", node)

    def iterations_ahead(self, count: int, node: ast.AST) -> None:
        """Before a loop whose iterable is built up front: would it pass the limit?"""
        if self.iterations + count > self.limits.max_loop_iterations:
            raise self._over("max_loop_iterations", "too many loop iterations", node)

    def rows_ahead(self, value: Any, node: ast.AST) -> None:
        """Before C iterates a tensor: it unbinds every row at once, before the first item
        (a million rows: seconds no clock can stop, and a million tensor objects), so the
        rows are sized as a loop over them, wherever the iterating happens."""
        if isinstance(value, torch.Tensor) and value.dim() > 0:
            rows = len(value)
            if self.iterations + rows > self.limits.max_loop_iterations:
                message = f"iterating a tensor of {rows} rows: too many loop iterations"
                raise self._over("max_loop_iterations", message, node)

    def op(self, node: ast.AST) -> None:
        self.ops += 1
        if self.ops > self.limits.max_ops:
            raise self._over("max_ops", "too many operations", node)
        self.clock(node)

    def clock(self, node: ast.AST | None) -> None:
        if time.perf_counter() > self.deadline:
            raise self._over("max_run_seconds", "the run took too long", node)

    def backward(self, node: ast.AST) -> None:
        self.backwards += 1
        if self.backwards > self.limits.max_backward_calls:
            raise self._over("max_backward_calls", "too many backward calls", node)

    @contextlib.contextmanager
    def scaled(self, factor: int) -> Iterator[None]:
        """While a torch.func transform runs the program's code one example at a time, torch
        computes `factor` of them at once: every tensor size counts `factor` times."""
        saved = self.scale
        self.scale = saved * max(factor, 1)
        try:
            yield
        finally:
            self.scale = saved

    def tensor_elements(self, numel: int, node: ast.AST) -> None:
        """Before allocating: one tensor's size."""
        numel *= self.scale
        if numel > self.limits.max_tensor_elements:
            raise self._over(
                "max_tensor_elements", f"a tensor of {numel} elements is too large", node
            )

    def allocate(self, numel: int, node: ast.AST) -> None:
        """After an op: count what it created against the whole run's allowance."""
        self.tensor_elements(numel, node)
        self.count(numel, node)

    def count(self, numel: int, node: ast.AST) -> None:
        """Elements of several tensors (a layer's parameters, an optimizer's state)."""
        numel *= self.scale
        self.allocated += numel
        if self.allocated > self.limits.max_allocated_elements:
            raise self._over(
                "max_allocated_elements", "the run created too many tensor elements", node
            )

    def live_elements(self, scopes: Iterable[dict[str, Any]], node: ast.AST) -> None:
        """Elements of tensors bound to names (directly or in a list/tuple), each once: the
        globals and the locals of every function call in progress."""
        seen: set[int] = set()
        total = 0
        tensor_type = torch.Tensor
        for scope in scopes:
            for value in scope.values():
                if isinstance(value, tensor_type):
                    items: Iterable[Any] = (value,)
                elif isinstance(value, list | tuple) and _holds_tensors(value):
                    items = value
                else:
                    continue
                for tensor in items:
                    if isinstance(tensor, tensor_type) and id(tensor) not in seen:
                        seen.add(id(tensor))
                        total += tensor.numel()
        if total > self.limits.max_live_elements:
            raise self._over(
                "max_live_elements", f"{total} tensor elements are bound to names", node
            )

    def sequence(self, length: int, node: ast.AST) -> None:
        if length > self.limits.max_sequence_len:
            raise self._over("max_sequence_len", f"a sequence of {length} items is too long", node)

    def integer(self, bits: int, node: ast.AST) -> None:
        if bits > self.limits.max_int_bits:
            raise self._over("max_int_bits", "an integer would be too large", node)

    def tensor_dims(self, dims: int, node: ast.AST) -> None:
        if dims > self.limits.max_tensor_dims:
            raise self._over("max_tensor_dims", f"a tensor of {dims} dimensions", node)

    def nesting(self, depth: int, node: ast.AST | None) -> None:
        if depth > self.limits.max_container_depth:
            raise self._over("max_container_depth", "values nest too deeply", node)

    def traversal(self, items: int, what: str, node: ast.AST | None) -> None:
        """Work of a C routine that walks a whole value (repr, ==, count, in, sorted)."""
        if items > self.limits.max_sequence_len:
            message = f"{what} a value of {items} items (shared sublists counted each time)"
            raise self._over("max_sequence_len", message, node)

    def backward_elements(self, elements: int, node: ast.AST) -> None:
        if elements > self.limits.max_backward_elements:
            message = f"the backward would compute about {elements} gradient elements"
            raise self._over("max_backward_elements", message, node)

    def exhausted(self, exc: BaseException, node: ast.AST | None) -> LimitExceeded | None:
        """A run that ran out of memory or of Python's stack is refused, not answered: the
        same program may fit another time, and its answer must not be kept as its result."""
        if isinstance(exc, MemoryError) or (
            isinstance(exc, RuntimeError) and any(text in str(exc) for text in OUT_OF_MEMORY)
        ):
            message = "the run needed more memory than a worker has"
            return self._over("worker_memory_mb", message, node)
        if isinstance(exc, RecursionError):
            return self._over("max_container_depth", "values nest too deeply for Python", node)
        return None

    def output(self, chars: int, node: ast.AST | None) -> None:
        if chars > self.limits.max_output_chars:
            raise self._over("max_output_chars", "too much printed output", node)
