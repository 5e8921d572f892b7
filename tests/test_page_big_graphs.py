"""The page of a big graph stays small (issue 16): for a 10,000-node chain and a 2-layer MLP
trained 100 steps (its updates kept in the graph), the page's partial draws the folded first
view, and its picture, tooltips, details and backward steps stay within the page's bounds —
never more than ~2,000 graph nodes in the DOM.

The server is the app with its workers, as students reach it, with the default
`page_max_answer_bytes`: the page asks for what its picture draws (`detail: "drawn"`), so even the
MLP's answer is read (its whole graph, every gradient of every step, is past that guard).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest

from app.settings import Settings
from bench.big_graph import MLP as MLP_STEPS
from tests.servers import serve

# bench/big_graph.py's programs: a chain of 2,500 iterations (5 nodes each with the constant),
# and a 2-layer MLP trained on XOR for 100 steps, its updates kept in the graph
CHAIN = """\
import torch
x = torch.tensor(1., requires_grad=True)
h = x * 1
for i in range(2500):
    h = h.sin() * 1.01
out = h
out.backward()
"""
MLP = MLP_STEPS.format(steps=100, lr=0.1)  # the bench's program (bench/big_graph.py)
DOM_NODES = 2_000
LIMITS = Settings()


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = {"rate_limit_per_minute": "0"}
    with serve(tmp_path_factory.mktemp("big-page"), settings) as server:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            yield client


class _Counts(HTMLParser):
    """Elements of the partial by what they are: graph nodes drawn in the SVG, tooltips,
    detail articles, backward steps, and every element."""

    def __init__(self) -> None:
        super().__init__()
        self.elements = 0
        self.drawn: list[str] = []
        self.folds: list[str] = []
        self.tips = self.details = self.steps = 0
        self._in_steps = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        given = dict(attrs)
        classes = (given.get("class") or "").split()
        if tag == "g" and "node" in classes:
            self.drawn.append(given.get("id") or "")
            if "fold" in classes:
                self.folds.append(given.get("id") or "")
        self.tips += tag == "div" and "tip" in classes
        self.details += tag == "article" and "node-detail" in classes
        if tag == "ol" and given.get("id") == "backward-steps":
            self._in_steps = True
        self.steps += tag == "li" and self._in_steps

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self._in_steps = False


def _partial(http: httpx.Client, source: str) -> tuple[_Counts, str]:
    form = {"source": source, "mode": "python", "device": "cpu", "lang": "en"}
    response = http.post("/run", data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text[:500]
    counts = _Counts()
    counts.feed(response.text)
    return counts, response.text


@pytest.mark.parametrize(
    ("source", "least"),
    [(CHAIN, 10_000), (MLP, 5_000)],
    ids=["chain of 10,000 nodes", "MLP trained 100 steps"],
)
def test_a_big_graph_page_holds_its_folded_first_view_within_bounds(
    http: httpx.Client, source: str, least: int
) -> None:
    status = http.post("/api/v1/run", json={"source": source, "formats": ["graph"]})
    graph = status.json()["graph"]
    assert len(graph["nodes"]) >= least and graph["groups"], len(graph["nodes"])
    counts, text = _partial(http, source)
    assert "<svg" in text and not re.search(r'class="[^"]*refusal', text)
    # the folded first view: every fold drawn as its box, within the picture's cap
    assert counts.folds and set(counts.folds) <= {g["id"] for g in graph["groups"]}
    assert len(counts.drawn) <= LIMITS.max_graph_nodes + len(graph["groups"])
    # what the page describes stays within page_max_nodes, whatever the graph's size
    assert counts.tips <= LIMITS.page_max_nodes and counts.details <= LIMITS.page_max_nodes
    assert counts.steps <= LIMITS.page_max_nodes
    graph_nodes = len(counts.drawn) + counts.tips + counts.details
    assert graph_nodes <= DOM_NODES, graph_nodes
    # read from the slim answer, the page still counts the whole graph
    assert f"of {len(graph['nodes'])} graph nodes" in text
