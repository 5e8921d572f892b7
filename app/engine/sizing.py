"""Estimating the size of a tensor *before* torch allocates it.

Post-checks catch the rest, but an allocation of 10¹² elements must never be attempted. Three
kinds of calls can make a result much larger than their inputs:

- factories (`torch.zeros(10**6, 10**6)`, `torch.arange(0, 1e12)`): called again on the meta
  device, which computes the shape without allocating;
- ops whose output can outgrow their inputs (`@`, `outer`, `cat`, `repeat`, `diag`, tensor
  indexing): called again on meta copies of their tensor arguments;
- broadcasting elementwise ops (`a[:, None] * b[None, :]`): the broadcast shape of the operands;
- `nn.Linear(n, m)` (an n × m weight) and calling a module: a Linear layer's output has the
  weight's rows as its last dimension, a Sequential chains its layers, a loss broadcasts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn

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


LOSSES = (nn.MSELoss, nn.BCELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss)


def estimate_call(func: Callable[..., Any], args: Sequence[Any], kwargs: dict) -> int:
    """Largest element count the call may produce; 0 when it cannot outgrow its inputs."""
    if isinstance(func, nn.Module):
        return module_numel(func, args)
    if func is nn.Linear:
        return max(linear_sizes(args, kwargs))
    name = getattr(func, "__name__", "")
    owner = getattr(func, "__self__", None)
    if name in FACTORIES and not isinstance(owner, torch.Tensor):
        if any(isinstance(v, torch.Tensor) for v in (*args, *kwargs.values())):
            # torch.normal(mean, std) with tensors broadcasts them
            return _meta_rerun(func, args, kwargs)
        return _meta_numel(func, args, {**kwargs, "device": "meta"})
    if name in FROM_DATA:
        return _data_length(args)
    if name in GROWERS:
        return _meta_rerun(func, args, kwargs)
    if name in BROADCASTERS:
        return broadcast_numel([*args, *kwargs.values(), owner])
    return 0


def linear_sizes(args: Sequence[Any], kwargs: dict) -> tuple[int, int]:
    """`nn.Linear(in, out)` allocates an out × in weight and out biases: (weight, bias) sizes,
    (0, 0) for arguments torch will refuse with its own error."""
    names = ("in_features", "out_features")
    sizes = [args[i] if len(args) > i else kwargs.get(name) for i, name in enumerate(names)]
    if not all(isinstance(size, int) and not isinstance(size, bool) for size in sizes):
        return 0, 0
    inputs, outputs = (max(size, 0) for size in sizes)
    return inputs * outputs, outputs


def module_numel(module: nn.Module, args: Sequence[Any]) -> int:
    """Elements a module's forward produces; 0 when it cannot outgrow its input."""
    if isinstance(module, LOSSES):
        return broadcast_numel(args)
    first = args[0] if args else None
    if not isinstance(first, torch.Tensor):
        return 0
    shape = _module_shape(module, tuple(first.shape), 0)
    return math.prod(shape) if shape is not None else 0


def _module_shape(module: nn.Module, shape: tuple[int, ...], depth: int) -> tuple[int, ...] | None:
    """Linear replaces the last dimension; Sequential chains; the rest keep the element count."""
    if depth > 32:
        return None
    if isinstance(module, nn.Linear):
        weight = module.weight
        if not shape or weight.dim() != 2:
            return None
        return (*shape[:-1], weight.shape[0])
    if isinstance(module, nn.Sequential):
        for child in module:
            result = _module_shape(child, shape, depth + 1)
            if result is None:
                return None
            shape = result
    return shape


def broadcast_numel(values: Sequence[Any]) -> int:
    shapes = [tuple(v.shape) for v in values if isinstance(v, torch.Tensor)]
    if len(shapes) < 2 or all(shape == shapes[0] for shape in shapes):
        return 0
    shape = broadcast_shape(shapes)
    return 0 if shape is None else math.prod(shape)


def pairwise_numel(tensors: Sequence[torch.Tensor]) -> int:
    """Largest broadcast of any two of the tensors (what comparing them one pair at a time
    allocates); each distinct shape once."""
    shapes = list(dict.fromkeys(tuple(t.shape) for t in tensors))
    if len(shapes) > 32:  # many shapes: the largest size along each dimension bounds every pair
        ndim = max(len(shape) for shape in shapes)
        padded = [(1,) * (ndim - len(shape)) + shape for shape in shapes]
        return math.prod(max(sizes) for sizes in zip(*padded, strict=True))
    largest = 0
    for i, first in enumerate(shapes):
        for second in shapes[i + 1 :]:
            shape = broadcast_shape([first, second])
            largest = max(largest, 0 if shape is None else math.prod(shape))
    return largest


def broadcast_shape(shapes: Sequence[tuple[int, ...]]) -> list[int] | None:
    """torch.broadcast_shapes without its Python reference machinery (about 50 µs a call);
    None when the shapes do not broadcast (torch raises its own, clearer error when the op runs)."""
    result = [1] * max(len(shape) for shape in shapes)
    for shape in shapes:
        for index, size in enumerate(shape, len(result) - len(shape)):
            if size != 1:
                if result[index] == 1:
                    result[index] = size
                elif result[index] != size:
                    return None
    return result


def _data_length(args: Sequence[Any]) -> int:
    """torch.tensor(nested) takes its shape from the first element at each level (and checks
    the rest against it while copying): the product of those lengths, found without a walk."""
    data = args[0] if args else None
    numel = 1
    for _ in range(64):  # torch refuses deeper data itself
        if isinstance(data, torch.Tensor):
            return numel * data.numel()
        if not isinstance(data, range | list | tuple):
            return numel
        numel *= len(data)
        if not len(data):
            return numel
        data = data[0]
    return numel


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


_INTEGER_INDEX = frozenset({torch.int64, torch.int32, torch.int16, torch.int8})


def index_numel(tensor: torch.Tensor, index: Any) -> int:
    """Advanced indexing with several index tensors broadcasts them: size it on meta."""
    if isinstance(index, torch.Tensor) and tensor.dim() and index.dtype in _INTEGER_INDEX:
        # x[idx] with one integer tensor (a batch of rows): idx.shape + x.shape[1:]
        return index.numel() * math.prod(tensor.shape[1:])
    parts = index if isinstance(index, tuple) else (index,)
    if sum(isinstance(p, torch.Tensor | list) for p in parts) < 1:
        return 0
    try:
        meta_index = tuple(meta for part in parts for meta in _meta_index(part))
        return to_meta(tensor)[meta_index].numel()
    except Exception:  # the real indexing raises torch's own error
        return 0


def _meta_index(part: Any) -> tuple[Any, ...]:
    """A boolean mask selects its true elements: as index tensors, one per mask dimension,
    each as long as the count of them (which broadcasts with any other index tensor)."""
    if isinstance(part, torch.Tensor) and part.dtype == torch.bool and part.dim():
        count = int(part.count_nonzero())
        long = torch.empty(count, dtype=torch.long, device="meta")
        return (long,) * part.dim()
    return (to_meta(part),)


def warm_up() -> None:
    """The first meta computations import torch._dynamo, which creates torch's inductor cache
    folder on disk (about 1 s): do it once at start-up, never in the middle of a request."""
    meta = torch.empty(2, device="meta")
    _ = meta @ meta, torch.cat([meta, meta]), torch.diag(meta)
    _ = torch.arange(0, 4, device="meta"), torch.eye(2, device="meta")
