"""The graph model agrees with torchviz and with `retain_grad()`, program by program.

Each program of tests/corpus/graph/ ends with one backward from a tensor named `out` (a scalar, or
with a gradient argument), so the graph has one root. The API answers with formats ["graph"]; the
expectation comes from tests/graph_oracle.py, which runs the same source with real `exec` in one
subprocess for the whole corpus:

- **function nodes**: the API's function nodes reachable backwards from `out`'s grad_fn, with the
  connections between them (a connection F → tensor → G in the API graph counts as F → G), must be
  exactly what `torchviz.make_dot(out, params=...)` walked: the same multiset of grad_fn names, the
  same multiset of (source op, target op) edges, and the same graph under a canonical walk from the
  root (inputs in `next_functions` order, AccumulateGrad nodes labelled with their leaf's shape);
- **flow_grad**: every tensor node that requires grad is matched to the expression that made it
  (its source span); rerun with that expression wrapped in `retain_grad()`, the tensor's `.grad` is
  the gradient that flowed into it, and must equal the node's `flow_grad` exactly;
- **grad and value**: every named tensor's `grad` and `value` equal real PyTorch's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunApi
from tests.graph_oracle import run_graph_programs, span_key

CORPUS = Path(__file__).resolve().parent / "corpus" / "graph"
PROGRAMS = sorted(CORPUS.glob("*.py"))
ROOT_NAME = "out"


@dataclass(frozen=True)
class Case:
    status: int
    api: dict[str, Any]
    real: dict[str, Any]


@dataclass(frozen=True)
class FunctionGraph:
    """Function nodes only: labels, inputs of each in `next_functions` order, the root."""

    labels: dict[str, str]
    inputs: dict[str, list[str]]
    root: str


@pytest.fixture(scope="session")
def cases(run_api: RunApi) -> dict[str, Case]:
    """The API's answer and the oracle's, for the whole corpus (one oracle subprocess)."""
    answers: dict[str, tuple[int, dict[str, Any]]] = {}
    batch = []
    for path in PROGRAMS:
        source = path.read_text()
        status, data = run_api(source, formats=["graph"])
        answers[path.stem] = (status, data)
        nodes = data.get("graph", {}).get("nodes", []) if status == 200 else []
        spans = [
            [n["span"]["line"], n["span"]["col"], n["span"]["end_line"], n["span"]["end_col"]]
            for n in nodes
            if n["kind"] == "tensor" and span_key(n["span"]) is not None
        ]
        batch.append((path.stem, source, spans))
    real = run_graph_programs(batch)
    return {name: Case(status, data, real[name]) for name, (status, data) in answers.items()}


def _exact(value: Any) -> str:
    """A spelling that tells 1 from 1.0 and 0.0 from -0.0."""
    return json.dumps(value)


# --- function graphs ----------------------------------------------------------------------


def api_function_graph(graph: dict[str, Any]) -> FunctionGraph:
    """The API graph with tensor nodes contracted: F → t → G becomes F → G."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    data = [edge for edge in graph["edges"] if edge["kind"] == "data"]
    producer = {
        e["target"]: e["source"]
        for e in data
        if nodes[e["source"]]["kind"] == "function" and nodes[e["target"]]["kind"] == "tensor"
    }
    labels = {i: n["op"] for i, n in nodes.items() if n["kind"] == "function"}
    inputs: dict[str, list[str]] = {i: [] for i in labels}
    for edge in data:
        source, target = edge["source"], edge["target"]
        if target not in labels:
            continue
        if source in labels:
            inputs[target].append(source)
        elif source in producer:
            inputs[target].append(producer[source])
        elif labels[target] == "AccumulateGrad":  # the leaf behind it: label with its shape
            labels[target] = f"AccumulateGrad{nodes[source]['shape']}"
    roots = [n for n in graph["nodes"] if n["kind"] == "tensor" and ROOT_NAME in n["names"]]
    assert len(roots) == 1, f"one tensor node named {ROOT_NAME!r} expected, found {len(roots)}"
    assert roots[0]["id"] in producer, f"{ROOT_NAME!r} has no grad_fn in the API graph"
    return FunctionGraph(labels, inputs, producer[roots[0]["id"]])


def torchviz_function_graph(found: dict[str, Any]) -> FunctionGraph:
    labels = dict(found["functions"])
    for function, shape in found["leaf_shapes"].items():
        labels[function] = f"AccumulateGrad{shape}"
    inputs: dict[str, list[str]] = {i: [] for i in labels}
    for source, target in found["edges"]:
        inputs[target].append(source)
    return FunctionGraph(labels, inputs, found["root"])


