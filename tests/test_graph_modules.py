"""Modules as groups (issue 16): each `nn.Module` call is a `modules` entry of the graph JSON
(path, class, shapes, the nodes it made, its parent call), drawn as a labelled cluster, or as one
box when collapsed; requests open and shut them (`unfold` / `fold`); a module called in a loop
composes with folding; constants sit beside the op that uses them.

Which nodes a call made is checked against the graph's own nodes (real torch built them): the
op PyTorch names for a Linear (`AddmmBackward0`), the parameters by their names.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from torch.nn.modules import module as module_hooks

from app.lessons import find_lesson
from app.pipeline import RunRequest, execute
from app.settings import Settings
from tests.conftest import ROOT, RunApi

SVG = "{http://www.w3.org/2000/svg}"
NESTED = """\
import torch
from torch import nn

class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        h = self.layers(x)
        return self.head(h)

model = Encoder()
X = torch.ones(3, 4)
out = model(X)
loss = out.sum()
loss.backward()
"""
LINEAR_MODEL = (ROOT / "tests/corpus/parity/400_class_linear_model_notes.py").read_text()
LAYERS = 6
DEEP = f"""\
import torch
from torch import nn
net = nn.Sequential({"nn.Linear(3, 3), nn.Tanh(), " * (LAYERS - 1)}nn.Linear(3, 1))
X = torch.ones(5, 3)
loss = net(X).sum()
loss.backward()
"""
CALLS = 300
LOOPED = f"""\
import torch
from torch import nn
lin = nn.Linear(2, 2)
h = torch.ones(1, 2)
for i in range({CALLS}):
    h = torch.tanh(lin(h))
