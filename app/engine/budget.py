"""Counting a run against its Limits; every overrun is a LimitExceeded naming the limit."""

from __future__ import annotations

import ast
import time
from collections.abc import Iterable
from typing import Any

import torch

from app.lang.errors import LimitExceeded, Span
from app.settings import Limits


class Budget:
    __slots__ = ("limits", "statements", "iterations", "ops", "allocated", "backwards", "deadline")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.statements = 0
        self.iterations = 0
        self.ops = 0
        self.allocated = 0
        self.backwards = 0
        self.deadline = time.perf_counter() + limits.max_run_seconds

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

    def tensor_elements(self, numel: int, node: ast.AST) -> None:
        """Before allocating: one tensor's size."""
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
                elif isinstance(value, list | tuple):
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

    def output(self, chars: int, node: ast.AST | None) -> None:
        if chars > self.limits.max_output_chars:
            raise self._over("max_output_chars", "too much printed output", node)
