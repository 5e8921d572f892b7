"""The picture: safe SVG whatever the labels say, model ids on every group, both directions, the
torchviz look, PNG, the graph after a step, and summarised large graphs.

Expectations come from the graph model in the same answer, from real torchviz
(tests/graph_oracle.py) and from real exec of a program's first statements (tests/oracle.py).
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import RunApi
from tests.graph_oracle import run_graph_programs, stable_ids
from tests.oracle import run_programs
from tests.servers import serve

SVG = "{http://www.w3.org/2000/svg}"
ACTIVE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "use", "animate", "set"}

HOSTILE = r"""import torch
x = torch.tensor(2., requires_grad=True)
print('<script>alert(1)</script>', "<<TABLE>>")
print(f"{x.item()} <b onclick=\"alert(1)\">\\N</b> & 'q'")
a = x*len('<script>alert(1)</script>') + 1
b = x*len("<<TABLE><TR>>") + x*len(r'\N\G\L')
c = x*len("\"q\" & 'q' &amp;") + x*len('a\nb')
d = x*len(f"<b>{1}</b>") + x*len("<svg onload=alert(1)>")
e = (x*len('<a href="javascript:1">')
     + x*len('<![CDATA[ ]]>'))
out = a + b + c + d + e
out.backward()
"""
# The hostile texts, as the labels of the unnamed intermediates must show them.
HOSTILE_TEXTS = [
    "<script>alert(1)</script",
    '"<<TABLE><TR>>"',
    r"r'\N\G\L'",
    r"""("\"q\" & 'q' &amp;")""",
    r"'a\nb'",
    'f"<b>{1}</b>"',
    '"<svg onload=alert(1)>"',
    "'<a href=\"javascript:1\">'",
    "'<![CDATA[ ]]>'",
]
SEED = """\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
u = 2*x
v = x*y
z = u + v
z.backward()
"""
VECTOR = """\
import torch
a = torch.tensor([[2., 4.]], requires_grad=True)
b = torch.zeros(1, 2)
b[0, 0] = a[0, 0]**2 + a[0, 1]
b[0, 1] = a[0, 1]**3 + a[0, 0]
out = 2*b
out.backward(torch.ones(1, 2))
"""
NET = """\
import torch
import torch.nn.functional as F
x = torch.randn(4, 3)
W = torch.randn(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
h = F.relu(x @ W + b)
out = h.view(-1).mean()
out.backward()
"""
LONG = """\
import torch
x = torch.tensor(1., requires_grad=True)
h = x
for i in range(30):
    h = h * 1.01 + x
out = h
out.backward()
"""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _groups(svg: str) -> dict[str, ET.Element]:
    """The SVG's <g> elements by id."""
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("id")}


def _texts(group: ET.Element) -> list[str]:
    return [t.text or "" for t in group.iter(f"{SVG}text")]


def _title(group: ET.Element) -> str:
    title = group.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


# --- hostile labels ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(run_api: RunApi) -> dict[str, Any]:
    status, data = run_api(HOSTILE, formats=["svg", "dot", "graph"])
    assert status == 200 and data["ok"] is True, data
    return data


def test_hostile_svg_has_no_active_markup(hostile: dict[str, Any]) -> None:
    svg = hostile["svg"]
    root = ET.fromstring(svg)
    for element in root.iter():
        assert _local(element.tag) not in ACTIVE_TAGS, element.tag
        for name, value in element.attrib.items():
            assert not _local(name).lower().startswith("on"), (element.tag, name, value)
            if _local(name) == "href":
                assert value.startswith("#"), (element.tag, name, value)
            assert "javascript:" not in value.lower(), (element.tag, name, value)
    # nothing of the labels became markup: every '<' of them is text
    assert "<script" not in svg and "<b>" not in svg and "<svg onload" not in svg
    assert "<![CDATA[" not in svg and "<TABLE" not in svg


