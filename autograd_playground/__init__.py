"""Autograd Playground in a notebook: `show(tensor)`, `with record() as r: ...`, `to_html(...)`.

The graph is built from your own session (no server, no sandbox: it is your process) by the web
app's own trace → render code (the `app` package this one is a thin public layer over). Nothing
here evaluates text: names are read from the caller's variables, and a recording's transcript is
only parsed, for the labels.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import app as _app

if not hasattr(_app, "__path__") or not (Path(_app.__path__[0]) / "engine").is_dir():
    raise ImportError(
        f"autograd_playground found another module named 'app' ({_app.__file__}): "
        "rename your app.py, or import autograd_playground before it"
    )

import torch  # noqa: E402

from app.engine.live import LiveRecording  # noqa: E402
from autograd_playground._compose import Composed, compose  # noqa: E402
from autograd_playground._sources import (  # noqa: E402
    NO_REPLAY,
    recording_source,
    tensor_source,
)
from autograd_playground.export import export_html, write_html  # noqa: E402

__all__ = ["Recording", "record", "show", "to_html"]


class Recording:
    """What `with record() as r:` saw: every torch call's inputs and outputs and each backward
    call, with the variables bound when the block ended."""

    def __init__(self) -> None:
        self._mode = LiveRecording()
        self._namespace: dict[str, Any] = {}

    def __enter__(self) -> Recording:
        self._mode.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._mode.__exit__(*exc)
        self._mode.finish()
        self._namespace = dict(sys._getframe(1).f_locals)

    def composed(self, lang: str = "en") -> Composed:
        return compose(*recording_source(self._mode, self._namespace), lang)

    def show(self, lang: str = "en") -> Any:
        from autograd_playground.widget import GraphWidget

        return GraphWidget(self.composed(lang))

    def to_html(self, path: str | Path, lang: str = "en") -> Path:
        return write_html(self.composed(lang), path)

    def _repr_html_(self) -> str:
        """Where widgets are not available: the exported file, in a sandboxed iframe."""
        from html import escape

        page = export_html(self.composed())
        style = "width:100%;height:640px;border:0"
        return f'<iframe sandbox="allow-scripts" style="{style}" srcdoc="{escape(page)}"></iframe>'


def record() -> Recording:
    return Recording()


def _composed(source: torch.Tensor | Recording, namespace: dict[str, Any], lang: str) -> Composed:
    if isinstance(source, Recording):
        return source.composed(lang)
    if not isinstance(source, torch.Tensor):
        raise TypeError(f"expected a tensor or a Recording, not {type(source).__name__}")
    return compose(*tensor_source(source, namespace), lang, notes=(NO_REPLAY,))


def show(source: torch.Tensor | Recording, lang: str = "en") -> Any:
    """The interactive widget for a live tensor (its grad_fn graph, leaves, saved tensors,
    grads) or a recording (also every intermediate value, constants, detach edges, backward
    calls). Put it last in a cell, or `display()` it."""
    from autograd_playground.widget import GraphWidget

    return GraphWidget(_composed(source, dict(sys._getframe(1).f_locals), lang))


def to_html(source: torch.Tensor | Recording, path: str | Path, lang: str = "en") -> Path:
    """One self-contained HTML file (no network) that replays the graph offline."""
    return write_html(_composed(source, dict(sys._getframe(1).f_locals), lang), path)
