"""The details panel's full-value tables: a tensor too big to print in its node (the picture
draws it as heatmap thumbnails) shows its values, gradient and flowing gradient as tables whose
cells carry the same colours, as CSS classes (static/css/heatmap.css).

Values arrive bounded by `max_value_elements` (the JSON holds no more); the page adds its own
bound, `PAGE_CELLS` cells in all, so a page describing many large tensors stays a page: tensors past
it keep the plain text block.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from app import heatmap
from app.web import formatting as fmt
from app.web.i18n import Labels
from app.web.views import NodeView, ValueTable

Json = Mapping[str, Any]
PAGE_CELLS = 40_000


def with_tables(
    views: Sequence[NodeView], nodes: Sequence[Json], t: Labels
) -> tuple[NodeView, ...]:
    """`views` (one per node, same order), the large tensors' ones given their tables while the
    page's cell budget lasts."""
    budget = PAGE_CELLS
    out = []
    for view, node in zip(views, nodes, strict=True):
        tables = tables_of(node, t) if node["kind"] == "tensor" else ()
        cells = sum(len(row) for table in tables for row in table.rows)
        if tables and cells <= budget:
            budget -= cells
            view = replace(view, tables=tables, blocks=())
        out.append(view)
    return tuple(out)


def tables_of(node: Json, t: Labels) -> tuple[ValueTable, ...]:
    """Value, grad and flowing gradient (those that exist), for a tensor of more than
    `heatmap.PRINTED_ELEMENTS` elements; () for a smaller one (its node prints the numbers)."""
    shape = node["shape"]
    if not shape or math.prod(shape) <= heatmap.PRINTED_ELEMENTS:
        return ()
    wanted = ((t.value, node["value"]), (t.grad, node["grad"]), (t.flow_grad, node["flow_grad"]))
    return tuple(table(label, values, shape) for label, values in wanted if values is not None)


def table(label: str, values: Any, shape: Sequence[int]) -> ValueTable:
    """Rows as the thumbnail reads them (last dimension across), each cell (text, class)."""
    raw = heatmap.flatten(values)
    cells = heatmap.grid(values, shape)
    scale = heatmap.scale_of(cells)
    columns = shape[-1]
    rows = tuple(
        tuple(
            (fmt.number(raw[r * columns + c]), heatmap.css_class(heatmap.level(v, scale.limit)))
            for c, v in enumerate(row)
        )
        for r, row in enumerate(cells)
    )
    low, high = ("—", "—") if scale.low is None else (fmt.number(scale.low), fmt.number(scale.high))
    return ValueTable(label=label, low=low, high=high, rows=rows)