def test_hostile_labels_survive_as_text(hostile: dict[str, Any]) -> None:
    groups = _groups(hostile["svg"])
    labels = []
    for node in hostile["graph"]["nodes"]:
        if node["kind"] != "tensor":
            continue
        shown = _texts(groups[node["id"]])
        assert shown[0] == node["label"], (node["id"], shown, node["label"])
        labels.append(node["label"])
    for text in HOSTILE_TEXTS:
        assert any(text in label for label in labels), (text, labels)
    # `\N` is Graphviz's "node name" escape: it must show as typed, never as the id
    # (the product, and the number `len(...)` it took, drawn as a constant input)
    shown = [n for n in hostile["graph"]["nodes"] if r"\N\G\L" in n.get("label", "")]
    assert {_texts(groups[n["id"]])[0] for n in shown} == {r"x*len(r'\N\G\L')", r"len(r'\N\G\L')"}


def test_hostile_dot_labels_are_quoted_strings(hostile: dict[str, Any]) -> None:
    for line in hostile["dot"].splitlines():
        stripped = line.strip()
        if stripped.startswith(("t", "f")) and "[label=" in stripped:
            assert "[label=<" not in stripped, stripped  # never an HTML-like label
    html_like = [line for line in hostile["dot"].splitlines() if "label=<" in line]
    assert len(html_like) == 1 and html_like[0].strip().startswith("legend ")


def test_hostile_prints_are_output_not_markup(hostile: dict[str, Any]) -> None:
    real = run_programs([("hostile", HOSTILE)])["hostile"]
    printed = "".join(step["output"] for step in hostile["steps"])
    assert printed == real["output"]
    assert "<script>alert(1)</script>" in printed  # shown as the text it is, in the console


# --- ids, classes, direction ------------------------------------------------------------------


def test_every_group_carries_the_model_id_and_its_kind(run_api: RunApi) -> None:
    status, data = run_api(VECTOR, formats=["svg", "graph"])
    assert status == 200
    groups = _groups(data["svg"])
    for node in data["graph"]["nodes"]:
        classes = groups[node["id"]].get("class", "").split()
        assert "node" in classes and node["kind"] in classes, (node["id"], classes)
        if node["kind"] == "tensor":
            assert node["role"] in classes
        # the accessible title is the visible text (app/render/titles.py), not the id
        assert _title(groups[node["id"]]) == " ".join(_texts(groups[node["id"]]))
    names = {n["id"]: n.get("label") or n.get("op") for n in data["graph"]["nodes"]}
    kinds = set()
    for edge in data["graph"]["edges"]:
        classes = groups[edge["id"]].get("class", "").split()
        assert "edge" in classes and edge["kind"] in classes, (edge["id"], classes)
        ends = f"{names[edge['source']]} → {names[edge['target']]}"
        assert _title(groups[edge["id"]]).startswith(ends), (edge, _title(groups[edge["id"]]))
        kinds.add(edge["kind"])
    assert kinds == {"data", "view", "gradient", "constant"}  # constant: the 2 in `2*b`


def test_backward_direction_reverses_every_edge(run_api: RunApi) -> None:
    _, forward = run_api(SEED, formats=["svg", "dot", "graph"])
    _, backward = run_api(SEED, formats=["svg", "dot", "graph"], direction="backward")
    assert forward["graph"] == backward["graph"]
    for edge in forward["graph"]["edges"]:
        assert f"\t{edge['target']} -> {edge['source']} " in backward["dot"]
        assert f"\t{edge['source']} -> {edge['target']} " in forward["dot"]


# --- torchviz style -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source", [SEED.replace("z", "out"), VECTOR, NET], ids=["seed", "vector", "net"]
)
def test_torchviz_style_is_torchvizs_dot(run_api: RunApi, source: str) -> None:
    status, data = run_api(source, formats=["dot", "svg"], style="torchviz")
    assert status == 200 and data["ok"] is True
    real = run_graph_programs([("p", source, [])])["p"]
    assert real["torchviz_dot"] is not None
    assert data["dot"] == stable_ids(real["torchviz_dot"])
    texts = [t.text for t in ET.fromstring(data["svg"]).iter(f"{SVG}text")]
    assert "AccumulateGrad" in texts
    assert "t0" not in _groups(data["svg"])  # torchviz's own node names, not the model's


