"""Folded repetition (issue 16, part 3): a loop's iterations that built the same shape of graph
are one `groups` entry of the graph JSON (`kind: fold`, the count, the folded node ids and the last
iteration's, drawn in full), and the picture draws them as one `×N` box.

Counts and node ids are checked against the graph's own nodes (real torch built them); the loop
lengths are the programs' own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.conftest import RunApi

SVG = "{http://www.w3.org/2000/svg}"
STEPS = 40
CHAIN = f"""\
import torch
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range({STEPS}):
    h = y * 1.01
    y = h + 0.5
y.backward()
"""
SHRINKING = """\
import torch
x = torch.ones(12, requires_grad=True)
y = x
for i in range(6):
    y = y[1:] * 2
y.sum().backward()
"""
BIG_STEPS = 1200  # about 7,000 graph nodes: past max_graph_nodes unless folded


@pytest.fixture(scope="module")
def chain(run_api: RunApi) -> dict[str, Any]:
    status, data = run_api(CHAIN, formats=["svg", "dot", "graph"])
    assert status == 200 and data["ok"] is True, data
    return data


def _drawn(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if "node" in g.get("class", "")}


def test_a_loop_folds_to_one_group_with_its_count(chain: dict[str, Any]) -> None:
    graph = chain["graph"]
    (group,) = graph["groups"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert group["kind"] == "fold" and group["count"] == STEPS - 1
    assert group["lines"] == [5, 6]
    assert not set(group["nodes"]) & set(group["shown"])
    assert set(group["nodes"]) | set(group["shown"]) <= set(nodes)
    # every product the loop made is in one iteration or the other, the output in the last
    products = {i for i, n in nodes.items() if n["kind"] == "tensor" and n.get("span")}
    products -= {i for i, n in nodes.items() if n["kind"] == "tensor" and n["span"]["line"] < 5}
    assert products <= set(group["nodes"]) | set(group["shown"])
    output = next(i for i, n in nodes.items() if n["kind"] == "tensor" and n["role"] == "output")
    assert output in group["shown"]
    ops = [nodes[i]["op"] for i in group["nodes"] if nodes[i]["kind"] == "function"]
    assert sorted(ops) == sorted(["MulBackward0", "AddBackward0"] * (STEPS - 1))


def test_the_picture_draws_the_fold_and_the_last_iteration(chain: dict[str, Any]) -> None:
    drawn = _drawn(chain["svg"])
    (group,) = chain["graph"]["groups"]
    assert group["id"] in drawn and "fold" in drawn[group["id"]].get("class", "")
    texts = [t.text or "" for t in drawn[group["id"]].iter(f"{SVG}text")]
    assert texts[0] == f"×{STEPS - 1} iterations"
    assert not set(group["nodes"]) & set(drawn)
    assert set(group["shown"]) <= set(drawn)
    # edges meet the box: something flows in, and out to the iteration drawn in full (read
    # from the DOT: the SVG's edge titles are the labels a screen reader says)
    ends = re.findall(r"^\t(\w+) -> (\w+) ", chain["dot"], re.MULTILINE)
    assert any(head == group["id"] for _, head in ends)
    assert any(tail == group["id"] and head in group["shown"] for tail, head in ends)
    drawn_edges = {g.get("id") for g in ET.fromstring(chain["svg"]).iter(f"{SVG}g")}
    dot_edge_ids = set(re.findall(r"-> \w+ \[[^\]]*id=(e\d+)", chain["dot"]))
    assert dot_edge_ids <= drawn_edges
    # and say so to a screen reader: an edge across the fold's border names the box
    box = f"×{STEPS - 1} iterations"
    edge_titles = [
        g.find(f"{SVG}title").text or ""
        for g in ET.fromstring(chain["svg"]).iter(f"{SVG}g")
        if "edge" in g.get("class", "")
    ]
    assert any(title.endswith(box) or f"{box} " in title for title in edge_titles), edge_titles


def test_iterations_of_different_shapes_are_not_folded(run_api: RunApi) -> None:
    status, data = run_api(SHRINKING, formats=["graph"])
    assert status == 200 and data["ok"] is True
    assert data["graph"]["groups"] == []


TWO_LOOPS = """\
import torch
x = torch.tensor(1.0, requires_grad=True)
a = x
for i in range(5):
    a = a * 1.5
b = x
for i in range(5):
    b = b * 2.5
(a + b).backward()
"""
NESTED = """\
import torch
x = torch.tensor(1.0, requires_grad=True)
c = x
for i in range(4):
    for j in range(3):
        c = c + 1.0
    c = c * 2.0
