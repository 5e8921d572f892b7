"""A picture past the node cap (issue 16): it is cut to the part nearest the output as drawn,
a fold's box and a shut call's box counting one node each; the folds and module calls whose
boxes or nodes the cut keeps stay (a `×N` box, a cluster), and no edge leads to a node the
picture does not draw. The JSON's full graph is unchanged.

The program's loops and module are real: a loop whose iterations alternate (nothing folds), a
loop that folds, and a module of the program's own (a cluster) around a torch.nn Linear (shut in
a graph this size).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from app.pipeline import RunRequest, execute, payload
from app.service.worker import _answer_json
from app.settings import Settings

PROGRAM = """\
import torch
from torch import nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def forward(self, x):
        return torch.tanh(self.lin(x))

block = Block()
h = torch.ones(2, 3, requires_grad=True)
for i in range(30):
    h = h * 1.5 if i % 2 else h.sin()
for i in range(20):
    h = h + 0.5
out = block(h).sum()
out.backward()
"""
CAP = 40
NODE = re.compile(r"^\s*(\w+) \[", re.MULTILINE)
EDGE = re.compile(r"^\s*(\w+) -> (\w+)", re.MULTILINE)


def _answer(cap: int, **options: Any) -> dict[str, Any]:
    request = RunRequest(source=PROGRAM, formats=("graph", "dot"), legend=False, **options)
    outcome = execute(request, Settings(max_graph_nodes=cap))
    return json.loads(_answer_json(outcome, payload))


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    return _answer(CAP)


def test_the_cut_keeps_the_fold_box_and_the_module_cluster_and_box(full: dict[str, Any]) -> None:
    graph = full["graph"]
    (fold,) = graph["groups"]
    block, lin = graph["modules"]
    assert fold["count"] == 20 - 1 and (block["path"], lin["path"]) == ("block", "block.lin")
    assert len(graph["nodes"]) > 3 * CAP  # the JSON keeps the whole graph
    assert any(f"the {CAP} nearest the output" in note for note in full["notes"])
    dot = full["dot"]
    drawn = set(NODE.findall(dot)) - {"graph", "node", "edge"}
    assert len(drawn) == CAP  # boxes count one each
    assert fold["id"] in drawn and re.search(rf"\b{fold['id']} \[[^\]]*class=fold", dot)
    assert lin["id"] in drawn and "module collapsed" in dot  # the shut Linear's box
    assert f"cluster_{block['id']}" in dot  # the program's own module, open
    assert not set(fold["nodes"]) & drawn  # the box stands for them
    # every edge joins two things the picture draws
    ends = EDGE.findall(dot)
    assert ends and all(a in drawn and b in drawn for a, b in ends)


def test_the_slim_answer_of_a_cut_picture_lists_the_boxes_it_draws(full: dict[str, Any]) -> None:
    slim = _answer(CAP, detail="drawn")
    graph = slim["graph"]
    kept = {node["id"] for node in graph["nodes"]}
    assert slim["dot"] == full["dot"]
    (fold,) = graph["groups"]
    assert fold["nodes"] == [] and fold["shown"] and set(fold["shown"]) <= kept
    modules = {m["id"]: m for m in graph["modules"]}
    assert set(modules) == {m["id"] for m in full["graph"]["modules"]}
    assert all(set(m["nodes"]) <= kept for m in modules.values())
    boxes = {fold["id"], *modules}
    assert all({e["source"], e["target"]} <= kept | boxes for e in graph["edges"])
    assert any(e["source"] == fold["id"] for e in graph["edges"])


def test_a_cut_that_leaves_out_the_loop_drops_its_fold() -> None:
    """Cut to the last few nodes, the fold's box is not among them: no box, no fold listed, no
    edge to it; the module calls whose nodes are kept stay."""
    cap = 8
    full = _answer(cap)
    slim = _answer(cap, detail="drawn")
    (fold,) = full["graph"]["groups"]
    dot = full["dot"]
    drawn = set(NODE.findall(dot)) - {"graph", "node", "edge"}
    assert len(drawn) == cap and fold["id"] not in drawn
    assert all(a in drawn and b in drawn for a, b in EDGE.findall(dot))
    assert slim["graph"]["groups"] == []
    kept = {node["id"] for node in slim["graph"]["nodes"]}
    modules = slim["graph"]["modules"]
    # each call listed is drawn: as its box (its nodes hidden), or as a cluster of kept nodes
    assert modules and all((m["id"] in drawn) != bool(m["nodes"]) for m in modules)
    assert all(set(m["nodes"]) <= kept for m in modules)
    assert all(
        {e["source"], e["target"]} <= kept | {m["id"] for m in modules}
        for e in slim["graph"]["edges"]
    )
