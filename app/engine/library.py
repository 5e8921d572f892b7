"""torch.nn modules, torch.optim optimizers and torch.utils.data loaders: the real torch classes,
with the arguments a program may pass them checked before they run.

The classes are torch's own (so `type(net)`, reprs, errors and random numbers are exactly what
Python gives), exposed through the module proxies in namespaces.py. What this module adds:

- which instances a program may call (`net(X)`, `loss(y_hat, y)`): modules of the listed classes;
- keyword arguments: an optimizer or a DataLoader takes only its listed ones (no `collate_fn`,
  `sampler`, `num_workers > 0`, `foreach`, `fused`, ...: callables and processes stay out), and
  `optimizer.step()` takes no closure (torch would call it);
- a DataLoader's batch is sized when the loader is made: a batch of `batch_size` indices is a
  Python list (max_sequence_len) and its stacked tensors must fit max_tensor_elements;
- the state an optimizer allocates on its first step (Adam's two moments, SGD's momentum) counts
  against the run's allocated elements.
"""

from __future__ import annotations

import ast
import math
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils import data

from app.engine.budget import Budget
from app.engine.classes import UserObject
from app.engine.sizing import linear_sizes
from app.lang.errors import NotAllowed, Span

MODULE_CLASSES: tuple[type[nn.Module], ...] = (
    nn.Linear, nn.Sequential, nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Softmax, nn.Flatten, nn.MSELoss,
    nn.BCELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss, nn.Conv2d, nn.MaxPool2d, nn.Dropout,
    nn.NLLLoss,
)  # fmt: skip
# `torch.Tensor(data)` and its typed forms (data: a list, a tuple or a numpy array, as the notes
# pass `torch.Tensor(np.linspace(0, 10, 200))`); with sizes they would give uninitialised memory.
LEGACY_CONSTRUCTORS = frozenset(
    {torch.Tensor, torch.FloatTensor, torch.DoubleTensor, torch.LongTensor, torch.IntTensor,
     torch.BoolTensor}
)  # fmt: skip

# A CPU generator's Mersenne Twister state, in bytes (`len(torch.Generator().get_state())`).
GENERATOR_STATE_ELEMENTS = 5056

_KEYWORDS: dict[object, frozenset[str]] = {
    torch.optim.SGD: frozenset(
        "params lr momentum dampening weight_decay nesterov maximize".split()
    ),
    torch.optim.Adam: frozenset("params lr betas eps weight_decay amsgrad maximize".split()),
    data.DataLoader: frozenset(
        "dataset batch_size shuffle drop_last num_workers generator".split()
    ),
}
_POSITIONAL = {torch.optim.SGD: 6, torch.optim.Adam: 6, data.DataLoader: 3}


def is_callable_module(value: object) -> bool:
    """A listed torch module, or an instance of a program's own Module subclass."""
    return isinstance(value, nn.Module) and (
        type(value) in MODULE_CLASSES or isinstance(value, UserObject)
    )


def check_call(
    func: Any, args: list[Any], kwargs: dict[str, Any], budget: Budget, node: ast.AST
) -> None:
    """Refuse arguments outside the lists, and size what the call will allocate."""
    if func is nn.Linear:  # each of its tensors was sized by sizing.estimate_call
        budget.count(sum(linear_sizes(args, kwargs)), node)
        return
    if func is nn.Conv2d:
        for size in _meta_parameter_sizes(func, args, kwargs):
            budget.allocate(size, node)
        return
    if func is nn.Sequential:
        _check_layers(args, node)
        return
    if func is torch.Generator:  # its state is not a tensor, but it is memory all the same
        budget.count(GENERATOR_STATE_ELEMENTS, node)
        return
    if func is torch.nn.functional.one_hot:
        budget.tensor_elements(_one_hot_numel(args, kwargs), node)
        return
    allowed = _KEYWORDS.get(func) if isinstance(func, type) else None
    if allowed is not None:
        _check_keywords(func, args, kwargs, allowed, node)
        if func is data.DataLoader:
            _check_loader(args, kwargs, budget, node)
        return
    owner = getattr(func, "__self__", None)
    if isinstance(owner, torch.Tensor) and getattr(func, "__name__", "") == "resize_":
        _check_resize(owner, args, kwargs, node)
    if isinstance(owner, torch.optim.Optimizer) and func.__name__ == "step":
        if args or kwargs:
            raise NotAllowed("optimizer.step(closure) not allowed: call it without arguments",
                             Span.of(node))  # fmt: skip
        if not owner.state:
            budget.count(_state_elements(owner), node)


def _check_layers(args: list[Any], node: ast.AST) -> None:
    """A Sequential calls its layers itself, past the interpreter's checks: only the layers
    whose calls are sized (sizing.module_numel) or run by the interpreter (a program's Module),
    never another module a run can hold (a torchvision transform)."""
    layers = list(args[0].values()) if len(args) == 1 and isinstance(args[0], dict) else args
    for layer in layers:
        if isinstance(layer, nn.Module) and not is_callable_module(layer):
            raise NotAllowed(
                f"nn.Sequential holding a {type(layer).__name__} not allowed (only torch.nn "
                "layers and the program's own Modules): call it yourself in forward",
                Span.of(node),
            )