def test_torchviz_style_on_a_deep_graph_still_answers(server_url: str) -> None:
    """A 600-step chain is well inside the limits; torchviz's recursive walk must not turn it
    into a server error. (Its own connection: a 500 may close the one the other tests share.)"""
    deep = LONG.replace("range(30)", "range(600)").replace("h * 1.01 + x", "h.sin() * 1.01")
    body = {"source": deep, "formats": ["dot"], "style": "torchviz"}
    response = httpx.post(f"{server_url}/api/v1/run", json=body, timeout=60)
    assert response.status_code == 200, f"the API answered {response.status_code}"
    data = response.json()
    assert data["ok"] is True
    assert data["dot"] is not None or any("could not" in note for note in data["notes"])


# --- png, steps, determinism ---------------------------------------------------------------------


def test_png_is_base64_png(run_api: RunApi) -> None:
    status, data = run_api(SEED, formats=["png"])
    assert status == 200
    raw = base64.b64decode(data["png"], validate=True)
    assert raw.startswith(b"\x89PNG\r\n\x1a\n") and len(raw) > 1000


@pytest.mark.parametrize("step", range(1, len(SEED.splitlines()) + 1))
def test_graph_after_step_k_has_only_the_tensors_made_so_far(run_api: RunApi, step: int) -> None:
    status, data = run_api(SEED, formats=["graph", "svg"], step=step)
    assert status == 200 and len(data["steps"]) == step
    prefix = "\n".join(SEED.splitlines()[:step]) + "\n"
    real = run_programs([("prefix", prefix)])["prefix"]
    tensors = [n for n in data["graph"]["nodes"] if n["kind"] == "tensor"]
    named = {name for node in tensors for name in node["names"]}
    assert named == set(real["tensors"])
    for node in tensors:
        assert node["span"] is None or node["span"]["end_line"] <= step, node
        want = real["tensors"][node["names"][0]] if node["names"] else None
        if want is not None:
            assert (node["value"], node["grad"]) == (want["value"], want["grad"])
    ops = sorted(n["op"] for n in data["graph"]["nodes"] if n["kind"] == "function")
    grad_fns = [t["grad_fn"] for t in real["tensors"].values() if t["grad_fn"]]
    assert set(grad_fns) <= set(ops)
    assert len(data["graph"]["backward_order"]) == (1 if step == 8 else 0)


