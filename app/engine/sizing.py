"""Estimating the size of a tensor *before* torch allocates it.

Post-checks catch the rest, but an allocation of 10¹² elements must never be attempted. Three
kinds of calls can make a result much larger than their inputs:

- factories (`torch.zeros(10**6, 10**6)`, `torch.arange(0, 1e12)`): called again on the meta
  device, which computes the shape without allocating;
- ops whose output can outgrow their inputs (`@`, `outer`, `cat`, `repeat`, `diag`, tensor
  indexing): called again on meta copies of their tensor arguments;
- broadcasting elementwise ops (`a[:, None] * b[None, :]`): the broadcast shape of the operands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch

FACTORIES = frozenset(
    "ones zeros full rand randn randint randperm normal arange linspace eye".split()
)
FROM_DATA = frozenset({"tensor", "as_tensor", "Size", "new_tensor"})
GROWERS = frozenset(
    "matmul mm mv bmm dot outer cat stack diag repeat expand new_zeros new_ones new_full "
    "index_select linear".split()
)
BROADCASTERS = frozenset(
    "add sub mul div pow maximum minimum atan2 clamp clip eq ne gt lt ge le allclose where "
    "masked_fill mse_loss l1_loss binary_cross_entropy".split()
)


def estimate_call(func: Callable[..., Any], args: Sequence[Any], kwargs: dict) -> int:
    """Largest element count the call may produce; 0 when it cannot outgrow its inputs."""
    name = getattr(func, "__name__", "")
    owner = getattr(func, "__self__", None)
    if name in FACTORIES and not isinstance(owner, torch.Tensor):
        return _meta_numel(func, args, {**kwargs, "device": "meta"})
    if name in FROM_DATA:
        return _data_length(args)
    if name in GROWERS:
        return _meta_rerun(func, args, kwargs)
    if name in BROADCASTERS:
        return broadcast_numel([*args, *kwargs.values(), owner])
    return 0


def broadcast_numel(values: Sequence[Any]) -> int:
    shapes = [tuple(v.shape) for v in values if isinstance(v, torch.Tensor)]
    if len(shapes) < 2 or all(shape == shapes[0] for shape in shapes):
        return 0
    try:
        return math.prod(torch.broadcast_shapes(*shapes))
    except RuntimeError:
        return 0  # torch raises its own, clearer error when the op runs


def _data_length(args: Sequence[Any]) -> int:
    data = args[0] if args else None
    if isinstance(data, range | list | tuple):
        return len(data)
    return 0


def _meta_numel(func: Callable[..., Any], args: Sequence[Any], kwargs: dict) -> int:
    kwargs.pop("out", None)
    kwargs.pop("generator", None)
    try:
        with torch.no_grad():
            result = func(*args, **kwargs)
    except Exception:  # invalid arguments: the real call raises torch's own error
        return 0
    return result.numel() if isinstance(result, torch.Tensor) else 0


def _meta_rerun(func: Callable[..., Any], args: Sequence[Any], kwargs: dict) -> int:
    owner = getattr(func, "__self__", None)
    if isinstance(owner, torch.Tensor):
        func = getattr(to_meta(owner), func.__name__)
    meta_args = [to_meta(a) for a in args]
    meta_kwargs = {k: to_meta(v) for k, v in kwargs.items()}
    return _meta_numel(func, meta_args, meta_kwargs)


def to_meta(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        if value.dtype == torch.bool and value.device.type != "meta":
            # a boolean mask selects at most as many elements as it has
            return value
        return torch.empty(value.shape, dtype=value.dtype, device="meta")
    if isinstance(value, list | tuple) and any(isinstance(v, torch.Tensor) for v in value):
        return type(value)(to_meta(v) for v in value)
    return value


def index_numel(tensor: torch.Tensor, index: Any) -> int:
    """Advanced indexing with several index tensors broadcasts them: size it on meta."""
    parts = index if isinstance(index, tuple) else (index,)
    if sum(isinstance(p, torch.Tensor | list) for p in parts) < 1:
        return 0
    if any(isinstance(p, torch.Tensor) and p.dtype == torch.bool for p in parts):
        return 0
    try:
        meta_index = tuple(to_meta(p) for p in parts)
        return to_meta(tensor)[meta_index].numel()
    except Exception:  # the real indexing raises torch's own error
        return 0


def warm_up() -> None:
    """The first meta computations import torch._dynamo, which creates torch's inductor cache
    folder on disk (about 1 s): do it once at start-up, never in the middle of a request."""
    meta = torch.empty(2, device="meta")
    _ = meta @ meta, torch.cat([meta, meta]), torch.diag(meta)
    _ = torch.arange(0, 4, device="meta"), torch.eye(2, device="meta")
