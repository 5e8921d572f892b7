"""The lessons of the study notes (../shared/seeds/) read right off the graph.

Each case asserts on the graph model (values, grads, flow_grads, the gradients on the edges between
the right nodes, freed buffers, detached and gradient edges, the error's line) and compares the
DOT the API draws with a golden file, tests/golden/<case>.dot.

Update flag: `UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_graph_seeds.py` rewrites the golden files
from the API's DOT instead of comparing (then look at them, e.g. render one to PNG, before
committing). Without the flag a missing or different golden file fails the test.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunApi

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

LEAVES = """\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
"""
SEEDS = {
    "z_2x_plus_xy": LEAVES + "z = 2*x + x*y\nz.backward()\n",
    "backward_twice_frees_buffers": LEAVES
    + "u = 2*x\nv = x*y\nz = u + v\nz.backward()\nv.backward()\n",
    "retain_graph_keeps_buffers": LEAVES
    + "u = 2*x\nv = x*y\nz = u + v\nz.backward(retain_graph=True)\n",
    "retain_graph_then_v_backward": LEAVES
    + "u = 2*x\nv = x*y\nz = u + v\nz.backward(retain_graph=True)\n"
    + "x.grad.zero_()\ny.grad.zero_()\nv.backward()\n",
    "detach_cuts_the_edge": LEAVES + "u = 2*x\nu_ = u.detach()\nz = u_ + x*y\nz.backward()\n",
    "vector_gradient_argument": textwrap.dedent(
        """\
        import torch
        a = torch.tensor([[2., 4.]], requires_grad=True)
        b = torch.zeros(1, 2)
        b[0, 0] = a[0, 0]**2 + a[0, 1]
        b[0, 1] = a[0, 1]**3 + a[0, 0]
        c = 2*b
        c.backward(torch.ones(1, 2))
        """
    ),
}


class View:
    """Look-ups on one graph JSON."""

    def __init__(self, graph: dict[str, Any]) -> None:
        self.graph = graph
        self.nodes = {node["id"]: node for node in graph["nodes"]}
        self.edges = graph["edges"]

    def tensor(self, name: str) -> dict[str, Any]:
        found = [n for n in self.graph["nodes"] if n["kind"] == "tensor" and name in n["names"]]
        assert len(found) == 1, f"one tensor named {name!r} expected: {found}"
        return found[0]

    def functions(self, op: str) -> list[dict[str, Any]]:
        return [n for n in self.graph["nodes"] if n["kind"] == "function" and n["op"] == op]

    def edge(self, source: str, target: str, kind: str = "data") -> dict[str, Any]:
        found = [
            e for e in self.edges if (e["source"], e["target"], e["kind"]) == (source, target, kind)
        ]
        assert len(found) == 1, f"one {kind} edge {source} → {target} expected: {found}"
        return found[0]

    def into(self, node_id: str, kind: str = "data") -> list[dict[str, Any]]:
        return [e for e in self.edges if e["target"] == node_id and e["kind"] == kind]

    def out_of(self, node_id: str, kind: str = "data") -> list[dict[str, Any]]:
        return [e for e in self.edges if e["source"] == node_id and e["kind"] == kind]

    def accumulator(self, name: str) -> str:
        """The AccumulateGrad node of a leaf."""
        (edge,) = self.out_of(self.tensor(name)["id"])
        assert self.nodes[edge["target"]]["op"] == "AccumulateGrad"
        return edge["target"]

    def producer(self, node_id: str) -> str:
        (edge,) = self.into(node_id)
        return edge["source"]


def run_seed(run_api: RunApi, name: str) -> tuple[dict[str, Any], View]:
    status, data = run_api(SEEDS[name], formats=["graph", "dot"])
    assert status == 200, data
    return data, View(data["graph"])


def check_golden(name: str, dot: str) -> None:
    path = GOLDEN / f"{name}.dot"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(dot)
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert dot == path.read_text(), f"DOT differs from {path.name} (UPDATE_GOLDEN=1 rewrites it)"


def test_z_2x_plus_xy_shows_24_8_3_and_the_products_on_the_edges(run_api: RunApi) -> None:
    data, g = run_seed(run_api, "z_2x_plus_xy")
    assert data["ok"] is True
    z, x, y = g.tensor("z"), g.tensor("x"), g.tensor("y")
    assert (z["value"], z["flow_grad"], z["role"]) == (24.0, 1.0, "output")
    assert (x["value"], x["grad"], x["flow_grad"], x["role"]) == (3.0, 8.0, 8.0, "leaf")
    assert (y["value"], y["grad"], y["flow_grad"], y["role"]) == (6.0, 3.0, 3.0, "leaf")
    acc_x, acc_y = g.accumulator("x"), g.accumulator("y")
    # the total reaches each leaf along its edge into AccumulateGrad
    assert g.edge(x["id"], acc_x)["grad"] == 8.0
    assert g.edge(y["id"], acc_y)["grad"] == 3.0
    # x*y: 1 flows in, and y·1 = 6 goes to x, x·1 = 3 goes to y
    (xy_mul,) = [f for f in g.functions("MulBackward0") if acc_y in _sources(g, f["id"])]
    assert _sources(g, xy_mul["id"]) == [acc_x, acc_y]
    (xy,) = g.out_of(xy_mul["id"])
    assert g.nodes[xy["target"]]["label"] == "x*y" and g.nodes[xy["target"]]["flow_grad"] == 1.0
    assert xy["grad"] == 1.0
    assert g.edge(acc_x, xy_mul["id"])["grad"] == 6.0
    assert g.edge(acc_y, xy_mul["id"])["grad"] == 3.0
    # 2*x: 2·1 = 2 goes to x; 2 + 6 = 8
    (two_x,) = [f for f in g.functions("MulBackward0") if f is not xy_mul]
    assert g.edge(acc_x, two_x["id"])["grad"] == 2.0
    assert len(data["graph"]["backward_order"]) == 1
    assert set(data["graph"]["backward_order"][0]) == {n for n in g.nodes if n.startswith("f")}
    check_golden("z_2x_plus_xy", data["dot"])


def _sources(g: View, function_id: str) -> list[str]:
    return [e["source"] for e in g.into(function_id)]


def test_backward_frees_the_mul_buffers_and_the_second_backward_errors_on_its_line(
    run_api: RunApi,
) -> None:
    data, g = run_seed(run_api, "backward_twice_frees_buffers")
    assert data["ok"] is False
    error = data["error"]
    assert error["type"] == "RuntimeError"
    assert error["message"].startswith("Trying to backward through the graph a second time")
    assert error["line"] == 9 and SEEDS["backward_twice_frees_buffers"].splitlines()[8] == (
        "v.backward()"
    )
    assert [(s["line"], s["status"]) for s in data["steps"][-2:]] == [(8, "ok"), (9, "error")]
    muls = g.functions("MulBackward0")
    assert len(muls) == 2
    for mul in muls:
        assert mul["saved"] and all(slot["freed"] for slot in mul["saved"]), mul
    assert 'saved tensors freed"' in data["dot"] and data["dot"].count("function freed") == 2
    # the failed backward is listed, having run nothing; the grads are the first one's
    assert [len(order) for order in data["graph"]["backward_order"]] == [5, 0]
    assert g.tensor("x")["grad"] == 8.0 and g.tensor("y")["grad"] == 3.0
    check_golden("backward_twice_frees_buffers", data["dot"])


def test_retain_graph_keeps_the_buffers(run_api: RunApi) -> None:
    data, g = run_seed(run_api, "retain_graph_keeps_buffers")
    assert data["ok"] is True
    muls = g.functions("MulBackward0")
    assert len(muls) == 2
    for mul in muls:
        assert mul["saved"] and not any(slot["freed"] for slot in mul["saved"]), mul
    assert "freed" not in data["dot"].replace("op, saved tensors freed", "")
    check_golden("retain_graph_keeps_buffers", data["dot"])


def test_retain_graph_then_v_backward_gives_6_and_3_and_frees_only_vs_mul(
    run_api: RunApi,
) -> None:
    data, g = run_seed(run_api, "retain_graph_then_v_backward")
    assert data["ok"] is True
    assert (g.tensor("x")["grad"], g.tensor("y")["grad"]) == (6.0, 3.0)
    v_mul = g.nodes[g.producer(g.tensor("v")["id"])]
    u_mul = g.nodes[g.producer(g.tensor("u")["id"])]
    assert all(slot["freed"] for slot in v_mul["saved"])
    assert not any(slot["freed"] for slot in u_mul["saved"])
    # the last backward started at v: nothing flowed through u or z in it
    assert g.tensor("v")["flow_grad"] == 1.0
    assert g.tensor("u")["flow_grad"] is None and g.tensor("z")["flow_grad"] is None
    assert len(data["graph"]["backward_order"]) == 2
    check_golden("retain_graph_then_v_backward", data["dot"])


def test_detach_shows_the_cut_edge_and_x_grad_6(run_api: RunApi) -> None:
    data, g = run_seed(run_api, "detach_cuts_the_edge")
    assert data["ok"] is True
    u, u_ = g.tensor("u"), g.tensor("u_")
    assert u_["role"] == "detached" and u_["detached_from"] == u["id"]
    assert u_["requires_grad"] is False and u_["is_leaf"] is True
    cut = g.edge(u["id"], u_["id"], kind="detached")
    assert cut["grad"] is None
    assert not g.into(u_["id"])  # no autograd edge reaches u_: the graph is cut there
    # ... and u_ goes on into z's AddBackward0 as a constant: no gradient flows back along it
    (into_add,) = g.out_of(u_["id"], kind="constant")
    assert g.nodes[into_add["target"]]["op"] == "AddBackward0" and into_add["grad"] is None
    assert g.tensor("x")["grad"] == 6.0 and g.tensor("y")["grad"] == 3.0
    # nothing flowed through 2*x
    u_mul = g.nodes[g.producer(u["id"])]
    assert u_mul["executed"] is False and u["flow_grad"] is None
    assert not any(slot["freed"] for slot in u_mul["saved"])
    assert 'class="edge detached"' in data["dot"]
    check_golden("detach_cuts_the_edge", data["dot"])


def test_vector_case_shows_the_gradient_argument_entering_at_c(run_api: RunApi) -> None:
    data, g = run_seed(run_api, "vector_gradient_argument")
    assert data["ok"] is True
    a, c = g.tensor("a"), g.tensor("c")
    assert a["grad"] == [[10.0, 98.0]]
    assert c["flow_grad"] == [[1.0, 1.0]]
    (entering,) = g.into(c["id"], kind="gradient")
    gradient = g.nodes[entering["source"]]
    assert gradient["value"] == [[1.0, 1.0]] and entering["grad"] == [[1.0, 1.0]]
    assert gradient["requires_grad"] is False and gradient["label"] == "torch.ones(1, 2)"
    assert 'class="edge gradient"' in data["dot"]
    check_golden("vector_gradient_argument", data["dot"])


@pytest.mark.parametrize("name", list(SEEDS))
def test_same_program_gives_byte_identical_dot(run_api: RunApi, name: str) -> None:
    first = run_api(SEEDS[name], formats=["dot", "svg", "graph"])[1]
    second = run_api(SEEDS[name], formats=["dot", "svg", "graph"])[1]
    assert first["dot"] and first["dot"] == second["dot"]
    assert first["svg"] == second["svg"]
    assert first["graph"] == second["graph"]