# --- summarised large graphs --------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A second server whose pictures hold at most 20 nodes."""
    with (
        serve(tmp_path_factory.mktemp("small-server"), {"max_graph_nodes": "20"}) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


# Every iteration has a new shape, so nothing folds (tests/test_graph_fold.py: a loop that folds
# is drawn whole): the picture must be cut.
UNFOLDABLE = """\
import torch
x = torch.ones(40, requires_grad=True)
h = x
for i in range(30):
    h = h[1:] * 1.01
out = h.sum()
out.backward()
"""


def test_large_graph_is_summarised_with_a_note(small_server: httpx.Client) -> None:
    response = small_server.post(
        "/api/v1/run", json={"source": UNFOLDABLE, "formats": ["svg", "dot", "graph"]}
    )
    assert response.status_code == 200
    data = response.json()
    nodes = data["graph"]["nodes"]
    assert len(nodes) > 20  # the JSON keeps the whole graph
    drawn = [g for g in _groups(data["svg"]) if g[:1] in ("t", "f") and g[1:].isdigit()]
    assert len(drawn) == 20
    out = next(n["id"] for n in nodes if "out" in n["names"])
    assert out in drawn  # the part nearest the output
    notes = [note for note in data["notes"] if f"{len(nodes)} nodes" in note]
    assert len(notes) == 1 and "20" in notes[0]


def test_small_graph_is_not_summarised(small_server: httpx.Client) -> None:
    response = small_server.post("/api/v1/run", json={"source": SEED, "formats": ["svg", "graph"]})
    data = response.json()
    drawn = [g for g in _groups(data["svg"]) if g[:1] in ("t", "f") and g[1:].isdigit()]
    assert len(drawn) == len(data["graph"]["nodes"]) and data["notes"] == []


# --- every style through one set of bounds (issue 12, class 3) -----------------------------------

REUSED_WEIGHT = (
    "w = torch.tensor(1.5, requires_grad=True)\n"
    "y = w\n"
    "for i in range({steps}):\n"
    "    y = y * w + w\n"
    "y.backward()\n"
)


def test_torchviz_style_is_held_to_the_node_cap(small_server: httpx.Client) -> None:
    source = REUSED_WEIGHT.format(steps=12)  # torchviz would draw 26 nodes; the cap is 20
    body = {"source": source, "formats": ["svg", "dot", "graph"], "style": "torchviz"}
    data = small_server.post("/api/v1/run", json=body).json()
    assert any("torchviz style unavailable" in n and "max_graph_nodes" in n for n in data["notes"])
    drawn = [g for g in _groups(data["svg"]) if g[:1] in ("t", "f") and g[1:].isdigit()]
    # the playground style, as for any graph: the loop folded into one box (its last
    # iteration drawn), within the cap
    folds = data["graph"]["groups"]
    assert folds and folds[0]["count"] >= 10 and len(drawn) <= 20
    assert set(folds[0]["shown"]) <= set(drawn)


def test_a_torchviz_picture_past_60_nodes_gets_the_bounded_layout(run_api: RunApi) -> None:
    source = REUSED_WEIGHT.format(steps=40)
    status, folded = run_api(source, formats=["dot", "graph"], style="torchviz")
    assert status == 200 and folded["notes"] == []
    # the loop is one ×N box, as in the playground style; unfolded, torchviz draws it whole
    (group,) = folded["graph"]["groups"]
    assert folded["dot"].count("[label=") < 10 and f"\t{group['id']} [" in folded["dot"]
    status, data = run_api(source, formats=["dot"], style="torchviz", unfold=[group["id"]])
    assert status == 200 and data["notes"] == []
    assert data["dot"].count("[label=") > 60  # torchviz's own picture, under the cap
    assert "nslimit=1" in data["dot"]


def test_a_torchviz_graph_past_the_cap_is_drawn_within_the_wall_time(server_url: str) -> None:
    """The issue's example: 250 reused-weight steps with an SVG crashed Graphviz in the worker."""
    body = {"source": REUSED_WEIGHT.format(steps=250), "formats": ["svg"], "style": "torchviz"}
    response = httpx.post(f"{server_url}/api/v1/run", json=body, timeout=60)
    assert response.status_code == 200, response.text[:300]
    data = response.json()
    assert data["ok"] is True and data["svg"].startswith("<svg")
    assert any("max_graph_nodes" in note for note in data["notes"])


BIG_PICTURES = {
    "reused-weight": REUSED_WEIGHT.format(steps=30),
    "wide-sum": "out = torch.tensor(0.0)\nfor i in range(40):\n"
    "    x = torch.tensor(float(i), requires_grad=True)\n    out = out + x * x\nout.backward()\n",
    "deep-chain": "x = torch.tensor(0.5, requires_grad=True)\ny = x\n"
    "for i in range(40):\n    y = y.sin()\ny.backward()\n",
    "two-outputs": "w = torch.ones(3, requires_grad=True)\na = w\nb = w\n"
    "for i in range(15):\n    a = a * w\n    b = b + a\n(a.sum() + b.sum()).backward()\n",
    "views": "x = torch.ones(4, 4, requires_grad=True)\ny = x\n"
    "for i in range(20):\n    y = y.t() * 1.5\ny.sum().backward()\n",
}


@pytest.mark.parametrize("style", ["playground", "torchviz"])
@pytest.mark.parametrize("name", sorted(BIG_PICTURES))
def test_every_style_of_every_large_graph_stays_under_the_node_cap(
    small_server: httpx.Client, name: str, style: str
) -> None:
    formats = ["svg", "png", "dot", "graph"]
    body = {"source": BIG_PICTURES[name], "formats": formats, "style": style}
    response = small_server.post("/api/v1/run", json=body)
    assert response.status_code == 200, response.text[:300]
    data = response.json()
    assert data["ok"] is True and data["svg"].startswith("<svg") and data["png"]
    shapes = sum(1 for g in ET.fromstring(data["svg"]).iter(f"{SVG}g") if g.get("class") == "node")
    assert shapes <= 20 + 1, (name, style, shapes)  # the cap, and the legend
    # past the cap the picture says so, unless a fold brought it under (a loop as one box)
    folded = bool(data["graph"]["groups"])
    assert folded or any("20" in note for note in data["notes"]), data["notes"]
