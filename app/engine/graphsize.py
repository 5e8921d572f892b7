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
    training loop, `retain_graph=True`, a `create_graph=True` step whose gradients feed the
    next) is reached again by every later call: walking all of it each time costs the calls
    times the graph. So each node's weight and the nodes it leads to are read from torch once,
    and the nodes earlier walks reached are known with their total. A walk is closed (whatever
    a known node leads to is known), so a call whose graph reaches known nodes costs at most
    their total plus its new nodes: only the new ones are walked. That bound is used while it
    is under the limit and the known nodes stay within twice what the last full walk reached
    (the rest may be graphs the program dropped; a full walk forgets them). A call that reaches
    no known node is walked in full, and what it reached replaces what was known."""

    def __init__(self) -> None:
        self._known: dict[Node, tuple[int, tuple[Node, ...]]] = {}
        self._known_total = 0
        self._last_full = 0  # nodes the last full walk reached

    def elements(self, starts: list[Node], limit: int) -> int:
        """Elements of every gradient the graph from `starts` carries, plus NODE_ELEMENTS a
        node, or a bound of them under `limit`; counting stops once past `limit`."""
        new, new_total, met_known = self._walk(starts, limit, self._known)
        if met_known:
            bound = self._known_total + new_total
            grown = len(self._known) + len(new)
            if bound <= limit and grown <= 2 * self._last_full + _FULL_WALK_SLACK:
                self._known.update(new)
                self._known_total = bound
                return bound
            # past the limit, or too much known: count this call's own graph
            new, new_total, _ = self._walk(starts, limit, {})
        if new_total > limit:
            self._forget()
        else:  # `new` is all this call reaches
            self._known, self._known_total, self._last_full = new, new_total, len(new)
        return new_total

    def _walk(
        self, starts: list[Node], limit: int, known: dict[Node, tuple[int, tuple[Node, ...]]]
    ) -> tuple[dict[Node, tuple[int, tuple[Node, ...]]], int, bool]:
        """(the nodes reached that are not in `known`, their elements, whether a known node
        was met); weights read by earlier walks are reused. It stops once the new nodes and
        the known ones, when met, are past `limit`."""
        weights, reached = self._known, {}
        stack = list(starts)
        total, known_total = 0, 0
        while stack and total + known_total <= limit:
            function = stack.pop()
            if function in reached:
                continue
            if function in known:
                known_total = self._known_total
                continue
            weight = weights.get(function) or _weigh(function)
            reached[function] = weight
            total += weight[0]
            stack.extend(weight[1])
        return reached, total, known_total > 0  # a known node weighs at least NODE_ELEMENTS

    def _forget(self) -> None:
        """After a walk cut short by the limit: what it reached is not closed."""
        self._known, self._known_total, self._last_full = {}, 0, 0


# known nodes allowed past twice the last full walk before walking in full again: small
# graphs are walked in full rarely
_FULL_WALK_SLACK = 1_000


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
