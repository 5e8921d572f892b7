"""Graph → DOT source, in the playground style.

Every label goes through `graphviz.escape`, so a name like `<script>` or `<<TABLE>>` is text, never
an HTML-like label; node and edge ids are the model's, so the SVG carries them for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphviz

from app.render import dot_text
from app.render.preview import preview
from app.trace.model import Edge, FunctionNode, Graph, ParameterChange, TensorNode

FONT = "Helvetica"
EDGE_LABEL_LIMIT = 120
# Graphviz runs network simplex for x coordinates without an iteration bound by default; where
# one node fans out to many (a weight reused by every step of a loop) that grows steeply: 100
# such nodes took 0.28 s, 200 took 8.5 s. Past this size the passes are bounded to one per
# node (nslimit=1): 30 ms and 94 ms, an equally valid, slightly less compact layout. Smaller
# graphs keep Graphviz's default, so their pictures do not change.
BOUNDED_LAYOUT_NODES = 60
TENSOR_STYLE = {
    "leaf": {"fillcolor": "#cfe3ff", "color": "#2f6fd6"},
    "intermediate": {"fillcolor": "#f4f4f4", "color": "#888888"},
    "output": {"fillcolor": "#c9f2c7", "color": "#2e8b2e"},
    "constant": {"fillcolor": "#ffffff", "color": "#9a9a9a", "style": "filled,dashed"},
    "detached": {"fillcolor": "#fff1c2", "color": "#b8860b", "style": "filled,dashed"},
}
FUNCTION_STYLE = {"fillcolor": "#ffe2bd", "color": "#cc7a00"}
FREED_STYLE = {"fillcolor": "#e6e6e6", "color": "#777777", "style": "filled,dashed"}
EDGE_STYLE = {
    "data": {},
    "constant": {"style": "dashed", "color": "#9a9a9a", "arrowhead": "empty"},
    "detached": {"style": "dashed", "color": "#b8860b", "arrowhead": "tee"},
    "view": {"style": "dotted", "color": "#777777", "arrowhead": "none"},
    "gradient": {"style": "bold", "color": "#c2185b"},
}
ERROR_STYLE = {"color": "#d32f2f", "penwidth": "2.5"}
LEGEND = (
    ("leaf", "leaf tensor"),
    ("intermediate", "intermediate"),
    ("output", "output"),
    ("constant", "constant / no grad"),
    ("detached", "detached"),
)


def to_dot(graph: Graph, direction: str = "forward", legend: bool = True) -> str:
    # Edge labels make Graphviz's layout superlinear on dense graphs (a leaf reused by 100
    # steps: 4× slower); past this many edges the gradients stay in the JSON and tooltips only.
    labelled = len(graph.edges) <= EDGE_LABEL_LIMIT
    lines = [
        dot_text.defaults("node", fontname=FONT, fontsize="11", style="filled"),
        dot_text.defaults("edge", fontname=FONT, fontsize="9", color="#555555"),
    ]
    stepped = (
        {}
        if graph.optimizer_step is None
        else {change.tensor: change for change in graph.optimizer_step.changes}
    )
    errors = _error_texts(graph)
    for node in graph.nodes:
        if isinstance(node, TensorNode):
            lines.append(_tensor(node, stepped.get(node.id), errors.get(node.id)))
        else:
            lines.append(_function(node, errors.get(node.id)))
    lines += (_edge(edge, direction == "backward", labelled) for edge in graph.edges)
    if legend:
        lines.append(_legend())
    graph_attributes = {"rankdir": "LR", "bgcolor": "transparent"}
    if len(graph.nodes) > BOUNDED_LAYOUT_NODES:
        graph_attributes["nslimit"] = "1"
    return dot_text.digraph("autograd", graph_attributes, lines)


def _label(lines: Iterable[str]) -> str:
    """Escaped line by line, joined with DOT's own line break. Graphviz also reads entities
    (`&amp;`) in plain labels, so `&` is written as one to stay literal."""
    text = "\x00".join(line.replace("&", "&amp;") for line in lines)
    return graphviz.escape(text).replace("\x00", "\\n")


def _error_texts(graph: Graph) -> dict[str, str]:
    """Node id → the error text its tooltip shows (the message, and the line it was on)."""
    texts: dict[str, list[str]] = {}
    for mark in graph.errors:
        texts.setdefault(mark.node, []).append(f"line {mark.line}: {mark.message}")
    return {node: " · ".join(lines) for node, lines in texts.items()}


def _marked(classes: str, style: dict[str, str], error: str | None) -> dict[str, str]:
    """Attributes of a node: an error node gets a red outline, the class `error` and the text."""
    attrs = {"class": classes, **style}
    if error is not None:
        attrs.update(ERROR_STYLE, **{"class": f"{classes} error", "tooltip": _tooltip(error)})
    return attrs


def _tooltip(text: str) -> str:
    """Plain text: backslashes and `<...>` lose their DOT meaning, `&` stays literal."""
    return graphviz.escape(text.replace("&", "&amp;"))


def _tensor(node: TensorNode, change: ParameterChange | None, error: str | None = None) -> str:
    lines = [node.label]
    if node.shape:
        lines.append("shape " + "×".join(map(str, node.shape)))
    lines.append("value " + (preview(node.value) if not node.truncated else "(large)"))
    if node.grad is not None:
        lines.append("grad " + preview(node.grad))
    elif node.flow_grad is not None:
        lines.append("∂ " + preview(node.flow_grad))
    if change is not None:  # what the last optimizer.step() did to this parameter
        lines.append(f"step {preview(change.before)} → {preview(change.after)}")
    style = {"shape": "box", **TENSOR_STYLE.get(node.role, TENSOR_STYLE["intermediate"])}
    attrs = _marked(f"tensor {node.role}", style, error)
    return dot_text.node(node.id, _label(lines), id=node.id, **attrs)


def _function(node: FunctionNode, error: str | None = None) -> str:
    lines = [node.op]
    if node.freed:
        lines.append("saved tensors freed")
    style = FREED_STYLE if node.freed else FUNCTION_STYLE
    classes = "function freed" if node.freed else "function"
    attrs = _marked(classes, style, error)
    return dot_text.node(node.id, _label(lines), id=node.id, shape="ellipse", **attrs)


def _edge(edge: Edge, backward: bool, labelled: bool) -> str:
    attrs: dict[str, Any] = {"id": edge.id, "class": f"edge {edge.kind}", **EDGE_STYLE[edge.kind]}
    if labelled and edge.grad is not None and edge.kind == "data":
        attrs["label"] = _label([preview(edge.grad)])
    source, target = (edge.target, edge.source) if backward else (edge.source, edge.target)
    return dot_text.edge(source, target, **attrs)


def _legend() -> str:
    """One compact row of swatches. Our own fixed text, so an HTML-like label is safe here."""
    cells = [
        f'<TD BGCOLOR="{TENSOR_STYLE[role]["fillcolor"]}">{text}</TD>' for role, text in LEGEND
    ]
    cells.append(f'<TD BGCOLOR="{FUNCTION_STYLE["fillcolor"]}">op (grad_fn)</TD>')
    cells.append(f'<TD BGCOLOR="{FREED_STYLE["fillcolor"]}">op, saved tensors freed</TD>')
    cells.append(f'<TD COLOR="{ERROR_STYLE["color"]}" BORDER="2">error here</TD>')
    cells.append("<TD>- - ▷ constant input (no gradient)</TD>")
    table = (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2">' + f"<TR>{''.join(cells)}</TR></TABLE>>"
    )
    return dot_text.node("legend", table, shape="plaintext", fontsize="9", style="",
                         id="legend", **{"class": "legend"})  # fmt: skip
