"""Compact tensor nodes (issue 16, part 1): a tensor of more than a few elements is drawn as its
name, shape and heatmap thumbnails (value, grad) on one diverging scale centred on 0; the details
panel shows the full values as a table in the same colours.

Values come from the run's own graph JSON (real torch); the scale's colours from
`app/heatmap.py`, whose rules are checked here on their own.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from app import heatmap
from tests.conftest import ROOT, RunApi

SVG = "{http://www.w3.org/2000/svg}"
MAX_NODE_WIDTH = 260  # points: a node never runs wider than this, whatever its tensor's size
MLP = """\
import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
X = torch.randn(16, 4)
y = torch.randn(16, 1)
loss = ((net(X) - y)**2).mean()
loss.backward()
"""
WIDE = """\
import torch
w = torch.randn(3, 200, requires_grad=True)
big = (w * len('<script>alert(1)</script> & <<TABLE>>')).sum()
big.backward()
"""
PALETTE_COLOURS = set(heatmap.PALETTE.values())


# --- the scale --------------------------------------------------------------------------------


def test_scale_is_centred_on_zero_and_saturates_at_the_limit() -> None:
    limit = 2.5
    assert heatmap.colour(0.0, limit) == heatmap.PALETTE[0]
    assert heatmap.colour(limit, limit) == heatmap.PALETTE[heatmap.STEPS]
    assert heatmap.colour(-limit, limit) == heatmap.PALETTE[-heatmap.STEPS]
    assert heatmap.colour(10 * limit, limit) == heatmap.colour(limit, limit)
    assert heatmap.colour(math.inf, limit) == heatmap.PALETTE[heatmap.STEPS]
    assert heatmap.colour(None, limit) == heatmap.NO_NUMBER
    values = [i * limit / 20 for i in range(-20, 21)]
    levels = [heatmap.level(v, limit) for v in values]
    assert levels == sorted(levels)  # monotone in the value
    assert all(heatmap.level(-v, limit) == -heatmap.level(v, limit) for v in values)  # symmetric
    assert all(level != 0 for v, level in zip(values, levels, strict=True) if v != 0)
    # red above 0, blue below: the ends are the scale's ends, 0 is near-white
    assert (
        heatmap.PALETTE[heatmap.STEPS] == "#b2182b" and heatmap.PALETTE[-heatmap.STEPS] == "#2166ac"
    )


def test_scale_reads_the_json_forms_of_numbers() -> None:
    cells = heatmap.grid([[1, "nan"], ["-inf", True]], (2, 2))
    assert cells == [[1.0, None], [-math.inf, 1.0]]
    assert heatmap.scale_of(cells) == heatmap.Scale(1.0, 1.0)
    assert heatmap.grid([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], (2, 2, 2))[3] == [7.0, 8.0]


def test_thumbnail_is_bounded_and_keeps_the_strongest_value() -> None:
    cells = [[0.1] * 50 for _ in range(30)]
    cells[17][41] = -9.0
    small = heatmap.thumbnail(cells)
    assert len(small) == heatmap.THUMBNAIL_CELLS
    assert all(len(row) == heatmap.THUMBNAIL_CELLS for row in small)
    assert sum(v == -9.0 for row in small for v in row) == 1
    assert heatmap.thumbnail([[1.0, 2.0, 3.0]]) == [[1.0, 2.0, 3.0]]  # small stays whole


def test_page_css_has_the_palettes_colours() -> None:
    css = (ROOT / "static" / "css" / "heatmap.css").read_text()
    found = dict(re.findall(r"\.heatmap \.(hm-[\w]+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert found == {heatmap.css_class(k): v for k, v in heatmap.PALETTE.items()}


# --- the picture ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mlp(run_api: RunApi) -> dict[str, Any]:
    status, data = run_api(MLP, formats=["svg", "graph"])
    assert status == 200 and data["ok"] is True, data
    return data


def _nodes(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        g.get("id", ""): g
        for g in root.iter(f"{SVG}g")
        if "node" in g.get("class", "").split() and g.get("id", "")[:1] in "tf"
    }


def _cells(group: ET.Element) -> list[str]:
    """The fills of a node's heatmap cells (filled, unstroked rectangles of the palette)."""
    return [
        p.get("fill", "")
        for p in group.iter(f"{SVG}polygon")
        if p.get("stroke") in ("transparent", "none") and p.get("fill") in PALETTE_COLOURS
    ]


