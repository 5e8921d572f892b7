"""Tensor values as heatmaps: one diverging colour scale centred on 0, for the picture's
thumbnails (app/render) and the details panel's full-value table (app/web) alike, so a cell means
the same colour in both. Plain Python on the graph JSON's values: any layer may use it.

Values arrive as the graph JSON has them: nested lists of numbers, "nan"/"inf"/"-inf" strings,
booleans, `{"re", "im"}` for complex numbers. Anything that is not a real number is drawn grey.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PRINTED_ELEMENTS = 6  # a tensor of up to this many numbers is printed; beyond it, a heatmap
NEGATIVE = (33, 102, 172)  # ColorBrewer RdBu's ends: blue below 0, red above, near-white at 0
ZERO = (247, 247, 247)
POSITIVE = (178, 24, 43)
NO_NUMBER = "#bdbdbd"  # nan, complex, missing
THUMBNAIL_CELLS = 8  # a thumbnail has at most this many rows and columns
STEPS = 8  # colour steps on each side of 0
_INFINITE = {"inf": math.inf, "-inf": -math.inf}

Grid = list[list[float | None]]


@dataclass(frozen=True, slots=True)
class Scale:
    """The finite minimum and maximum of a tensor, and the half-width of its colour scale."""

    low: float | None
    high: float | None

    @property
    def limit(self) -> float:
        ends = [abs(v) for v in (self.low, self.high) if v is not None]
        return max(ends, default=0.0)


def number(value: Any) -> float | None:
    """A real number, ±inf, or None for what has no place on the scale (nan, complex)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    return _INFINITE.get(value) if isinstance(value, str) else None


def grid(values: Any, shape: Sequence[int]) -> Grid:
    """Rows × columns: the last dimension across, every other dimension flattened down, so an
    (a, b, c) tensor reads as a·b rows of c; a vector is one row, a scalar one cell."""
    flat = [number(v) for v in flatten(values)]
    columns = shape[-1] if shape else 1
    if columns <= 0:
        return []
    return [flat[start : start + columns] for start in range(0, len(flat), columns)]


def flatten(values: Any) -> list[Any]:
    out: list[Any] = []
    stack = [values]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            out.append(item)
    return out


def scale_of(cells: Grid) -> Scale:
    finite = [v for row in cells for v in row if v is not None and math.isfinite(v)]
    return Scale(min(finite), max(finite)) if finite else Scale(None, None)


def level(value: float | None, limit: float) -> int | None:
    """The step of the scale a value falls on: -STEPS (−limit or below) … 0 … STEPS (+limit or
    above); None for what is not a number. Steps rather than a continuum so the page's table
    can colour cells with CSS classes (its CSP allows no inline styles) in exactly these colours."""
    if value is None:
        return None
    if limit <= 0 or value == 0:
        return 0
    share = min(abs(value) / limit, 1.0) if math.isfinite(value) else 1.0
    step = max(1, math.ceil(share * STEPS - 1e-9))  # any non-zero value is visibly tinted
    return step if value > 0 else -step


def colour(value: float | None, limit: float) -> str:
    """`#rrggbb` on the diverging scale: 0 is near-white, ±limit (or beyond, ±inf) full red/blue."""
    return PALETTE[level(value, limit)]


def _mix(end: Sequence[int], share: float) -> str:
    return _hex([round(z + (e - z) * share) for z, e in zip(ZERO, end, strict=True)])


def _hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


# step → colour; None (no number) is grey. static/css/heatmap.css holds the same colours as the
# classes `hm-n8` … `hm-0` … `hm-p8`, `hm-x` (tests/test_graph_compact.py keeps them equal).
PALETTE: dict[int | None, str] = {
    None: NO_NUMBER,
    **{step: _mix(POSITIVE, step / STEPS) for step in range(STEPS + 1)},
    **{-step: _mix(NEGATIVE, step / STEPS) for step in range(1, STEPS + 1)},
}


def css_class(step: int | None) -> str:
    if step is None:
        return "hm-x"
    return f"hm-p{step}" if step > 0 else f"hm-n{-step}" if step < 0 else "hm-0"


def thumbnail(cells: Grid, size: int = THUMBNAIL_CELLS) -> Grid:
    """At most `size` × `size` cells. Each cell stands for a block of the tensor and keeps the
    block's strongest value (largest magnitude, sign kept), so an outlier is never averaged away."""
    if not cells:
        return []
    rows = _blocks(len(cells), size)
    columns = _blocks(max(len(row) for row in cells), size)
    return [
        [_strongest(cells, row_block, column_block) for column_block in columns]
        for row_block in rows
    ]


def _blocks(length: int, size: int) -> list[range]:
    """`length` indices cut into at most `size` contiguous, nearly equal blocks."""
    count = min(length, size)
    edges = [round(i * length / count) for i in range(count + 1)]
    return [range(edges[i], edges[i + 1]) for i in range(count)]


def _strongest(cells: Grid, rows: range, columns: range) -> float | None:
    block = [cells[r][c] for r in rows for c in columns if c < len(cells[r])]
    numbers = [v for v in block if v is not None]
    return max(numbers, key=abs) if numbers else None