h.sum().backward()
"""


def _run(run_api: RunApi, source: str, **fields: Any) -> dict[str, Any]:
    status, data = run_api(source, formats=["graph", "svg", "dot"], **fields)
    assert status == 200 and data["ok"] is True, data
    return data


def _by_path(graph: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for module in graph["modules"]:
        found.setdefault(module["path"], []).append(module)
    return found


def _labels(graph: dict[str, Any], ids: list[str]) -> list[str]:
    nodes = {n["id"]: n for n in graph["nodes"]}
    return [nodes[i].get("label") or nodes[i].get("op") for i in ids]


def _groups(svg: str) -> dict[str, ET.Element]:
    """Drawn nodes and clusters by id."""
    root = ET.fromstring(svg)
    return {
        g.get("id", ""): g
        for g in root.iter(f"{SVG}g")
        if re.search(r"\b(node|cluster)\b", g.get("class", ""))
    }


def _text(g: ET.Element) -> str:
    return " ".join(t.text or "" for t in g.iter(f"{SVG}text"))


@pytest.fixture(scope="module")
def nested(run_api: RunApi) -> dict[str, Any]:
    return _run(run_api, NESTED)


def test_a_programs_module_with_a_nested_sequential_has_every_call(
    nested: dict[str, Any],
) -> None:
    graph = nested["graph"]
    paths = _by_path(graph)
    assert list(paths) == [
        "model",
        "model.layers",
        "model.layers.0",
        "model.layers.1",
        "model.head",
    ]
    ((model,), (layers,), (first,), (relu,), (head,)) = paths.values()
    assert (model["type"], model["library"], model["parent"]) == ("Encoder", False, None)
    assert (layers["type"], layers["library"]) == ("Sequential", True)
    assert layers["parent"] == model["id"]
    assert first["parent"] == relu["parent"] == layers["id"] and head["parent"] == model["id"]
    assert first["inputs"] == [[3, 4]] and first["outputs"] == [[3, 8]]
    assert head["inputs"] == [[3, 8]] and head["outputs"] == [[3, 2]]
    assert sorted(_labels(graph, first["nodes"])) == sorted(
        ["AddmmBackward0", "TBackward0", "AccumulateGrad", "AccumulateGrad",
         "model.layers.0.weight", "model.layers.0.bias"]
    )  # fmt: skip
    assert _labels(graph, relu["nodes"]) == ["ReluBackward0"]
    # a call holds its children's nodes; the program's `out` is outside every call
    for child, parent in ((first, layers), (relu, layers), (layers, model), (head, model)):
        assert set(child["nodes"]) <= set(parent["nodes"])
    out = next(n["id"] for n in graph["nodes"] if n.get("names") == ["out"])
    assert all(out not in m["nodes"] for m in graph["modules"])


def test_the_notes_linear_model_groups_its_calls(run_api: RunApi) -> None:
    graph = _run(run_api, LINEAR_MODEL)["graph"]
    paths = _by_path(graph)
    # the last epoch's graph (`loss`) and `y_test = model(x_test)`: two calls of each
    assert [m["type"] for m in paths["model"]] == ["LinearModel", "LinearModel"]
    assert [m["type"] for m in paths["model.linear"]] == ["Linear", "Linear"]
    assert [m["type"] for m in paths["criterion"]] == ["MSELoss"]
    for call in paths["model.linear"]:
        assert "AddmmBackward0" in _labels(graph, call["nodes"])
        assert call["parent"] in {m["id"] for m in paths["model"]}
    # the parameters belong to the last call of the module that owns them
    weight = next(n["id"] for n in graph["nodes"] if n.get("label") == "model.linear.weight")
    assert [weight in m["nodes"] for m in paths["model.linear"]] == [False, True]


def test_the_picture_draws_each_call_as_a_labelled_cluster(nested: dict[str, Any]) -> None:
    drawn = _groups(nested["svg"])
    first = _by_path(nested["graph"])["model.layers.0"][0]
    cluster = drawn[first["id"]]
    assert "cluster" in cluster.get("class", "") and "module" in cluster.get("class", "")
    assert _text(cluster) == "model.layers.0 · Linear (3×4 → 3×8)"
    assert "subgraph cluster_" + first["id"] in nested["dot"]
    # its nodes are drawn (inside it), not a box
    assert all(node in drawn for node in first["nodes"])


def test_fold_collapses_a_call_to_one_box_with_its_edges(run_api: RunApi) -> None:
    data = _run(run_api, NESTED)
    first = _by_path(data["graph"])["model.layers.0"][0]
    shut = _run(run_api, NESTED, fold=[first["id"]])
    drawn = _groups(shut["svg"])
    box = drawn[first["id"]]
    assert box.get("class") == "node module collapsed"
    assert _text(box) == "Linear model.layers.0 3×4 → 3×8"
    assert not set(first["nodes"]) & set(drawn)
    # what flows into the Linear (nothing: X is a constant) and out of it (into the ReLU)
    relu = _by_path(data["graph"])["model.layers.1"][0]["nodes"][0]
    assert re.search(rf"\b{first['id']} -> {relu}\b", shut["dot"])
    # the JSON is the same graph: collapsing is the picture's
    assert shut["graph"] == data["graph"]


def test_fold_wins_over_unfold_for_the_same_call(run_api: RunApi) -> None:
    data = _run(run_api, NESTED)
    (model,) = _by_path(data["graph"])["model"]
    assert "cluster" in _groups(data["svg"])[model["id"]].get("class", "")  # open by default
    both = _run(run_api, NESTED, unfold=[model["id"]], fold=[model["id"]])
    assert _groups(both["svg"])[model["id"]].get("class") == "node module collapsed"
    assert both["notes"] == []


def test_library_modules_collapse_past_the_threshold_and_unfold_opens_them(
    run_api: RunApi,
) -> None:
    data = _run(run_api, DEEP)
    graph = data["graph"]
    assert len(graph["nodes"]) > 40  # PLAYGROUND_GRAPH_MODULE_COLLAPSE_NODES
    (net,) = _by_path(graph)["net"]
    drawn = _groups(data["svg"])
    assert drawn[net["id"]].get("class") == "node module collapsed"
    assert not any(m["id"] in drawn for m in graph["modules"] if m["parent"] == net["id"])
    opened = _groups(_run(run_api, DEEP, unfold=[net["id"]])["svg"])
    assert "cluster" in opened[net["id"]].get("class", "")
    children = [m for m in graph["modules"] if m["parent"] == net["id"]]
    assert len(children) == 2 * LAYERS - 1
    assert all(opened[m["id"]].get("class") == "node module collapsed" for m in children)
    # a small graph of the same modules draws them all open
    small = _run(run_api, "import torch\nnet = torch.nn.Linear(2, 1)\nout = net(torch.ones(2))\n")
    (lin,) = small["graph"]["modules"]
    assert "cluster" in _groups(small["svg"])[lin["id"]].get("class", "")


def test_a_module_called_in_a_loop_composes_with_the_fold(run_api: RunApi) -> None:
    data = _run(run_api, LOOPED)
    graph = data["graph"]
    (group,) = graph["groups"]
    calls = graph["modules"]
    assert len(calls) == CALLS and {m["path"] for m in calls} == {"lin"}
    # every folded call's nodes are in the fold (its TBackward0 too), the last call's are not
    for call in calls[:-1]:
        assert set(call["nodes"]) <= set(group["nodes"]), call["id"]
    assert not set(calls[-1]["nodes"]) & set(group["nodes"])
    drawn = _groups(data["svg"])
    modules = [i for i, g in drawn.items() if "module" in g.get("class", "")]
    assert modules == [calls[-1]["id"]]  # one box: the fold holds the other 299
    assert _text(drawn[group["id"]]).startswith(f"×{CALLS - 1} iterations")
    assert re.search(rf"\b{calls[-1]['id']} -> {group['id']}\b", data["dot"])


@pytest.mark.parametrize(
    "fields",
    [{"fold": ["x1"]}, {"fold": ["m1234567"]}, {"fold": "m0"}, {"unfold": ["m"]},
     {"fold": ["m0"] * 65}],
    ids=str,
)  # fmt: skip
def test_bad_fold_is_a_422(run_api: RunApi, fields: dict[str, Any]) -> None:
    status, data = run_api(NESTED, formats=["svg"], **fields)
    assert status == 422, data


def _centre(g: ET.Element) -> tuple[float, float]:
    shape = next(e for e in g if e.tag in (f"{SVG}polygon", f"{SVG}ellipse"))
    if shape.tag == f"{SVG}ellipse":
        return float(shape.get("cx", 0)), float(shape.get("cy", 0))
    points = [tuple(map(float, p.split(","))) for p in shape.get("points", "").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def test_constants_sit_beside_the_op_that_uses_them(run_api: RunApi) -> None:
    """The notes' quadratic: `a`, `b`, `c` are drawn in the column of the op they feed (the
    graph runs left to right), next to it, not in a first column of every input."""
    lesson = find_lesson("quadratic-minimum")
    assert lesson is not None
    data = _run(run_api, lesson.source)
    graph, drawn = data["graph"], _groups(data["svg"])
    nodes = {n["id"]: n for n in graph["nodes"]}
    beside = [
        (e["source"], e["target"])
        for e in graph["edges"]
        if e["kind"] == "constant" and nodes[e["source"]]["label"] in {"a", "b", "c"}
    ]
    assert len(beside) == 3
    for constant, op in beside:
        (cx, cy), (ox, oy) = _centre(drawn[constant]), _centre(drawn[op])
        assert abs(cx - ox) < 1, (nodes[constant]["label"], cx, ox)
        assert 0 < abs(cy - oy) < 120  # stacked next to it


def test_module_calls_are_bounded_to_the_latest_and_the_hooks_go_with_the_run() -> None:
    """A Sequential of 50 children called 40 times is 2,040 calls: past `graph_module_calls`
    the oldest calls from the program go, with their children, and what is kept is whole."""
    source = (
        "import torch\nfrom torch import nn\n"
        "net = nn.Sequential(*[nn.ReLU() for i in range(50)])\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "for i in range(40):\n    y = net(x * i)\n"
    )
    settings = Settings(graph_module_calls=120)
    graph = execute(RunRequest(source, formats=("graph",)), settings).graph
    assert graph is not None
    tops = [m for m in graph.modules if m.parent is None]
    assert [m.path for m in tops] == ["net"]  # `y`: the last call, with its 50 children
    assert len(graph.modules) == 51 and all(m.parent == tops[0].id for m in graph.modules[1:])
    assert [m.path for m in graph.modules[1:]] == [f"net.{i}" for i in range(50)]
    assert not module_hooks._global_forward_hooks and not module_hooks._global_forward_pre_hooks


def test_a_graph_past_the_node_cap_is_drawn_whole_when_its_modules_are_shut(
    run_api: RunApi,
) -> None:
    """60 Linear+ReLU pairs: more nodes than PLAYGROUND_MAX_GRAPH_NODES, but one box shut, or
    120 boxes open: either fits, so neither is cut to the part nearest the output."""
    source = (
        "import torch\nfrom torch import nn\n"
        "net = nn.Sequential(*[nn.Linear(4, 4) if i % 2 == 0 else nn.ReLU() for i in range(120)])\n"
        "loss = net(torch.ones(8, 4)).sum()\nloss.backward()\n"
    )
    data = _run(run_api, source)
    graph = data["graph"]
    assert len(graph["nodes"]) > 300 and not data["notes"]
    (net,) = _by_path(graph)["net"]
    assert data["dot"].count("module collapsed") == 1 and f"{net['id']} -> " in data["dot"]
    opened = _run(run_api, source, unfold=[net["id"]])
    assert not opened["notes"] and opened["dot"].count("module collapsed") == 120


def test_a_constant_argument_meets_the_border_of_the_call_it_went_into(
    nested: dict[str, Any],
) -> None:
    """PyTorch keeps no edge for `X` (no grad): the graph ties it to the op that made `out`,
    somewhere inside `model`; the picture ends that edge at `model`'s border."""
    graph = nested["graph"]
    x = next(n["id"] for n in graph["nodes"] if n.get("names") == ["X"])
    (model,) = _by_path(graph)["model"]
    h = next(n["id"] for n in graph["nodes"] if n.get("label") == "self.layers(x)")
    assert model["arguments"] == [x] and _by_path(graph)["model.head"][0]["arguments"] == [h]
    (edge,) = [e for e in graph["edges"] if e["source"] == x]
    assert edge["kind"] == "constant" and edge["target"] in model["nodes"]
    line = next(line for line in nested["dot"].splitlines() if f"id={edge['id']}" in line)
    assert f"lhead=cluster_{model['id']}" in line and "compound=true" in nested["dot"]


