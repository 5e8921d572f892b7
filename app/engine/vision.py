"""`torchvision.transforms`, the subset teaching code uses, on what a run itself made.

The transforms are torchvision's own classes (so reprs, errors and random draws are what Python
gives: the random ones draw from torch's generator, seeded per run). What this module adds:

- the module a program imports (`from torchvision import transforms`): a per-run proxy whose
  constructors check their arguments first (numbers, strings, lists of them; `Compose` takes only
  the listed transforms, never a function of the program);
- calling a transform: one tensor, numpy array or PIL image (an image only a transform can have
  made: no file is ever opened), with every size the call will make checked *before* it runs,
  from the input's shape and the transform's own sizes (a `Resize(10**5)` is refused, not
  attempted);
- a PIL image shows its `size` and `mode`, and nothing else (no `save`, `tobytes`, `filename`).

Not here: files and the network (`torchvision.io`, `datasets`, `models`, `PIL.Image.open`) and
`transforms.Lambda` (a function of the program that torchvision would call).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from PIL import Image

from app.engine.budget import Budget
from app.engine.namespaces import SafeModule
from app.engine.pybuiltins import stands_for
from app.engine.tvcompat import import_transforms
from app.lang import allowlist
from app.lang.errors import NotAllowed, Span

transforms: Any = import_transforms()
_NAMES = sorted(allowlist.SUBMODULE_MEMBERS["torchvision.transforms"])
# empty where torchvision is not installed: then no value is a transform
CLASSES: dict[str, type] = (
    {} if transforms is None else {name: getattr(transforms, name) for name in _NAMES}
)
_TYPES = frozenset(CLASSES.values())
IMAGE_TYPE = Image.Image
Where = Callable[[], ast.AST]
# (batch, channels, height, width): what a transform sees of its input, and makes
Shape = tuple[int, int, int, int]
_PLAIN = (int, float, bool, str, type(None), torch.Tensor)
_MAX_COMPOSE_DEPTH = 8


def is_transform(value: object) -> bool:
    return type(value) in _TYPES


def vision_modules(where: Where) -> dict[str, SafeModule]:
    """`torchvision` and `torchvision.transforms` for one run; `where()` is the node evaluated."""
    if transforms is None:
        members = {name: _missing(name, where) for name in _NAMES}
    else:
        members = {name: _constructor(kind, where) for name, kind in CLASSES.items()}
    module = SafeModule("torchvision.transforms", members)
    return {
        "torchvision": SafeModule("torchvision", {"transforms": module}),
        "torchvision.transforms": module,
    }


def _constructor(kind: type, where: Where) -> Callable[..., Any]:
    def make(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(kind, [*args, *kwargs.values()], where())
        return kind(*args, **kwargs)

    make.__name__ = make.__qualname__ = kind.__name__
    stands_for(make, kind)
    return make


def _missing(name: str, where: Where) -> Callable[..., Any]:
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise NotAllowed(
            f"transforms.{name} not available: torchvision is not installed on this server",
            Span.of(where()),
        )

    missing.__name__ = missing.__qualname__ = name
    return missing


def _check_arguments(kind: type, values: list[Any], node: ast.AST) -> None:
    if kind is transforms.Compose:
        for value in values:
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                if not is_transform(item):
                    raise NotAllowed(
                        f"transforms.Compose of a {type(item).__name__} not allowed (only the "
                        f"listed transforms: {', '.join(CLASSES)})",
                        Span.of(node),
                    )
        return
    for value in values:
        if not _is_plain(value, 0):
            raise NotAllowed(
                f"transforms.{kind.__name__}(a {type(value).__name__}) not allowed (only "
                "numbers, strings and lists or tuples of them)",
                Span.of(node),
            )


def _is_plain(value: Any, depth: int) -> bool:
    if isinstance(value, list | tuple):
        return depth < 2 and all(_is_plain(item, depth + 1) for item in value)
    return isinstance(value, _PLAIN)


def call(
    transform: Any, args: list[Any], kwargs: dict[str, Any], budget: Budget, node: ast.AST
) -> Any:
    """`transform(img)`: the sizes it will make checked first, then torchvision runs it."""
    name = type(transform).__name__
    if kwargs or len(args) != 1:
        raise NotAllowed(f"calling {name} with other than one image not allowed", Span.of(node))
    image = args[0]
    if not isinstance(image, torch.Tensor | np.ndarray | IMAGE_TYPE):
        raise NotAllowed(
            f"calling {name} on a {type(image).__name__} not allowed (only a tensor, a numpy "
            "array or an image a transform made)",
            Span.of(node),
        )
    shape = _sized(transform, shape_of(image), budget, node, 0)
    result = _run(transform, image, budget, node)
    if isinstance(result, IMAGE_TYPE):  # not a tensor: counted here, as a tensor's copy
        budget.count(math.prod(shape), node)
    return result


def _run(transform: Any, image: Any, budget: Budget, node: ast.AST) -> Any:
    """A Compose's steps run here one by one, as `Compose.__call__` runs them, each counted as
    an operation (so a long Compose meets the run's clock between its steps)."""
    if not isinstance(transform, transforms.Compose):
        return transform(image)
    for step in transform.transforms:
        budget.op(node)
        image = _run(step, image, budget, node)
    return image


def shape_of(image: torch.Tensor | np.ndarray | Image.Image) -> Shape:
    """A tensor is (..., C, H, W); an array (H, W, C) as ToTensor reads it; an image W × H in
    as many channels as its mode has bands."""
    if isinstance(image, IMAGE_TYPE):
        width, height = image.size
        return 1, len(image.getbands()), height, width
    dims = tuple(image.shape)
    if len(dims) < 2:
        return 1, 1, 1, math.prod(dims)
    if isinstance(image, np.ndarray):
        return 1, math.prod(dims[2:]), dims[0], dims[1]
    channels = dims[-3] if len(dims) > 2 else 1
    return math.prod(dims[:-3]), channels, dims[-2], dims[-1]


def _sized(transform: Any, shape: Shape, budget: Budget, node: ast.AST, depth: int) -> Shape:
    """The shape a transform makes of `shape`, each shape on the way checked (and a Compose's
    steps counted: each is a tensor or an image made and let go)."""
    if isinstance(transform, transforms.Compose):
        return _sized_steps(transform, shape, budget, node, depth)
    batch, channels, height, width = shape
    if isinstance(transform, transforms.RandomCrop):
        try:
            height, width = _padded(transform, height, width)
        except (TypeError, ValueError, IndexError):  # torchvision raises its own when it runs
            pass
        budget.tensor_elements(batch * channels * height * width, node)
    height, width = _output_size(transform, height, width)
    if isinstance(transform, transforms.Grayscale):
        channels = transform.num_output_channels
    budget.tensor_elements(batch * channels * height * width, node)
    return batch, channels, height, width


def _sized_steps(compose: Any, shape: Shape, budget: Budget, node: ast.AST, depth: int) -> Shape:
    """A Compose keeps the list it was given, which the program may have changed since (a
    function appended, the Compose itself): every step is checked again, here."""
    if depth >= _MAX_COMPOSE_DEPTH:
        message = f"transforms.Compose nested more than {_MAX_COMPOSE_DEPTH} deep not allowed"
        raise NotAllowed(message, Span.of(node))
    steps = compose.transforms
    if not isinstance(steps, list | tuple):
        steps = [steps]
    for step in steps:
        if not is_transform(step):
            raise NotAllowed(
                f"transforms.Compose holding a {type(step).__name__} not allowed (only the "
                "listed transforms)",
                Span.of(node),
            )
        shape = _sized(step, shape, budget, node, depth + 1)
        budget.count(math.prod(shape), node)
    return shape


def _output_size(transform: Any, height: int, width: int) -> tuple[int, int]:
    if isinstance(transform, transforms.Resize):
        size = transform.size
        size = [size] if isinstance(size, int) else size
        try:
            height, width = transforms.functional._compute_resized_output_size(
                (height, width), size, transform.max_size
            )
        except (TypeError, ValueError):  # torchvision raises its own error when it runs
            pass
        return height, width
    crops = (transforms.CenterCrop, transforms.RandomCrop, transforms.RandomResizedCrop)
    if isinstance(transform, crops):
        size = tuple(transform.size)
        return (size[0], size[-1]) if size else (height, width)
    return height, width


def _padded(transform: Any, height: int, width: int) -> tuple[int, int]:
    """RandomCrop pads first: its `padding` (one number, two, or four), then up to its size
    when `pad_if_needed`."""
    padding = transform.padding
    if isinstance(padding, int):
        padding = (padding,)
    padding = tuple(padding or (0,))
    if len(padding) == 1:
        padding = padding * 4
    elif len(padding) == 2:
        padding = (padding[0], padding[1], padding[0], padding[1])
    left, top, right, bottom = (max(int(p), 0) for p in (*padding, 0, 0, 0, 0)[:4])
    height, width = height + top + bottom, width + left + right
    if transform.pad_if_needed:
        height, width = max(height, transform.size[0]), max(width, transform.size[-1])
    return height, width


def warm_up() -> None:
    """The first image conversion and resize load PIL's and torchvision's lazy parts: done at
    start-up, never inside a run. The global RNG is left as it was."""
    if transforms is None:
        return
    saved = torch.get_rng_state()
    try:
        steps = [transforms.ToPILImage(), transforms.RandomResizedCrop(2), transforms.Grayscale(),
                 transforms.RandomHorizontalFlip(), transforms.ToTensor()]  # fmt: skip
        transforms.Compose(steps)(torch.rand(3, 4, 4))
        transforms.Resize(2)(torch.rand(1, 4, 4))
    finally:
        torch.set_rng_state(saved)
