"""The graph tells the whole truth (issue #13), one program per effect the notes teach.

Each case checks the graph JSON (nodes, roles, edge kinds, `error_nodes`, `backward_calls`) and
the SVG (the ids and classes the page relies on). Gradients per backward call are compared with
real torch: tests/graph_oracle.py runs the same source with real `exec` in a subprocess, with a
hook on every named tensor, and records what each received in each call. Nothing here is a
number torch should compute.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.conftest import RunApi
from tests.graph_oracle import run_hooked_programs
from tests.test_graph_seeds import View

SVG = "{http://www.w3.org/2000/svg}"
LEAVES = (
    "import torch\nx = torch.tensor(3., requires_grad=True)\n"
    "y = torch.tensor(6., requires_grad=True)\n"
)


def _program(text: str) -> str:
    return textwrap.dedent(text)


PROGRAMS = {
    "detach_inline": LEAVES + "z = x.detach()*2 + x*y\nz.backward()\n",
    "detach_named": LEAVES + "u = 2*x\nu_ = u.detach()\nz = u_ + x*y\nz.backward()\n",
    "data": LEAVES + "d = x.data\nz = d*x + y\nz.backward()\n",
    "no_grad": LEAVES + "with torch.no_grad():\n    c = x*2\nz = c*x + y\nz.backward()\n",
    "retain_graph_error": LEAVES + "u = 2*x\nv = x*y\nz = u + v\nz.backward()\nz.backward()\n",
    "in_place_error": _program(
        """\
        import torch
        a = torch.tensor([1., 2.], requires_grad=True)
        b = a * 1
        s = b.pow(2)
        b.mul_(2)
        s.sum().backward()
        """
    ),
    "non_scalar": "import torch\na = torch.tensor([1., 2.], requires_grad=True)\nb = a * 2\n"
    "b.backward()\n",
    "non_scalar_gradient": _program(
        """\
        import torch
        a = torch.tensor([1., 2.], requires_grad=True)
        b = a * a
        b.backward(torch.tensor([1., 0.5]))
        """
    ),
    "no_grad_root": "import torch\na = torch.tensor([1., 2.], requires_grad=True)\n"
    "c = (a.detach() * 2).sum()\nc.backward()\n",
    "non_leaf_grad": "import torch\na = torch.tensor([1., 2.], requires_grad=True)\nb = a * 2\n"
    "c = b.sum()\nc.backward()\nprint(b.grad)\n",
    "accumulation": LEAVES + "z = x*y\nz.backward(retain_graph=True)\nz.backward()\n",
    "training_loop": _program(
        """\
        import torch
        w = torch.tensor(1.0, requires_grad=True)
        for i in range(3):
            loss = (2*w - 5)**2
            loss.backward()
            with torch.no_grad():
                w -= 0.1*w.grad
            w.grad.zero_()
        """
    ),
    "optimizer_loop": _program(
        """\
        import torch
        w = torch.tensor([0.5, -1.0], requires_grad=True)
        X = torch.tensor([[1., 2.], [3., 4.]])
        t = torch.tensor([1., 0.])
        opt = torch.optim.SGD([w], lr=0.05)
        for i in range(4):
            opt.zero_grad()
            loss = ((X @ w - t)**2).mean()
            loss.backward()
            opt.step()
        """
    ),
}


@pytest.fixture(scope="module")
def real_calls() -> dict[str, dict[str, Any]]:
    return run_hooked_programs(list(PROGRAMS.items()))


@pytest.fixture(scope="module")
def answers(run_api: RunApi) -> dict[str, dict[str, Any]]:
    out = {}
    for name, source in PROGRAMS.items():
        status, data = run_api(source, formats=["graph", "svg"])
        assert status == 200, data
        out[name] = data
    return out


def _svg_groups(svg: str) -> dict[str, str]:
    """id → class of every <g> of the SVG."""
    root = ET.fromstring(svg)
    return {g.get("id", ""): g.get("class", "") for g in root.iter(f"{SVG}g") if g.get("id")}


def _check_svg(data: dict[str, Any]) -> None:
    """Every node and edge of the graph is in the SVG with its id, classes as in the JSON."""
    groups = _svg_groups(data["svg"])
    graph = data["graph"]
    for edge in graph["edges"]:
        assert edge["kind"] in groups[edge["id"]].split(), (edge, groups[edge["id"]])
    for node in graph["nodes"]:
        classes = groups[node["id"]].split()
        assert node["kind"] in classes
        if node["kind"] == "tensor":
            assert node["role"] in classes
        assert ("error" in classes) == (node["id"] in graph["error_nodes"]), node["id"]


def _grad_received(g: View, node_id: str, grads: dict[str, Any]) -> Any:
    """What a tensor received in one call: along its leaf edge, or the edge that made it."""
    node = g.nodes[node_id]
    edges = g.out_of(node_id) if node["is_leaf"] else g.into(node_id)
    (edge,) = [e for e in edges if e["kind"] == "data"]
    return grads.get(edge["id"])


def _check_calls(data: dict[str, Any], real: dict[str, Any]) -> None:
    """backward_calls: one per real call, each with the gradient each named tensor got in it."""
    g = View(data["graph"])
    calls = data["graph"]["backward_calls"]
    assert [c["number"] for c in calls] == list(range(1, len(real["calls"]) + 1))
    for call, got in zip(calls, real["calls"], strict=True):
        for name, grad in got.items():
            (node,) = [n for n in g.graph["nodes"] if name in n.get("names", ())]
            assert _grad_received(g, node["id"], call["grads"]) == pytest.approx(grad), (
                call["number"], name,
            )  # fmt: skip


def _constant_into(g: View, source: str, target_op: str) -> dict[str, Any]:
    (edge,) = [
        e for e in g.out_of(source, kind="constant") if g.nodes[e["target"]].get("op") == target_op
    ]
    assert edge["grad"] is None
    return edge


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_calls_match_real_torch_and_svg_matches_json(
    name: str, answers: dict[str, Any], real_calls: dict[str, Any]
) -> None:
    data, real = answers[name], real_calls[name]
    assert (data["error"] or {}).get("message") == (real["error"] or {}).get("message")
    _check_calls(data, real)
    _check_svg(data)


def test_detach_inline_draws_the_constant_and_its_cut(answers: dict[str, Any]) -> None:
    g = View(answers["detach_inline"]["graph"])
    x = g.tensor("x")
    (detached,) = [n for n in g.graph["nodes"] if n.get("label") == "x.detach()"]
    (doubled,) = [n for n in g.graph["nodes"] if n.get("label") == "x.detach()*2"]
    assert (detached["role"], detached["detached_from"]) == ("detached", x["id"])
    assert doubled["role"] == "constant" and doubled["requires_grad"] is False
    g.edge(x["id"], detached["id"], kind="detached")
    g.edge(detached["id"], doubled["id"], kind="constant")
    _constant_into(g, doubled["id"], "AddBackward0")
    # beside x*y's MulBackward0 → AddBackward0 (the one data input the add has)
    (add,) = g.functions("AddBackward0")
    (data_in,) = g.into(add["id"])
    assert g.nodes[data_in["source"]]["label"] == "x*y"


def test_detach_named_u_has_its_edge_into_z(answers: dict[str, Any]) -> None:
    g = View(answers["detach_named"]["graph"])
    u, u_ = g.tensor("u"), g.tensor("u_")
    assert u_["detached_from"] == u["id"]
    _constant_into(g, u_["id"], "AddBackward0")


def test_data_is_detached_from_x_and_a_constant_operand(answers: dict[str, Any]) -> None:
    g = View(answers["data"]["graph"])
    x, d = g.tensor("x"), g.tensor("d")
    assert (d["role"], d["detached_from"]) == ("detached", x["id"])
    g.edge(x["id"], d["id"], kind="detached")
    _constant_into(g, d["id"], "MulBackward0")


def test_no_grad_result_keeps_its_lineage(answers: dict[str, Any]) -> None:
    g = View(answers["no_grad"]["graph"])
    x, c = g.tensor("x"), g.tensor("c")
    assert c["role"] == "constant" and c["requires_grad"] is False
    g.edge(x["id"], c["id"], kind="constant")
    _constant_into(g, c["id"], "MulBackward0")
    # `x*2` under no_grad: the 2 is no operand of any grad_fn, so it is not drawn
    assert not [n for n in g.graph["nodes"] if n.get("label") == "2"]


def test_numbers_promoted_to_tensors_are_drawn(answers: dict[str, Any]) -> None:
    g = View(answers["detach_named"]["graph"])
    (two,) = [n for n in g.graph["nodes"] if n.get("label") == "2" and n["kind"] == "tensor"]
    assert (two["role"], two["value"], two["shape"]) == ("constant", 2, [])
    u_mul = g.producer(g.tensor("u")["id"])
    g.edge(two["id"], u_mul, kind="constant")


def test_retain_graph_error_marks_the_freed_function_and_the_call_that_freed_it(
    answers: dict[str, Any],
) -> None:
    data = answers["retain_graph_error"]
    graph = data["graph"]
    (node_id,) = graph["error_nodes"]
    node = graph["nodes"][[n["id"] for n in graph["nodes"]].index(node_id)]
    assert node["op"] == "MulBackward0" and all(s["freed"] for s in node["saved"])
    (mark,) = graph["errors"]
    assert (mark["reason"], mark["line"], mark["message"]) == (
        "freed",
        data["error"]["line"],
        data["error"]["message"],
    )
    first, second = graph["backward_calls"]
    assert mark["backward_call"] == first["number"] and node_id in first["order"]
    assert second["completed"] is False and node_id not in second["order"]


def test_in_place_error_marks_the_tensor_and_the_function_that_saved_it(
    answers: dict[str, Any],
) -> None:
    g = View(answers["in_place_error"]["graph"])
    b = g.tensor("b")
    marks = {m["reason"]: m for m in g.graph["errors"]}
    assert marks["modified"]["node"] == b["id"]
    assert marks["modified"]["version"] == b["version"] > marks["modified"]["saved_version"]
    assert g.nodes[marks["saved_by"]["node"]]["op"] == "PowBackward0"
    assert set(g.graph["error_nodes"]) == {b["id"], marks["saved_by"]["node"]}


def test_non_scalar_backward_marks_the_output(answers: dict[str, Any]) -> None:
    g = View(answers["non_scalar"]["graph"])
    assert g.graph["error_nodes"] == [g.tensor("b")["id"]]
    assert g.graph["errors"][0]["reason"] == "non_scalar"
    # with a gradient argument there is no error, and the gradient enters at b
    g2 = View(answers["non_scalar_gradient"]["graph"])
    assert g2.graph["error_nodes"] == []
    (entering,) = g2.into(g2.tensor("b")["id"], kind="gradient")
    assert g2.nodes[entering["source"]]["requires_grad"] is False


def test_backward_of_a_constant_marks_it(answers: dict[str, Any]) -> None:
    g = View(answers["no_grad_root"]["graph"])
    c = g.tensor("c")
    assert g.graph["error_nodes"] == [c["id"]] and g.graph["errors"][0]["reason"] == "no_grad"
    assert g.into(c["id"], kind="constant")  # its lineage: a.detach() * 2 → sum


def test_non_leaf_grad_warning_marks_the_tensor(answers: dict[str, Any]) -> None:
    data = answers["non_leaf_grad"]
    g = View(data["graph"])
    assert g.graph["error_nodes"] == [g.tensor("b")["id"]]
    (mark,) = g.graph["errors"]
    warnings = [w for step in data["steps"] for w in step["warnings"]]
    assert mark["reason"] == "non_leaf_grad" and mark["message"] in warnings


def test_training_loop_lists_each_calls_own_gradient(answers: dict[str, Any]) -> None:
    data = answers["training_loop"]
    calls = data["graph"]["backward_calls"]
    g = View(data["graph"])
    w_edge = g.out_of(g.tensor("w")["id"])[0]["id"]
    received = [call["grads"][w_edge] for call in calls]
    assert len(set(received)) == 3  # three different gradients, not the last one three times
    assert [c["line"] for c in calls] == [5, 5, 5]
    assert calls[-1]["order"] == data["graph"]["backward_order"][-1]


def test_grad_fn_names_are_the_type_names(run_api: RunApi) -> None:
    status, data = run_api(
        "import torch\nx = torch.tensor([1., 2.], requires_grad=True)\nb = torch.zeros(2)\n"
        "b[0] = x[0]\nc = x.clone()\nc.copy_(b)\n",
        formats=["graph"],
    )
    assert status == 200
    assert (data["tensors"]["b"]["grad_fn"], data["tensors"]["c"]["grad_fn"]) == (
        "CopySlices", "CopyBackwards",
    )  # fmt: skip
    ops = {n["op"] for n in data["graph"]["nodes"] if n["kind"] == "function"}
    assert {"CopySlices", "CopyBackwards"} <= ops


def test_backward_calls_past_the_bound_keep_the_first_and_last(run_api: RunApi) -> None:
    source = (
        "import torch\nw = torch.tensor(1.0, requires_grad=True)\n"
        "for i in range(30):\n    (w*w).backward()\n"
    )
    status, data = run_api(source, formats=["graph"])
    assert status == 200
    numbers = [c["number"] for c in data["graph"]["backward_calls"]]
    assert numbers == [*range(1, 11), *range(21, 31)]  # the default bound: 20
    assert any("30 backward calls" in note for note in data["graph"]["notes"])
    assert len(data["graph"]["backward_order"]) == 30