def _width(group: ET.Element) -> float:
    """The node's drawn width: its box's x extent, or its ellipse's diameter."""
    xs = [
        float(point.split(",")[0])
        for shape in group.iter(f"{SVG}polygon")
        for point in (shape.get("points") or "").split()
    ]
    widths = [2 * float(e.get("rx", 0)) for e in group.iter(f"{SVG}ellipse")]
    return max([*widths, max(xs) - min(xs)] if xs else widths, default=0.0)


def test_large_tensors_draw_thumbnails_small_ones_print_numbers(mlp: dict[str, Any]) -> None:
    groups = _nodes(mlp["svg"])
    large = 0
    for node in mlp["graph"]["nodes"]:
        if node["kind"] != "tensor":
            continue
        group, count = groups[node["id"]], math.prod(node["shape"])
        texts = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
        if count <= heatmap.PRINTED_ELEMENTS:
            assert not _cells(group) and "value" in texts, node["id"]
            continue
        large += 1
        maps = [v for v in (node["value"], node["grad"] or node["flow_grad"]) if v is not None]
        rows, columns = math.prod(node["shape"][:-1]), node["shape"][-1]
        per_map = min(rows, heatmap.THUMBNAIL_CELLS) * min(columns, heatmap.THUMBNAIL_CELLS)
        fills = _cells(group)
        assert len(fills) == per_map * len(maps), (node["id"], len(fills))
        assert "×".join(map(str, node["shape"])) in texts
        assert not re.search(r"\[\s*-?\d", texts)  # no printed matrix
        for values in maps:  # each thumbnail's strongest element is at the end of its scale
            strongest = max(heatmap.flatten(values), key=abs)
            assert heatmap.colour(strongest, abs(strongest)) in fills
    assert large >= 6  # weights, biases of 8, X, y, and the outputs of the batch


def test_no_node_is_wider_than_the_bound(run_api: RunApi, mlp: dict[str, Any]) -> None:
    status, wide = run_api(WIDE, formats=["svg", "graph"])
    assert status == 200 and wide["ok"] is True
    for data in (mlp, wide):
        for node_id, group in _nodes(data["svg"]).items():
            assert _width(group) <= MAX_NODE_WIDTH, (node_id, _width(group))


def test_compact_labels_stay_text(run_api: RunApi) -> None:
    status, data = run_api(WIDE, formats=["svg", "graph"])
    assert status == 200
    svg = data["svg"]
    assert "<script" not in svg and "<TABLE" not in svg
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert any("<script>" in text for text in texts)  # the label, as the text it is
    w = next(n for n in data["graph"]["nodes"] if n["names"] == ["w"])
    group = _nodes(svg)[w["id"]]
    tooltip = next(a for a in group.iter(f"{SVG}a")).get("{http://www.w3.org/1999/xlink}title")
    low, high = min(heatmap.flatten(w["value"])), max(heatmap.flatten(w["value"]))
    assert f"value min {low:.4g} max {high:.4g}" in tooltip


# --- the details panel ------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The heatmap tables of each node's details: node id → [[(text, class), ...], ...] each."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[list[tuple[str, str]]]]] = {}
        self.node = ""
        self.cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "article" and given.get("data-node"):
            self.node = given["data-node"] or ""
        elif tag == "table" and "heatmap" in (given.get("class") or ""):
            self.tables.setdefault(self.node, []).append([])
        elif tag == "tr" and self.node in self.tables:
            self.tables[self.node][-1].append([])
        elif tag == "td" and self.node in self.tables:
            self.cell = given.get("class") or ""
            self.tables[self.node][-1][-1].append(("", self.cell))

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            row = self.tables[self.node][-1][-1]
            row[-1] = (row[-1][0] + data, self.cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None


def test_details_show_full_values_in_the_same_colours(
    http: httpx.Client, mlp: dict[str, Any]
) -> None:
    form = {"source": MLP, "mode": "python", "device": "cpu", "lang": "en"}
    response = http.post("/run", data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.text)
    weight = next(n for n in mlp["graph"]["nodes"] if n["names"] == ["net.0.weight"])
    value, grad = parser.tables[weight["id"]][:2]
    for table, values in ((value, weight["value"]), (grad, weight["grad"])):
        assert len(table) == weight["shape"][0] and all(len(r) == weight["shape"][1] for r in table)
        limit = max(abs(v) for v in heatmap.flatten(values))
        for row, numbers in zip(table, values, strict=True):
            for (text, css), number in zip(row, numbers, strict=True):
                assert math.isclose(float(text), number, rel_tol=1e-5, abs_tol=1e-12)
                assert css == heatmap.css_class(heatmap.level(number, limit))
    small = [n for n in mlp["graph"]["nodes"] if n["kind"] == "tensor" and not n["shape"]]
    assert small and all(n["id"] not in parser.tables for n in small)  # printed, not tabled
