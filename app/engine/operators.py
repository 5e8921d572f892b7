"""Python operators with the guards the language needs before they run.

Python ints and sequences can grow without bound (`2**10**10`, `[0] * 10**12`, a format width of
10⁹); tensors can broadcast into a huge result. Each is checked against the Budget first.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any

import numpy as np
import torch

from app.engine.budget import Budget
from app.engine.containers import walked
from app.engine.display import clean
from app.engine.numpy_module import array_product_numel
from app.engine.numpy_module import broadcast_numel as array_broadcast_numel
from app.engine.sizing import broadcast_numel, to_meta


def _mod(left: Any, right: Any, mod: Any = operator.mod) -> Any:
    """`'%s' % value` shows the value as str() does: without a heap address (display.py)."""
    result = mod(left, right)
    if isinstance(left, str) and isinstance(result, str):
        values = right if isinstance(right, tuple) else (right,)
        if not all(isinstance(value, str | int | float) for value in values):
            return clean(result)
    return result


BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: _mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}  # fmt: skip
# `x += 1` on a tensor is in-place in PyTorch (a leaf that requires grad refuses it): keep that.
IN_PLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv,
    ast.Mod: lambda left, right: _mod(left, right, operator.imod),
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift, ast.BitAnd: operator.iand, ast.BitOr: operator.ior,
    ast.BitXor: operator.ixor,
}  # fmt: skip
UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg, ast.Not: operator.not_,
         ast.Invert: operator.invert}  # fmt: skip
COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip

_SEQUENCES = (str, list, tuple)
_FORMAT_NUMBER = re.compile(r"\d+")


def check_binary(
    op: type[ast.operator], left: Any, right: Any, budget: Budget, node: ast.AST
) -> None:
    """Refuse, before computing, a result that would be too large."""
    if op is ast.Mult and (_repeats_by_tensor(left, right) or _repeats_by_tensor(right, left)):
        # `[0] * torch.tensor(10**9)`: a one-element integer tensor is a repeat count
        seq, count = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
        budget.sequence(len(seq) * max(int(count), 0), node)
    elif isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
        product = op is ast.MatMult
        numel = (array_product_numel if product else array_broadcast_numel)(left, right)
        budget.tensor_elements(numel, node)
    elif isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor):
        budget.tensor_elements(_tensor_result(op, left, right), node)
    elif _is_int(left) and _is_int(right):
        budget.integer(_int_bits(op, left, right), node)
    elif op is ast.Mult and (_is_sequence_repeat(left, right) or _is_sequence_repeat(right, left)):
        seq, count = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
        budget.sequence(len(seq) * max(count, 0), node)
    elif op is ast.Add and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        budget.sequence(len(left) + len(right), node)
    elif op is ast.Mod and isinstance(left, str):
        values = right if isinstance(right, tuple) else (right,)
        walked(values, budget, "formatting", node)
        # the strings it inserts are copied whole: `('%s' * 1500) % ((s,) * 1500)`
        budget.sequence(len(left) + sum(len(v) for v in values if isinstance(v, str)), node)
        if "*" in left:  # `'%*d' % (10**9, 1)` takes its width from the arguments
            budget.sequence(budget.limits.max_sequence_len + 1, node)
        check_format_spec(left, budget, node)


def check_in_place(
    op: type[ast.operator], current: Any, value: Any, budget: Budget, node: ast.AST
) -> None:
    """`l += iterable` extends the list with every item (a tensor of 10⁶ elements: 10⁶
    tensors); the rest is checked as the operator it stands for."""
    if op is ast.Add and isinstance(current, list) and hasattr(value, "__len__"):
        budget.sequence(len(current) + len(value), node)
        budget.rows_ahead(value, node)
    check_binary(op, current, value, budget, node)


def check_format_spec(spec: str, budget: Budget, node: ast.AST) -> None:
    """A width or precision of 10⁹ in a format string would build a gigabyte string."""
    for number in _FORMAT_NUMBER.findall(spec):
        if len(number) > 4:
            budget.sequence(10 ** len(number), node)
        budget.sequence(int(number), node)


def _tensor_result(op: type[ast.operator], left: Any, right: Any) -> int:
    if op is ast.MatMult:
        try:
            return (to_meta(left) @ to_meta(right)).numel()
        except Exception:  # the real op raises torch's own shape error
            return 0
    return broadcast_numel([left, right])


def _is_int(value: Any) -> bool:
    return isinstance(value, int)  # bool is an int too, and harmless


def _repeats_by_tensor(seq: Any, count: Any) -> bool:
    return (
        isinstance(seq, _SEQUENCES)
        and isinstance(count, torch.Tensor)
        and count.numel() == 1
        and not count.is_floating_point()
        and not count.is_complex()
    )


def _is_sequence_repeat(seq: Any, count: Any) -> bool:
    return isinstance(seq, _SEQUENCES) and _is_int(count)


def _int_bits(op: type[ast.operator], left: int, right: int) -> int:
    """Bits of the result, computed without computing it."""
    a, b = left.bit_length(), right.bit_length()
    if op is ast.Pow:
        if right < 0 or abs(left) <= 1:
            return 1
        return math.ceil(right * math.log2(abs(left))) + 1 if right < 10**9 else 10**9
    if op is ast.Mult:
        return a + b
    if op is ast.LShift:
        return a + right if right < 10**9 else 10**9
    return max(a, b) + 1