c.backward()
"""


def _lines_of(data: dict[str, Any]) -> dict[str, set[int]]:
    """Fold id → the source lines of the tensors it folds."""
    nodes = {n["id"]: n for n in data["graph"]["nodes"]}
    return {
        g["id"]: {nodes[i]["span"]["line"] for i in g["nodes"] if nodes[i].get("span")}
        for g in data["graph"]["groups"]
    }


def test_two_loops_of_the_same_length_fold_apart(run_api: RunApi) -> None:
    status, data = run_api(TWO_LOOPS, formats=["svg", "graph"])
    assert status == 200 and data["ok"] is True, data.get("error")
    groups = data["graph"]["groups"]
    assert sorted(g["count"] for g in groups) == [4, 4]
    assert sorted(_lines_of(data).values(), key=min) == [{5}, {8}]
    assert sorted(tuple(g["lines"]) for g in groups) == [(5, 5), (8, 8)]
    first, second = groups
    assert not set(first["nodes"] + first["shown"]) & set(second["nodes"] + second["shown"])
    drawn = _drawn(data["svg"])
    assert {g["id"] for g in groups} <= set(drawn)


def test_nested_loops_fold_with_the_outer_iterations(run_api: RunApi) -> None:
    status, data = run_api(NESTED, formats=["graph"])
    assert status == 200 and data["ok"] is True, data.get("error")
    (group,) = data["graph"]["groups"]
    assert group["count"] == 4 - 1 and group["lines"] == [6, 7]
    assert _lines_of(data) == {group["id"]: {6, 7}}
    nodes = {n["id"]: n for n in data["graph"]["nodes"]}
    ops = [nodes[i]["op"] for i in group["nodes"] if nodes[i]["kind"] == "function"]
    # each outer iteration: the inner loop's three additions, then the product
    assert sorted(ops) == sorted(["AddBackward0"] * 3 * 3 + ["MulBackward0"] * 3)
    shown = [nodes[i]["op"] for i in group["shown"] if nodes[i]["kind"] == "function"]
    assert sorted(shown) == sorted(["AddBackward0"] * 3 + ["MulBackward0"])


CALLED_AFTER = """\
import torch
def step(h):
    return h.sin() * 1.5
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(6):
    y = step(y) + 1.0
