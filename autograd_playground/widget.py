"""The notebook widget (anywidget): the result partial and the graph JSON as synced state, the
page's graph view as its front end. Works wherever anywidget does (Jupyter, JupyterLab, VS Code,
Colab); it needs the `notebook` extra (`pip install 'autograd-playground[notebook]'`)."""

from __future__ import annotations

import re
from typing import Any

try:
    import anywidget
    import traitlets
except ImportError as exc:  # the extra is not installed: say what to install
    raise ImportError(
        "show() needs the notebook extra: pip install 'autograd-playground[notebook]'"
    ) from exc

from app.web.export import stylesheet, view_script
from autograd_playground._compose import Composed

# The view lives in a shadow root: the page's stylesheet (its `body`, `button`, `h2` rules) then
# styles the view and nothing of the notebook around it, and its ids stay its own.
_RENDER = """
export default {
  render({ model, el }) {
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' })
    const draw = () => {
      shadow.innerHTML = '<style></style><div class="result embed"></div>'
      shadow.firstElementChild.textContent = model.get('css')
      shadow.lastElementChild.innerHTML = model.get('view_html')
      mountView(shadow.lastElementChild)
    }
    draw()
    model.on('change:view_html', draw)
  },
}
"""


def shadow_stylesheet() -> str:
    """The page's CSS for a shadow root: its custom properties, set on `:root` and `body` in
    the page, belong to the shadow host there."""
    return re.sub(r":root\b|\bbody\b(?=[\s,{.])", ":host", stylesheet())


class GraphWidget(anywidget.AnyWidget):
    _esm = traitlets.Unicode(view_script() + _RENDER).tag(sync=True)
    css = traitlets.Unicode(shadow_stylesheet()).tag(sync=True)
    view_html = traitlets.Unicode("").tag(sync=True)  # the result partial, rendered in Python
    graph = traitlets.Dict().tag(sync=True)  # the graph JSON, for code that reads the model
    node_count = traitlets.Int(0).tag(sync=True)

    def __init__(self, composed: Composed, **kwargs: Any) -> None:
        super().__init__(
            view_html=composed.fragment(),
            graph=composed.graph,
            node_count=len(composed.graph["nodes"]),
            **kwargs,
        )
