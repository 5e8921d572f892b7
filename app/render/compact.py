"""Compact tensor nodes: a tensor with more numbers than a node can show is drawn as its name,
its shape (with dtype/device badges when they are not the default) and two heatmap thumbnails,
value and grad, each on its own scale centred on 0, instead of printed matrices.

The label is HTML-like (Graphviz draws each cell as a filled rectangle, so nothing but polygons
and text reaches the SVG). Every piece of text in it is the user's and goes through
`html.escape`; colours and sizes are ours.
"""

from __future__ import annotations

import html
import math
from typing import Any

from app import heatmap
from app.render.preview import preview
from app.render.words import words
from app.trace.model import ParameterChange, TensorNode

LABEL_CHARS = 32  # the node's title is cut here (the details panel has it whole)
CELL_POINTS = 6  # one thumbnail cell, in points (the whole thumbnail is at most 8 cells across)
DEFAULT_DTYPES = {"float32", "torch.float32"}
DEFAULT_DEVICE = "cpu"
_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
_FRAME = '<TABLE BORDER="1" COLOR="#888888" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
_CELL = f'<TD BGCOLOR="{{}}" WIDTH="{CELL_POINTS}" HEIGHT="{CELL_POINTS}" FIXEDSIZE="TRUE"></TD>'


def elements(node: TensorNode) -> int:
    return math.prod(node.shape)


def printable(values: Any) -> bool:
    """A value small enough to print on the picture (an edge's gradient, say): not None, and at
    most `heatmap.PRINTED_ELEMENTS` numbers."""
    return values is not None and len(heatmap.flatten(values)) <= heatmap.PRINTED_ELEMENTS


def is_compact(node: TensorNode) -> bool:
    return elements(node) > heatmap.PRINTED_ELEMENTS or (node.truncated and bool(node.shape))


def compact_label(node: TensorNode, change: ParameterChange | None, lang: str = "en") -> str:
    maps = _maps(node, lang)
    span = max(len(maps), 1)
    rows = [_text_row(_cut(node.label), span), _text_row(" · ".join(badges(node)), span, size=9)]
    if maps:
        rows.append("<TR>" + "".join(_caption(name) for name, _ in maps) + "</TR>")
        rows.append("<TR>" + "".join(_thumbnail_cell(node, values) for _, values in maps) + "</TR>")
    if change is not None:
        rows.append(_text_row(_step_text(node, change, lang), span, size=9))
    return f"<{_TABLE}{''.join(rows)}</TABLE>>"


def badges(node: TensorNode) -> list[str]:
    """`8×4`, then the dtype and device only where they differ from float32 on the CPU."""
    shown = ["×".join(map(str, node.shape))]
    if node.dtype not in DEFAULT_DTYPES:
        shown.append(node.dtype.removeprefix("torch."))
    if node.device != DEFAULT_DEVICE:
        shown.append(node.device)
    return shown


def range_tooltip(node: TensorNode, lang: str = "en") -> str:
    """`value min … max … · grad min … max …`: the numbers the thumbnails' colours stand for."""
    said = words(lang)
    parts = []
    for name, values in _maps(node, lang):
        scale = heatmap.scale_of(heatmap.grid(values, node.shape))
        low, high = preview(scale.low), preview(scale.high)
        parts.append(said["range"].format(name=name, low=low, high=high))
    if node.truncated and node.summary:
        low, high = node.summary.get("min"), node.summary.get("max")
        parts.append(said["too_large"].format(low=preview(low), high=preview(high)))
    return " · ".join(parts) or node.label


def _maps(node: TensorNode, lang: str) -> list[tuple[str, Any]]:
    """(caption, values) for each thumbnail: the value, and the gradient when there is one
    (the tensor's own `.grad`, or else the gradient that flowed into it, `∂`)."""
    said = words(lang)
    maps = [] if node.value is None else [(said["value"], node.value)]
    if node.grad is not None:
        maps.append((said["grad"], node.grad))
    elif node.flow_grad is not None:
        maps.append((said["flow"], node.flow_grad))
    return maps


def _thumbnail_cell(node: TensorNode, values: Any) -> str:
    cells = heatmap.grid(values, node.shape)
    limit = heatmap.scale_of(cells).limit
    rows = "".join(
        "<TR>" + "".join(_CELL.format(heatmap.colour(v, limit)) for v in row) + "</TR>"
        for row in heatmap.thumbnail(cells)
    )
    return f"<TD>{_FRAME}{rows}</TABLE></TD>"


def _step_text(node: TensorNode, change: ParameterChange, lang: str) -> str:
    """What the last optimizer.step() did, as the largest change of any element."""
    before = heatmap.grid(change.before, node.shape)
    after = heatmap.grid(change.after, node.shape)
    moves = [
        abs(a - b)
        for row_b, row_a in zip(before, after, strict=False)
        for b, a in zip(row_b, row_a, strict=False)
        if a is not None and b is not None and math.isfinite(a - b)
    ]
    return words(lang)["step_change"].format(change=preview(max(moves, default=0.0)))


def _caption(text: str) -> str:
    return f'<TD><FONT POINT-SIZE="9">{html.escape(text)}</FONT></TD>'


def _text_row(text: str, span: int, size: int | None = None) -> str:
    escaped = html.escape(text)
    body = escaped if size is None else f'<FONT POINT-SIZE="{size}">{escaped}</FONT>'
    return f'<TR><TD COLSPAN="{span}">{body}</TD></TR>'


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