def _cluster(dot: str, module_id: str) -> str:
    """The DOT of one cluster, its nested clusters with it (by its braces)."""
    start = dot.index(f"subgraph cluster_{module_id} {{")
    depth, end = 0, start
    for end in range(start, len(dot)):
        depth += {"{": 1, "}": -1}.get(dot[end], 0)
        if depth == 0 and dot[end] == "}":
            break
    return dot[start : end + 1]


def _ops(graph: dict[str, Any], ids: list[str]) -> list[str]:
    nodes = {n["id"]: n for n in graph["nodes"]}
    return sorted(nodes[i]["op"] for i in ids if nodes[i]["kind"] == "function")


def test_the_torchviz_style_draws_each_call_as_a_cluster_of_torchvizs_nodes(
    run_api: RunApi,
) -> None:
    data = _run(run_api, NESTED, style="torchviz")
    graph, dot = data["graph"], data["dot"]
    assert not data["notes"] and "[label=AccumulateGrad]" in dot  # torchviz's picture
    drawn = _groups(data["svg"])
    for module in graph["modules"]:
        assert "cluster" in drawn[module["id"]].get("class", "")
        assert _text(drawn[module["id"]]).startswith(f"{module['path']} · {module['type']}")
        # in the cluster: torchviz's node for each op the call made, its children's too
        inside = sorted(
            re.findall(r"\[label=(\w+Backward\d|AccumulateGrad)\]", _cluster(dot, module["id"]))
        )
        assert inside == _ops(graph, module["nodes"]), module["path"]
    # `out`'s SumBackward0 is the program's, outside every cluster
    assert dot.count("[label=SumBackward0]") == 1
    assert all("SumBackward0" not in _cluster(dot, m["id"]) for m in graph["modules"])


