"""One self-contained HTML file: the result partial, the graph JSON, the page's CSS and graph
view inlined (app/web/export.py, the same file "Download HTML" gives). It replays the graph
offline: slides, LMS uploads, a server that is down."""

from __future__ import annotations

from pathlib import Path

from app.web.export import export_html as _export
from autograd_playground._compose import Composed

TITLE = "Autograd Playground"


def export_html(composed: Composed, title: str = TITLE) -> str:
    return _export(composed.context(), composed.graph, title)


def write_html(composed: Composed, path: str | Path, title: str = TITLE) -> Path:
    target = Path(path)
    target.write_text(export_html(composed, title), encoding="utf-8")
    return target