y = step(y)
y.backward()
"""


def test_a_function_the_loop_calls_folds_with_it_and_not_its_call_after(
    run_api: RunApi,
) -> None:
    status, data = run_api(CALLED_AFTER, formats=["graph"])
    assert status == 200 and data["ok"] is True, data.get("error")
    (group,) = data["graph"]["groups"]
    assert group["count"] == 6 - 1 and _lines_of(data) == {group["id"]: {3, 7}}
    nodes = {n["id"]: n for n in data["graph"]["nodes"]}
    ops = [nodes[i]["op"] for i in group["nodes"] if nodes[i]["kind"] == "function"]
    assert sorted(ops) == sorted(["SinBackward0", "MulBackward0", "AddBackward0"] * 5)
    # the call after the loop is drawn in full, outside the fold
    output = next(i for i, n in nodes.items() if n.get("role") == "output")
    assert output not in group["nodes"] + group["shown"]


def test_a_long_loop_is_drawn_whole_not_cut_to_the_nearest_nodes(run_api: RunApi) -> None:
    source = CHAIN.replace(f"range({STEPS})", f"range({BIG_STEPS})")
    status, data = run_api(source, formats=["svg", "graph"])
    assert status == 200 and data["ok"] is True, data.get("error")
    (group,) = data["graph"]["groups"]
    assert group["count"] == BIG_STEPS - 1
    assert not any("nearest the output" in note for note in data["notes"])
    drawn = _drawn(data["svg"])
    leaf = next(n["id"] for n in data["graph"]["nodes"] if n.get("role") == "leaf")
    assert leaf in drawn and group["id"] in drawn  # the start of the chain is on the picture
    assert len(drawn) < 20


def test_unfold_draws_a_fold_in_full(run_api: RunApi, chain: dict[str, Any]) -> None:
    (group,) = chain["graph"]["groups"]
    status, data = run_api(CHAIN, formats=["svg", "graph"], unfold=[group["id"]])
    assert status == 200 and data["ok"] is True
    assert data["graph"]["groups"] == chain["graph"]["groups"]  # the JSON keeps the grouping
    drawn = _drawn(data["svg"])
    assert group["id"] not in drawn
    assert set(group["nodes"]) | set(group["shown"]) <= set(drawn)
    # a fold id that is no fold of this graph changes nothing
    status, other = run_api(CHAIN, formats=["svg"], unfold=["g7"])
    assert status == 200 and group["id"] in _drawn(other["svg"])


def test_fold_wins_over_unfold_and_an_unknown_id_is_ignored_with_a_note(
    run_api: RunApi, chain: dict[str, Any]
) -> None:
    """A page that opened g0 and shut it again may send both: the box is drawn. `fold` on a
    fold drawn as its box changes nothing; an id of no fold or call of this graph (an earlier
    program's) is ignored and said in the notes."""
    (group,) = chain["graph"]["groups"]
    boxed = set(_drawn(chain["svg"]))
    for fields in ({"unfold": [group["id"]], "fold": [group["id"]]}, {"fold": [group["id"]]}):
        status, data = run_api(CHAIN, formats=["svg"], **fields)
        assert status == 200 and set(_drawn(data["svg"])) == boxed, fields
        assert data["notes"] == []
    status, data = run_api(CHAIN, formats=["svg"], unfold=["g7", "m2"], fold=["m0"])
    assert status == 200 and set(_drawn(data["svg"])) == boxed
    assert data["notes"] == [
        "unfold: g7, m2 names no fold or module call of this graph; ignored.",
        "fold: m0 names no fold or module call of this graph; ignored.",
    ]


@pytest.mark.parametrize(
    "unfold", [["<script>"], ["g"], ["g1234567"], "g0", [1], ["g0"] * 65], ids=str
)
def test_bad_unfold_is_a_422(run_api: RunApi, unfold: Any) -> None:
    status, data = run_api(CHAIN, formats=["svg"], unfold=unfold)
    assert status == 422, data


# --- folding by the loop's own iterations (issue 16) ----------------------------------------


def _folds(run_api: RunApi, source: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    status, data = run_api(source, formats=["graph"])
    assert status == 200 and data["ok"] is True, data.get("error")
    return data["graph"]["groups"], {n["id"]: n for n in data["graph"]["nodes"]}


def _ops(nodes: dict[str, Any], ids: list[str]) -> list[str]:
    return sorted(nodes[i]["op"] for i in ids if nodes[i]["kind"] == "function")


def _loop(body: str, head: str = "for i in range({n}):", n: int = 6) -> str:
    lines = "\n".join(f"    {line}" for line in body.splitlines())
    return (
        "import torch\nx = torch.tensor(1.0, requires_grad=True)\nh = x\n"
        f"{head.format(n=n)}\n{lines}\nh.backward()\n"
    )


def test_an_if_taken_every_other_iteration_folds_nothing(run_api: RunApi) -> None:
    """Half the iterations double h: no two iterations in a row built the same graph, so
    nothing folds (the `if` body is not a loop of its own, whose fold counted pairs)."""
    groups, nodes = _folds(run_api, _loop("if i % 2 == 0:\n    h = h * 2\nh = h + 1"))
    assert groups == []
    ops = _ops(nodes, list(nodes))
    assert ops.count("MulBackward0") == 3 and ops.count("AddBackward0") == 6


def test_each_stretch_of_equal_iterations_folds_with_its_own_count(run_api: RunApi) -> None:
    """Iterations 0-4 double and add, 5-9 only add: two folds, 4 + the last of each shown."""
    groups, nodes = _folds(run_api, _loop("if i < 5:\n    h = h * 2\nh = h + 1", n=10))
    first, second = groups
    assert (first["count"], second["count"]) == (4, 4)
    assert _ops(nodes, first["nodes"]) == sorted(["MulBackward0", "AddBackward0"] * 4)
    assert _ops(nodes, first["shown"]) == ["AddBackward0", "MulBackward0"]
    assert _ops(nodes, second["nodes"]) == ["AddBackward0"] * 4
    assert _ops(nodes, second["shown"]) == ["AddBackward0"]


def test_an_iteration_that_took_the_branch_splits_the_fold(run_api: RunApi) -> None:
    """Iteration 4 alone doubles h: the four before it fold, the four after it fold, and it
    is drawn in full between them (never one box of 8 with a different iteration inside)."""
    groups, nodes = _folds(run_api, _loop("if i == 4:\n    h = h * 2\nh = h + 1", n=9))
    assert [g["count"] for g in groups] == [3, 3]
    inside = {i for g in groups for i in g["nodes"] + g["shown"]}
    (mul,) = [i for i, n in nodes.items() if n["kind"] == "function" and n["op"] == "MulBackward0"]
    assert mul not in inside
    assert all(_ops(nodes, g["nodes"]) == ["AddBackward0"] * 3 for g in groups)


def test_a_while_loop_with_break_and_a_comprehension_fold_by_their_iterations(
    run_api: RunApi,
) -> None:
    body = "h = h * 1.5\nif h > 20:\n    break"
    groups, nodes = _folds(run_api, _loop(body, head="while True:"))
    (group,) = groups
    steps = [n for n in nodes.values() if n["kind"] == "function" and n["op"] == "MulBackward0"]
    assert 1.5 ** (len(steps) - 1) <= 20 < 1.5 ** len(steps)  # the loop ran until h > 20
    assert group["count"] == len(steps) - 1
    comprehension = _loop("h = sum([h * k for k in range(5)])", n=1)
    (group,), nodes = _folds(run_api, comprehension)
    assert group["count"] == 4 and _ops(nodes, group["nodes"]) == ["MulBackward0"] * 4


def test_an_inner_loop_folds_in_each_outer_iteration_too_short_to_fold(run_api: RunApi) -> None:
    """Two epochs (too few to fold) of five steps each: each epoch's steps are a fold."""
    groups, nodes = _folds(run_api, _loop("for j in range(5):\n    h = h * 1.1", n=2))
    assert [g["count"] for g in groups] == [4, 4]
    first, second = groups
    assert not set(first["nodes"] + first["shown"]) & set(second["nodes"] + second["shown"])
    assert all(_ops(nodes, g["nodes"]) == ["MulBackward0"] * 4 for g in groups)
