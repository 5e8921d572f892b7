"""The picture people know from `torchviz.make_dot`, made by torchviz itself."""

from __future__ import annotations

import re

import torch
import torchviz

from app.engine.records import Run


class TorchvizUnavailable(Exception):
    """torchviz cannot draw this run; the message says why (the caller falls back)."""


def torchviz_dot(run: Run) -> str:
    """DOT source from torchviz for the run's output."""
    root = _root(run)
    if root is None:
        raise TorchvizUnavailable("torchviz draws from an output with a grad_fn; there is none")
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
    return _stable_ids(str(dot))


def _stable_ids(dot: str) -> str:
    """torchviz names nodes by `id()`; renumber them by first appearance (n0, n1, ...) so the
    same program always gives the same DOT."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"n{len(names)}")

    return _OBJECT_ID.sub(rename, dot)


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
