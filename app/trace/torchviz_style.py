"""The picture people know from `torchviz.make_dot`, made by torchviz itself."""

from __future__ import annotations

import re

import torch
import torchviz

from app.engine.records import Run


def torchviz_dot(run: Run) -> str | None:
    """DOT source from torchviz for the run's output, or None when nothing has a grad_fn."""
    root = _root(run)
    if root is None:
        return None
    params = {
        name: value
        for name, value in run.namespace.items()
        if isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad
    }
    return _stable_ids(str(torchviz.make_dot(root, params=params).source))


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
