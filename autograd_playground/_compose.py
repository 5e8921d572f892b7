"""trace → render → the page's own result partial, for a live session (no server, no sandbox).

The graph is built by `app.trace.build_graph`, drawn by `app.render`, described by
`app.web.build.result_view` and laid out by `templates/partials/_result.html`: the very code the
web app runs for a program, so the notebook shows what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engine.records import Run
from app.render.dot import to_dot
from app.render.layout import LayoutError
from app.render.reuse import drawn_svg
from app.settings import get_settings
from app.trace.build import build_graph
from app.trace.summarise import summarise
from app.web.build import Bounds, Lines, result_view
from app.web.i18n import labels
from app.web.page import chrome_for
from app.web.templating import environment
from app.web.views import ResultView


@dataclass(frozen=True, slots=True)
class Composed:
    graph: dict[str, Any]  # the graph JSON (docs/ARCHITECTURE.md, "The graph model")
    result: ResultView
    lang: str

    def context(self) -> dict[str, Any]:
        """The context `partials/_result.html` reads (the embed page's chrome, no table)."""
        chrome = chrome_for(True, hide="table")
        return {"t": labels(self.lang), "chrome": chrome, "result": self.result}

    def fragment(self) -> str:
        """The problems and result partials as HTML: the error and notes, then the picture,
        tooltips, details, backward steps (what export.html includes)."""
        env, context = environment(), self.context()
        parts = ("partials/_problems.html", "partials/_result.html")
        return "\n".join(env.get_template(name).render(context) for name in parts)


def compose(run: Run, source: str, lang: str = "en", notes: tuple[str, ...] = ()) -> Composed:
    settings = get_settings()
    limits = settings.limits
    graph = build_graph(run, source, limits.max_value_elements, settings.graph_backward_calls)
    shown = summarise(graph, settings.max_graph_nodes)
    notes = [*notes, *shown.notes]
    try:
        svg = drawn_svg(to_dot(shown, legend=False), settings.layout_seconds)
    except LayoutError as exc:
        svg = ""
        notes.append(f"The picture could not be drawn: {exc}")
    graph_json = graph.to_json()
    body = {
        "graph": graph_json, "svg": svg, "notes": notes, "error": _error(run), "steps": [],
        "tensors": {}, "code": source, "read_as": [], "training": None,
    }  # fmt: skip
    bounds = Bounds(settings.page_max_nodes, settings.page_max_rows)
    # spans point into the recording's transcript, which the reader never sees: none are shown
    result = result_view(body, Lines({}), labels(lang), lang, False, 0, bounds)
    return Composed(graph_json, result, lang)


def _error(run: Run) -> dict[str, Any] | None:
    """What a recorded backward raised, shown as the page shows a program's error."""
    error = run.error
    if error is None:
        return None
    return {"type": error.type, "message": error.message, "line": error.line,
            "source_line": None, "hint": "", "hints": {}}  # fmt: skip