def test_the_torchviz_style_shuts_and_opens_calls_by_the_same_rules(run_api: RunApi) -> None:
    nested = _run(run_api, NESTED)["graph"]
    first = _by_path(nested)["model.layers.0"][0]
    shut = _run(run_api, NESTED, style="torchviz", fold=[first["id"]])
    box = _groups(shut["svg"])[first["id"]]
    assert box.get("class") == "node module collapsed"
    assert _text(box) == "Linear model.layers.0 3×4 → 3×8"
    assert "AddmmBackward0" not in _cluster(shut["dot"], _by_path(nested)["model.layers"][0]["id"])
    # the edge out of the box: into the ReLU's op, torchviz's node
    relu = re.search(r"\t(n\d+) \[label=ReluBackward0\]", shut["dot"])
    assert relu is not None and f"\t{first['id']} -> {relu[1]}\n" in shut["dot"]
    # past graph_module_collapse_nodes a library call is shut, as in the playground style
    deep = _run(run_api, DEEP, style="torchviz")
    (net,) = _by_path(deep["graph"])["net"]
    assert deep["dot"].count("module collapsed") == 1 and f"\t{net['id']} [" in deep["dot"]
    assert "[label=AddmmBackward0]" not in deep["dot"]
    opened = _run(run_api, DEEP, style="torchviz", unfold=[net["id"]])
    assert f"subgraph cluster_{net['id']} {{" in opened["dot"]
    assert opened["dot"].count("module collapsed") == 2 * LAYERS - 1


def test_the_torchviz_style_folds_a_loop_of_calls(run_api: RunApi) -> None:
    source = LOOPED.replace(f"range({CALLS})", "range(12)")
    data = _run(run_api, source, style="torchviz")
    graph, dot = data["graph"], data["dot"]
    assert not data["notes"]
    (group,) = graph["groups"]
    last = graph["modules"][-1]
    assert f"\t{group['id']} [" in dot and "class=fold" in dot
    # the fold's box holds the other 11 calls; the last one is drawn, shut as the graph is large
    assert [m["id"] for m in graph["modules"] if f"id={m['id']} " in dot] == [last["id"]]
    assert f"\t{last['id']} [" in dot and "[label=AddmmBackward0]" not in dot
    opened = _run(run_api, source, style="torchviz", unfold=[last["id"]])["dot"]
    assert _cluster(opened, last["id"]).count("[label=AddmmBackward0]") == 1
    assert opened.count("[label=AddmmBackward0]") == 1  # the fold's are in its box
    assert f"\t{group['id']} [" in opened
