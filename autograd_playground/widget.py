"""The notebook widget (anywidget): the result partial and the graph JSON as synced state, the
page's graph view as its front end. Works wherever anywidget does (Jupyter, JupyterLab, VS Code,
Colab); it needs the `notebook` extra (`pip install 'autograd-playground[notebook]'`)."""

from __future__ import annotations

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

_RENDER = """
export default {
  render({ model, el }) {
    const draw = () => {
      el.classList.add('autograd-playground', 'embed')
      el.innerHTML = `<div class="result">${model.get('view_html')}</div>`
      mountView(el.firstElementChild)
    }
    draw()
    model.on('change:view_html', draw)
  },
}
"""


class GraphWidget(anywidget.AnyWidget):
    _esm = traitlets.Unicode(view_script() + _RENDER).tag(sync=True)
    _css = traitlets.Unicode(stylesheet()).tag(sync=True)
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
