"""The legends say how the picture groups nodes: an open module call (a dashed cluster), a shut
one (a box) and a fold (a `×N` box) each get an entry, in the picture's legend, its accessible
`<title>` and the page's own legend, only when the picture draws one; in both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from app.pipeline import RunRequest, execute
from app.render.dot import LEGEND
from app.render.words import WORDS
from app.settings import Settings
from app.web.i18n import EN, ZH

SVG = "{http://www.w3.org/2000/svg}"
SEED = """\
import torch
x = torch.tensor(3.0, requires_grad=True)
y = torch.tensor(6.0, requires_grad=True)
out = 2*x + x*y
out.backward()
"""
MODULE = """\
import torch
from torch import nn
net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
loss = net(torch.ones(3, 2)).sum()
loss.backward()
"""
LOOPED = """\
import torch
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(30):
    y = y * 1.01 + 0.5
y.backward()
"""
GROUPING = ("module", "module_box", "fold")


def _picture(source: str, lang: str = "en", **fields: Any) -> tuple[Any, ET.Element]:
    request = RunRequest(source, formats=("graph", "svg"), lang=lang, **fields)
    outcome = execute(request, Settings())
    assert outcome.graph is not None and outcome.renderings["svg"]
    return outcome.graph, ET.fromstring(outcome.renderings["svg"])


def _legend(root: ET.Element) -> tuple[list[str], str]:
    """The legend's cells as drawn, and its accessible title."""
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "legend")
    cells = [t.text or "" for t in group.iter(f"{SVG}text")]
    return cells, group.findtext(f"{SVG}title") or ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_picture_without_groupings_keeps_its_legend(lang: str) -> None:
    _, root = _picture(SEED, lang)
    cells, title = _legend(root)
    said = WORDS[lang]
    assert title == " · ".join(said[key] for key in LEGEND)
    assert len(cells) == len(LEGEND) + 1  # and the constant edge's
    assert not {said[key] for key in GROUPING} & set(cells)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_open_and_shut_module_calls_are_in_the_legend(lang: str) -> None:
    said = WORDS[lang]
    graph, root = _picture(MODULE, lang)
    assert len(graph.modules) == 4  # small: every call drawn open
    cells, title = _legend(root)
    assert said["module"] in cells and said["module_box"] not in cells
    assert title.endswith(f"{said['error']} · {said['module']}")
    net = next(m.id for m in graph.modules if m.path == "net")
    _, shut = _picture(MODULE, lang, fold=(net,))  # the only call left drawn is a box
    cells, title = _legend(shut)
    assert said["module_box"] in cells and said["module"] not in cells
    assert title.endswith(f"{said['error']} · {said['module_box']}")
    first = next(m.id for m in graph.modules if m.path == "net.0")
    _, both = _picture(MODULE, lang, fold=(first,))
    cells, title = _legend(both)
    assert cells[-2:] == [said["module"], said["module_box"]]
    assert title.endswith(f"{said['module']} · {said['module_box']}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fold_is_in_the_legend(lang: str) -> None:
    said = WORDS[lang]
    graph, root = _picture(LOOPED, lang)
    assert len(graph.groups) == 1
    cells, title = _legend(root)
    assert cells[-1] == said["fold"] and title.endswith(f"{said['error']} · {said['fold']}")
    (group,) = graph.groups
    _, unfolded = _picture(LOOPED, lang, unfold=(group.id,))
    cells, _ = _legend(unfolded)
    assert said["fold"] not in cells


def _entries(html: str) -> list[tuple[str, str]]:
    legend = re.search(r'<ul class="legend"[^>]*>(.*?)</ul>', html, re.S)
    assert legend is not None
    found = re.findall(r'<span class="swatch ([a-z-]+)"></span>([^<]*)</li>', legend[1])
    return [(css, text.strip()) for css, text in found]


DEEP = """\
import torch
from torch import nn
net = nn.Sequential(*[nn.Linear(3, 3) if i % 2 == 0 else nn.Tanh() for i in range(11)])
loss = net(torch.ones(5, 3)).sum()
loss.backward()
"""


@pytest.mark.parametrize(("lang", "t"), [("en", EN), ("zh", ZH)], ids=["en", "zh"])
def test_the_pages_legend_names_the_groupings_it_draws(
    http: httpx.Client, lang: str, t: Any
) -> None:
    def entries(source: str) -> list[tuple[str, str]]:
        form = {"source": source, "mode": "python", "device": "cpu", "lang": lang}
        response = http.post("/run", data=form, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return _entries(response.text)

    seed = entries(SEED)
    assert len(seed) == 9 and seed[-1] == ("constant-edge", t.constant_input)
    assert entries(MODULE)[9:] == [("module", t.legend_module)]
    # past the collapse threshold a library module is one box
    assert entries(DEEP)[9:] == [("module-box", t.legend_module_box)]
    assert entries(LOOPED)[9:] == [("fold", t.legend_fold)]
