"""Sizing a backward pass before it starts, from the graph it will walk.

One `backward()` runs in C++ and cannot be stopped by the run's clock, and its work is not the
size of what the forward pass allocated: each `x[i]` is a view (nothing allocated), but its
backward node writes a gradient as large as all of `x`. So the graph reachable from the roots is
walked first, each edge weighing the elements of the gradient it carries (the shape autograd
expects at its end) and each node a fixed amount for its own overhead, and the backward is
refused when the total passes max_backward_elements. The walk stops as soon as it does, so its
own cost is bounded by the limit too.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable

import torch
from torch.autograd.graph import Node

from app.engine.budget import Budget

# A node's own cost (a call into C++, hooks, bookkeeping), in elements: a chain of scalar
# operations costs per node, not per element.
NODE_ELEMENTS = 10_000
# A product's backward (matrix, batched, convolution) is two products as large as its forward:
# its multiply-adds count too, at this many to an element (written memory costs more than a
# vectorised multiply-add).
FLOPS_PER_ELEMENT = 32
# grad_fn types of matrix products → the saved sizes (or tensors) of their two factors; batched
# ones are (batch, n, k) @ (batch, k, m), and a batched `@` of 3-D shapes is one of them too.
_FACTORS = {
    "MmBackward0": ("_saved_self_sym_sizes", "_saved_mat2_sym_sizes"),
    "AddmmBackward0": ("_saved_mat1_sym_sizes", "_saved_mat2_sym_sizes"),
    "BmmBackward0": ("_saved_self", "_saved_mat2"),
    "BaddbmmBackward0": ("_saved_batch1", "_saved_batch2"),
}


def check_backward(
    roots: Iterable[torch.Tensor], budget: Budget, node: ast.AST, sizes: GraphSizes
) -> None:
    limit = budget.limits.max_backward_elements
    starts = [root.grad_fn for root in roots if root.grad_fn is not None]
    budget.backward_elements(sizes.elements(starts, limit), node)


class GraphSizes:
    """One run's sizing of its backward calls. A graph that outlives its backward (an unrolled
    training loop, `retain_graph=True`) is walked again by every later call, so each node's
    weight and the nodes it leads to are read from torch once and kept while the last walk
    reached the node: what is kept is at most the graph that walk saw, and goes with the run."""

    def __init__(self) -> None:
        self._known: dict[Node, tuple[int, tuple[Node, ...]]] = {}

    def elements(self, starts: list[Node], limit: int) -> int:
        """Elements of every gradient the graph from `starts` carries, plus NODE_ELEMENTS a
        node; counting stops once past `limit`."""
        known, kept = self._known, {}
        stack = list(starts)
        total = 0
        while stack and total <= limit:
            function = stack.pop()
            if function in kept:
                continue
            weight = known.get(function) or _weigh(function)
            kept[function] = weight
            total += weight[0]
            stack.extend(weight[1])
        self._known = kept
        return total


def _weigh(function: Node) -> tuple[int, tuple[Node, ...]]:
    """A node's own cost, the gradients it sends along its edges, and the nodes they reach."""
    total = NODE_ELEMENTS + _product_elements(function)
    following = []
    for nxt, index in function.next_functions:
        if nxt is not None:
            total += _expected_numel(nxt, index)
            following.append(nxt)
    return total, tuple(following)


def _expected_numel(function: Node, index: int) -> int:
    """Elements of the gradient `function` expects as its input `index`."""
    # what autograd checks each incoming gradient against (every node type has it)
    metadata = getattr(function, "_input_metadata", ())
    if index >= len(metadata):
        return 0
    return math.prod(metadata[index].shape)


def _product_elements(function: Node) -> int:
    """Multiply-adds of a product's backward (matrix, batched, convolution), in elements;
    0 for other nodes. Each output element took `k` multiply-adds (the inner size, or input
    channels per group × kernel), and each factor's gradient takes as many again."""
    name = type(function).__name__
    metadata = getattr(function, "_input_metadata", ())
    if not metadata:
        return 0
    if name == "ConvolutionBackward0":
        weight = _shape(function, "_saved_weight")
        inner = math.prod(weight[1:]) if len(weight) >= 3 else 0
    elif name in _FACTORS:
        # whichever factor autograd kept (it keeps only those another gradient needs)
        first, second = (_shape(function, attribute) for attribute in _FACTORS[name])
        inner = first[-1] if first else second[-2] if len(second) >= 2 else 0
    else:
        return 0
    return 2 * math.prod(metadata[0].shape) * inner // FLOPS_PER_ELEMENT


def _shape(function: Node, attribute: str) -> tuple[int, ...]:
    """A saved size, or a saved tensor's shape; () when it was not kept or a backward freed it."""
    try:
        saved = getattr(function, attribute, None)
    except RuntimeError:  # freed by an earlier backward: the next one raises anyway
        return ()
    if saved is None:
        return ()
    return tuple(saved.shape) if isinstance(saved, torch.Tensor) else tuple(saved)
