"""The keyboard's order through the graph (app/web/order.py): inputs first, the output last, a
topological order of the graph's edges, whatever order Graphviz drew the nodes in."""

from __future__ import annotations

from typing import Any

import pytest

from app.pipeline import RunRequest, execute, payload
from app.settings import get_settings
from app.web.order import data_flow_order

PROGRAMS = {
    "seed": RunRequest("z = 2x + xy", mode="math", inputs={"x": 3, "y": 6}, formats=("graph",)),
    "mlp": RunRequest(
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\n"
        "net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\n"
        "loss = net(torch.randn(16, 4)).pow(2).mean()\nloss.backward()\n",
        formats=("graph",),
    ),
}


def _graph(name: str) -> dict[str, Any]:
    graph: dict[str, Any] = payload(execute(PROGRAMS[name], get_settings()))["graph"]
    return graph


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_edge_is_visited_source_first(name: str) -> None:
    graph = _graph(name)
    order = data_flow_order(graph["nodes"], graph["edges"])
    assert sorted(order) == sorted(node["id"] for node in graph["nodes"])
    at = {node: i for i, node in enumerate(order)}
    for edge in graph["edges"]:
        assert at[edge["source"]] < at[edge["target"]], edge
    outputs = [n["id"] for n in graph["nodes"] if n["kind"] == "tensor" and n["role"] == "output"]
    assert order[-1] in outputs


def test_the_seed_starts_at_its_inputs() -> None:
    graph = _graph("seed")
    names = {n["id"]: n["label"] if n["kind"] == "tensor" else n["op"] for n in graph["nodes"]}
    said = [names[node] for node in data_flow_order(graph["nodes"], graph["edges"])]
    assert said[:3] == ["x", "y", "2"] and said[-2:] == ["AddBackward0", "z"]


def test_a_bad_payload_keeps_every_node() -> None:
    nodes = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    edges = [
        {"source": "a", "target": "b"},
        {"source": "b", "target": "a"},
        {"source": "c", "target": "zz"},
    ]
    assert data_flow_order(nodes, edges) == ("c", "a", "b")  # the cycle after the rest
