"""The picture people know from `torchviz.make_dot`, made by torchviz itself.

torchviz draws every node of the graph and walks it recursively: before it is asked, the nodes
it would draw are counted here (without recursion, and no further than the cap), and a graph
past `max_graph_nodes` is left to the playground style, which shows the part nearest the output.
The picture then goes through the same layout bounds as any other (app/render/bounds.py).

torchviz knows nothing of `nn.Module` calls or of repetition: alongside its DOT comes, for each
node it draws, the id the playground's graph gives the same grad_fn or tensor, so that render
can group its picture by the graph's module calls and folds (app/render/torchviz_groups.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch
import torchviz

from app.engine.records import Run
from app.trace.build import node_ids


class TorchvizUnavailable(Exception):
    """torchviz cannot draw this run; the message says why (the caller falls back)."""


@dataclass(frozen=True, slots=True)
class TorchvizDot:
    dot: str
    nodes: int  # how many nodes torchviz draws
    ids: dict[str, str]  # torchviz's node name (n0, n1, ...) → the graph's node id (t3, f5)


def torchviz_dot(run: Run, max_nodes: int) -> TorchvizDot:
    """DOT source from torchviz for the run's output, its size and its nodes' graph ids."""
    root = _root(run)
    if root is None:
        raise TorchvizUnavailable("torchviz draws from an output with a grad_fn; there is none")
    nodes = count_nodes(root, max_nodes)
    if nodes > max_nodes:
        raise TorchvizUnavailable(
            f"the graph has more than {max_nodes} nodes (max_graph_nodes) for torchviz to draw"
        )
    params = {
        name: value
        for name, value in run.namespace.items()
        if isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad
    }
    try:
        dot = torchviz.make_dot(root, params=params).source
    except RecursionError:  # torchviz walks the graph recursively, one frame per grad_fn
        raise TorchvizUnavailable("the graph is too deep for torchviz") from None
    except RuntimeError as exc:  # it reads a custom Function's saved_tensors, freed by backward
        raise TorchvizUnavailable(f"torchviz could not read the graph: {exc}") from None
    source, names = _stable_ids(str(dot))
    graph_ids = _graph_ids(run)
    ids = {name: graph_ids[raw] for raw, name in names.items() if raw in graph_ids}
    return TorchvizDot(source, nodes, ids)


def _graph_ids(run: Run) -> dict[str, str]:
    """torchviz names a node by its object's `id()` (a grad_fn, or a tensor: a leaf, the
    output): that name → the graph's id of the same object. Every object here is alive (the
    run holds it), so no two share an `id()`."""
    functions, tensors = node_ids(run)
    named = {str(id(function)): node for function, node in functions.items()}
    named.update((str(key), node) for key, node in tensors.items())
    return named


def count_nodes(root: torch.Tensor, limit: int) -> int:
    """The nodes `make_dot` draws for `root` (its grad_fn nodes, the output, and the base of an
    output that is a view), counted up to `limit` + 1 at most."""
    count = 2 if root._is_view() else 1
    seen: set[int] = set()
    stack = [root.grad_fn]
    while stack and count <= limit:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        count += 1
        stack.extend(next_fn for next_fn, _ in fn.next_functions)
    return count


def _stable_ids(dot: str) -> tuple[str, dict[str, str]]:
    """torchviz names nodes by `id()`; renumber them by first appearance (n0, n1, ...) so the
    same program always gives the same DOT. Also: each `id()` name → its new name."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"n{len(names)}")

    return _OBJECT_ID.sub(rename, dot), names


_OBJECT_ID = re.compile(r"(?<![\w.\"])\d{9,}(?![\w.])")


def _root(run: Run) -> torch.Tensor | None:
    recorder = run.recorder
    if recorder is not None:
        for call in reversed(recorder.backwards):
            if call.roots:
                return call.roots[0]
    tensors = [v for v in run.namespace.values() if isinstance(v, torch.Tensor)]
    for tensor in reversed(tensors):
        if tensor.grad_fn is not None:
            return tensor
    return None