def reachable(graph: FunctionGraph) -> list[str]:
    """Function ids in a canonical pre-order walk from the root (inputs in order)."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [graph.root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(reversed(graph.inputs[node]))
    return order


def canonical(graph: FunctionGraph) -> list[tuple[str, tuple[int, ...]]]:
    """Each node as (label, canonical indices of its inputs), in canonical order: two graphs
    are isomorphic as rooted, input-ordered graphs exactly when these lists are equal."""
    order = reachable(graph)
    index = {node: i for i, node in enumerate(order)}
    return [(graph.labels[n], tuple(index[i] for i in graph.inputs[n])) for n in order]


def op_multisets(graph: FunctionGraph) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    nodes = reachable(graph)
    ops = Counter(graph.labels[n].split("[")[0] for n in nodes)
    edges = Counter(
        (graph.labels[s].split("[")[0], graph.labels[n].split("[")[0])
        for n in nodes
        for s in graph.inputs[n]
    )
    return ops, edges


def _ok(case: Case, name: str) -> None:
    assert case.status == 200, f"{name}: the API answered {case.status}: {case.api}"
    assert case.api["error"] is None, f"{name}: the API run failed: {case.api['error']}"
    assert case.real["error"] is None, f"{name}: real torch failed: {case.real['error']}"


def _diff(got: Counter[Any], want: Counter[Any]) -> str:
    return f"only in API: {dict(got - want)}; only in torchviz: {dict(want - got)}"


# --- tests ----------------------------------------------------------------------------------


def test_corpus_is_large_and_each_program_ends_in_one_backward_from_out() -> None:
    assert len(PROGRAMS) >= 65
    for path in PROGRAMS:
        lines = path.read_text().strip().splitlines()
        assert lines[-1].startswith(f"{ROOT_NAME}.backward("), path.name
        assert sum("backward(" in line for line in lines) == 1, path.name


@pytest.mark.parametrize("path", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_function_nodes_and_edges_are_torchvizs(path: Path, cases: dict[str, Case]) -> None:
    case = cases[path.stem]
    _ok(case, path.name)
    ours = api_function_graph(case.api["graph"])
    theirs = torchviz_function_graph(case.real["torchviz"])
    our_ops, our_edges = op_multisets(ours)
    their_ops, their_edges = op_multisets(theirs)
    assert our_ops == their_ops, f"function nodes differ: {_diff(our_ops, their_ops)}"
    assert our_edges == their_edges, f"edges differ: {_diff(our_edges, their_edges)}"
    assert canonical(ours) == canonical(theirs)


@pytest.mark.parametrize("path", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_flow_grads_are_what_retain_grad_gives(path: Path, cases: dict[str, Case]) -> None:
    case = cases[path.stem]
    _ok(case, path.name)
    retained = case.real["retained"]
    assert retained["error"] is None, f"the retained rerun failed: {retained['error']}"
    by_span: dict[str, list[dict[str, Any]]] = {}
    problems = []
    checked = 0
    for node in case.api["graph"]["nodes"]:
        if node["kind"] != "tensor" or not node["requires_grad"]:
            continue
        key = span_key(node["span"])
        if key is not None:
            by_span.setdefault(key, []).append(node)
        elif node["names"]:  # made by no expression (a loop variable): retained by name
            want = retained["named"][node["names"][0]]
            checked += 1
            if _exact(node["flow_grad"]) != _exact(want):
                problems.append(f"{node['id']} ({node['label']}): flow_grad {node['flow_grad']} "
                                f"vs retain_grad {want}")  # fmt: skip
        else:
            problems.append(f"{node['id']} ({node['label']}): neither a span nor a name")
    for key, nodes in by_span.items():
        real = [r for r in retained["flows"].get(key, []) if r["requires_grad"]]
        if len(real) != len(nodes):
            problems.append(f"span {key}: {len(nodes)} API node(s), {len(real)} real tensor(s)")
            continue
        for node, want in zip(nodes, real, strict=True):
            checked += 1
            if _exact(node["value"]) != _exact(want["value"]):
                problems.append(f"{node['id']} ({node['label']}): value {node['value']} vs real "
                                f"{want['value']}")  # fmt: skip
            elif _exact(node["flow_grad"]) != _exact(want["grad"]):
                problems.append(f"{node['id']} ({node['label']}): flow_grad {node['flow_grad']} "
                                f"vs retain_grad {want['grad']}")  # fmt: skip
    assert not problems, "\n".join(problems)
    assert checked > 0


@pytest.mark.parametrize("path", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_named_tensors_values_and_grads_are_pytorchs(path: Path, cases: dict[str, Case]) -> None:
    case = cases[path.stem]
    _ok(case, path.name)
    named = case.real["named"]
    seen = set()
    problems = []
    for node in case.api["graph"]["nodes"]:
        if node["kind"] != "tensor":
            continue
        for name in node["names"]:
            seen.add(name)
            want = named[name]
            for field in ("value", "grad", "is_leaf", "requires_grad"):
                if _exact(node[field]) != _exact(want[field]):
                    problems.append(f"{name}.{field}: API {node[field]} vs PyTorch {want[field]}")
    assert seen == set(named), f"named tensors: API {sorted(seen)} vs PyTorch {sorted(named)}"
    assert not problems, "\n".join(problems)


def test_canonical_walk_tells_apart_graphs_that_counts_cannot() -> None:
    """Same ops and same (source op, target op) multisets, different wiring: only the walk sees
    it, so the comparison above is more than a count."""
    labels = {
        "r": "AddBackward0",
        "m1": "MulBackward0",
        "m2": "MulBackward0",
        "x": "AccumulateGrad[]",
        "y": "AccumulateGrad[]",
    }
    one = FunctionGraph(
        labels, {"r": ["m1", "m2"], "m1": ["x", "y"], "m2": ["x", "x"], "x": [], "y": []}, "r"
    )
    other = FunctionGraph(
        labels, {"r": ["m1", "m2"], "m1": ["x", "y"], "m2": ["y", "y"], "x": [], "y": []}, "r"
    )
    assert op_multisets(one) == op_multisets(other)
    assert canonical(one) != canonical(other)
