"""One self-contained HTML file: the result partial, the graph JSON, the page's CSS and graph
view inlined. It replays the graph offline (slides, LMS uploads, a server that is down)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from app.web.templating import environment
from autograd_playground._bundle import inline_script, stylesheet, view_script
from autograd_playground._compose import Composed


def export_html(composed: Composed, title: str = "Autograd Playground") -> str:
    context = composed.context()
    context.update(
        title=title,
        graph=composed.graph,
        # inlined as they are: the only change keeps `</` from closing the element early
        css=Markup(inline_script(stylesheet())),
        script=Markup(inline_script(view_script())),
    )
    return environment().get_template("export.html").render(context)


def write_html(composed: Composed, path: str | Path, title: str = "Autograd Playground") -> Path:
    target = Path(path)
    target.write_text(export_html(composed, title), encoding="utf-8")
    return target