def _check_resize(
    owner: torch.Tensor, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> None:
    """`t.resize_(sizes)` may keep or lose elements, never add them: the added ones would be
    uninitialised memory (whatever the worker held there before). A negative size is refused
    too: torch raises on it but leaves the tensor with that size, and reading it then fails."""
    sizes = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    whole = all(type(size) is int and size >= 0 for size in sizes)
    if kwargs or not whole or math.prod(sizes) > owner.numel():
        raise NotAllowed(
            "tensor.resize_(...) to more elements or a negative size not allowed (new elements "
            "would be uninitialised memory): use torch.zeros, torch.cat or reshape",
            Span.of(node),
        )


def is_legacy_constructor(func: Any) -> bool:
    try:
        return func in LEGACY_CONSTRUCTORS
    except TypeError:  # unhashable values are never constructors
        return False


def check_legacy_constructor(
    func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
) -> None:
    """Only `torch.Tensor()` or `torch.Tensor(data)` with a list, tuple or numpy array of values
    (an array was sized when it was made; the tensor, its copy, is counted when it is)."""
    if kwargs or len(args) > 1 or (args and type(args[0]) not in (list, tuple, np.ndarray)):
        raise NotAllowed(
            f"torch.{func.__name__}(...) with sizes not allowed (it gives uninitialised memory): "
            "pass a list or numpy array of values, or use torch.zeros / torch.tensor",
            Span.of(node),
        )


def module_output_numel(module: nn.Module, args: list[Any]) -> int:
    """A convolution's output can outgrow its input (padding, many channels): sized on meta."""
    if not isinstance(module, nn.Conv2d) or not args or not isinstance(args[0], torch.Tensor):
        return 0
    try:
        with torch.no_grad():
            meta = torch.empty(args[0].shape, dtype=args[0].dtype, device="meta")
            weight = torch.empty(module.weight.shape, dtype=module.weight.dtype, device="meta")
            return int(module._conv_forward(meta, weight, None).numel())
    except Exception:  # wrong shapes: the real call raises torch's own error
        return 0


def _meta_parameter_sizes(func: Any, args: list[Any], kwargs: dict[str, Any]) -> list[int]:
    """The parameters a layer would allocate, made on the meta device first."""
    try:
        layer = func(*args, **{**kwargs, "device": "meta"})
    except Exception:  # invalid arguments: the real call raises torch's own error
        return []
    return [parameter.numel() for parameter in layer.parameters()]


def _one_hot_numel(args: list[Any], kwargs: dict[str, Any]) -> int:
    tensor = args[0] if args else kwargs.get("tensor")
    classes = args[1] if len(args) > 1 else kwargs.get("num_classes", -1)
    if not isinstance(tensor, torch.Tensor) or not isinstance(classes, int):
        return 0
    if classes < 0 and tensor.numel() and not tensor.is_floating_point():
        classes = int(tensor.max().item()) + 1
    return tensor.numel() * max(classes, 0)


def _check_keywords(
    func: type, args: list[Any], kwargs: dict[str, Any], allowed: frozenset[str], node: ast.AST
) -> None:
    name = func.__name__
    if len(args) > _POSITIONAL[func]:
        raise NotAllowed(
            f"{name}() with more than {_POSITIONAL[func]} positional arguments not allowed",
            Span.of(node),
        )
    for key in kwargs:
        if key not in allowed:
            listed = ", ".join(sorted(allowed))
            raise NotAllowed(f"{name}({key}=...) not allowed (only {listed})", Span.of(node))
    if func is data.DataLoader and kwargs.get("num_workers", 0) != 0:
        raise NotAllowed(
            "DataLoader(num_workers=...) not allowed: data loads in the run itself (0)",
            Span.of(node),
        )


def _check_loader(args: list[Any], kwargs: dict[str, Any], budget: Budget, node: ast.AST) -> None:
    dataset = args[0] if args else kwargs.get("dataset")
    if "dataset" not in kwargs and not args:
        return  # torch raises its own "missing 1 required positional argument"
    if isinstance(dataset, data.Dataset) and isinstance(dataset, UserObject):
        # a program's Dataset: its items are made by its own `__getitem__`, counted there
        batch_size = args[1] if len(args) > 1 else kwargs.get("batch_size", 1)
        if isinstance(batch_size, int) and not isinstance(batch_size, bool):
            budget.sequence(batch_size, node)
        return
    if not isinstance(dataset, data.TensorDataset):
        raise NotAllowed(
            f"DataLoader over a {type(dataset).__name__} not allowed (only a TensorDataset "
            "or a Dataset class of the program)",
            Span.of(node),
        )
    batch_size = args[1] if len(args) > 1 else kwargs.get("batch_size", 1)
    if not isinstance(batch_size, int) or isinstance(batch_size, bool):
        return  # None (no batching) or a wrong type: torch decides
    budget.sequence(batch_size, node)
    rows = min(batch_size, len(dataset))
    for tensor in dataset.tensors:
        per_row = tensor.numel() // max(tensor.shape[0], 1) if tensor.dim() else 1
        budget.tensor_elements(rows * per_row, node)


def _state_elements(optimizer: torch.optim.Optimizer) -> int:
    """SGD keeps a momentum buffer (when momentum is on); Adam two moments (three: amsgrad)."""
    groups = optimizer.param_groups
    if isinstance(optimizer, torch.optim.Adam):
        factor = 3 if any(group.get("amsgrad") for group in groups) else 2
    else:
        factor = 1 if any(group.get("momentum") for group in groups) else 0
    return factor * sum(param.numel() for group in groups for param in group["params"])


def warm_up() -> None:
    """The first optimizer step and the first DataLoader iteration import parts of torch (about
    1 s): do it once at start-up, never inside a run. The global RNG is left as it was."""
    saved = torch.get_rng_state()
    try:
        net = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
        features = torch.ones(4, 2)
        loader = data.DataLoader(data.TensorDataset(features, torch.ones(4, 1)), 2, shuffle=True)
        for optimizer in (torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9),
                          torch.optim.Adam(net.parameters())):  # fmt: skip
            for inputs, targets in loader:
                optimizer.zero_grad()
                nn.BCELoss()(net(inputs), targets).backward()
                optimizer.step()
    finally:
        torch.set_rng_state(saved)
