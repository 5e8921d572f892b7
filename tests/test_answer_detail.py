"""An answer of what the picture draws (issue 16): with `detail: "drawn"` (the page's request)
the answer's graph holds the nodes the picture draws and no other, the edges between them with
each backward call's gradients on those, the folds and module calls, and the counts of what it
left out; expanding a fold gives the slim answer of the expanded picture; a full answer (the
default) is the whole run, as before."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from app.api.run import run_request
from app.api.schemas import RunBody
from app.pipeline import RunRequest, execute, payload
from app.service.worker import _answer_json
from app.settings import Settings
from app.web.build import Bounds, Lines, result_view
from app.web.i18n import labels
from tests.conftest import RunApi

CHAIN = """\
import torch
x = torch.tensor(0.5, requires_grad=True)
h = x * 1
for i in range(40):
    h = h.sin() * 1.01
h.backward()
"""
MODULES = """\
import torch
from torch import nn
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
X = torch.ones(5, 3)
loss = net(X).sum()
loss.backward()
"""
# a loop whose iterations take turns at two branches (no two in a row alike: nothing folds) and
# build a graph past max_graph_nodes: its picture is the part nearest the output, and so is its
# slim answer
UNFOLDABLE = """\
import torch
x = torch.tensor(0.5, requires_grad=True)
h = x
for i in range(60):
    h = h * (i + 1.5) if i % 2 else h.sin() + i
    h = h.exp() if i % 3 else h.cos()
h.backward()
"""
DRAWN = re.compile(r'<g id="([^"]+)" class="node')
SETTINGS = Settings(graph_module_collapse_nodes=0)  # torch.nn calls drawn as boxes


def _answer(source: str, settings: Settings = SETTINGS, **options: Any) -> dict[str, Any]:
    request = RunRequest(source=source, formats=("graph", "svg"), legend=False, **options)
    return json.loads(_answer_json(execute(request, settings), payload))


def _boxes(answer: dict[str, Any]) -> set[str]:
    graph = answer["graph"]
    return {g["id"] for g in graph["groups"]} | {m["id"] for m in graph["modules"]}


def _drawn_nodes(answer: dict[str, Any]) -> set[str]:
    """The graph nodes the answer's SVG draws (boxes left aside)."""
    return set(DRAWN.findall(answer["svg"])) - _boxes(answer)


def _drawn_boxes(answer: dict[str, Any]) -> set[str]:
    return set(DRAWN.findall(answer["svg"])) & _boxes(answer)


def _as_drawn(full: dict[str, Any], kept: set[str], boxes: set[str]) -> list[tuple[Any, ...]]:
    """The full answer's edges as the picture draws them: (source, target, kind, id), an end
    a drawn box hides replaced by the box, edges inside a box or to an undrawn node left out."""
    graph = full["graph"]
    hiding = {n: b["id"] for b in graph["groups"] + graph["modules"] if b["id"] in boxes
              for n in b["nodes"]}  # fmt: skip
    out = []
    for edge in graph["edges"]:
        ends = [e if e in kept else hiding.get(e) for e in (edge["source"], edge["target"])]
        if None not in ends and ends[0] != ends[1]:
            out.append((*ends, edge["kind"], edge["id"]))
    return out


@pytest.mark.parametrize(
    ("source", "unfold"),
    [(CHAIN, ()), (CHAIN, ("g0",)), (MODULES, ()), (MODULES, ("m0",)), (UNFOLDABLE, ())],
    ids=["fold", "fold expanded", "shut modules", "module opened", "past the cap"],
)
def test_the_slim_answer_holds_the_nodes_its_picture_draws(
    source: str, unfold: tuple[str, ...]
) -> None:
    slim = _answer(source, detail="drawn", unfold=unfold)
    full = _answer(source, unfold=unfold)
    graph = slim["graph"]
    assert slim["svg"] == full["svg"]  # the same picture
    assert {node["id"] for node in graph["nodes"]} == _drawn_nodes(slim)
    assert len(graph["nodes"]) < len(full["graph"]["nodes"]) or unfold
    kept = {node["id"] for node in graph["nodes"]}
    whole = {edge["id"]: edge for edge in full["graph"]["edges"]}
    # the edges between drawn nodes, every one of them, each as the full answer has it
    between = [e for e in full["graph"]["edges"] if e["source"] in kept and e["target"] in kept]
    assert [e for e in graph["edges"] if e["source"] in kept and e["target"] in kept] == between
    assert all(whole[edge["id"]] == edge for edge in between)
    # and those that cross a drawn box's border, from or to the box, one per ends and kind
    as_drawn = _as_drawn(full, kept, _drawn_boxes(slim))
    assert sorted({d[:3] for d in as_drawn}) == sorted(
        (e["source"], e["target"], e["kind"]) for e in graph["edges"]
    )
    left = graph["left_out"]
    assert graph["detail"] == "drawn"
    assert left["nodes"] == len(full["graph"]["nodes"]) - len(kept)
    assert left["edges"] == len(full["graph"]["edges"]) - len(as_drawn)


@pytest.mark.parametrize("source", [CHAIN, MODULES], ids=["fold", "shut modules"])
def test_an_edge_from_a_box_keeps_its_gradient_and_merged_ones_are_one(source: str) -> None:
    """The first node after a fold (or a shut call) receives from the box: the edge is there,
    from the box, with the gradient of the one edge it stands for; several edges of one kind
    between the same ends are one, whose gradient no single number is."""
    slim = _answer(source, detail="drawn")
    full = _answer(source)
    kept = {node["id"] for node in slim["graph"]["nodes"]}
    boxes = _drawn_boxes(slim)
    whole = {edge["id"]: edge for edge in full["graph"]["edges"]}
    carried: dict[tuple[str, str, str], list[str]] = {}
    for s, t, kind, edge_id in _as_drawn(full, kept, boxes):
        carried.setdefault((s, t, kind), []).append(edge_id)
    from_boxes = [e for e in slim["graph"]["edges"] if e["source"] in boxes]
    assert from_boxes and all(e["target"] in kept for e in from_boxes)
    last_call = slim["graph"]["backward_calls"][-1]["grads"]
    for edge in slim["graph"]["edges"]:
        ids = carried[(edge["source"], edge["target"], edge["kind"])]
        assert edge["id"] == ids[0]
        if len(ids) == 1:
            assert edge["grad"] == whole[edge["id"]]["grad"]
            assert last_call.get(edge["id"]) == full["graph"]["backward_calls"][-1]["grads"].get(
                edge["id"]
            )
        else:
            assert edge["grad"] is None and edge["id"] not in last_call
    assert any(e["grad"] is not None for e in from_boxes)


@pytest.mark.parametrize("source", [CHAIN, MODULES, UNFOLDABLE], ids=["fold", "modules", "cap"])
def test_each_backward_call_keeps_its_gradients_on_the_drawn_edges(source: str) -> None:
    answer = _answer(source, detail="drawn")
    slim, whole_answer = answer["graph"], _answer(source)
    full = whole_answer["graph"]
    kept = {node["id"] for node in slim["nodes"]}
    carried: dict[tuple[Any, ...], list[str]] = {}
    for *ends, edge_id in _as_drawn(whole_answer, kept, _drawn_boxes(answer)):
        carried.setdefault(tuple(ends), []).append(edge_id)
    single = {ids[0] for ids in carried.values() if len(ids) == 1}
    assert len(slim["backward_calls"]) == len(full["backward_calls"]) >= 1
    hidden_steps = slim["left_out"]["backward_steps"]
    calls = zip(slim["backward_calls"], full["backward_calls"], hidden_steps, strict=True)
    for cut, whole, hidden in calls:
        assert cut["order"] == [fn for fn in whole["order"] if fn in kept]
        assert hidden == len(whole["order"]) - len(cut["order"])
        # an edge that is one edge of the graph keeps its gradients (several merged: none)
        assert cut["grads"] == {e: g for e, g in whole["grads"].items() if e in single}
        assert cut["grads"]  # the drawn part of the graph carries gradients


def test_folds_and_module_calls_stay_listed_with_their_drawn_nodes() -> None:
    for source, field in ((CHAIN, "groups"), (MODULES, "modules")):
        slim = _answer(source, detail="drawn")["graph"]
        full = _answer(source)["graph"]
        kept = {node["id"] for node in slim["nodes"]}
        assert [b["id"] for b in slim[field]] == [b["id"] for b in full[field]]
        for cut, whole in zip(slim[field], full[field], strict=True):
            assert cut["nodes"] == [n for n in whole["nodes"] if n in kept]
    chain = _answer(CHAIN, detail="drawn")["graph"]
    assert chain["groups"][0]["nodes"] == [] and chain["groups"][0]["count"] >= 30


def test_a_folds_expand_gives_the_slim_answer_of_the_expanded_picture() -> None:
    """From the kept trace (the first request traced it) and from a fresh run alike."""
    first = _answer(CHAIN, detail="drawn")
    expanded = _answer(CHAIN, detail="drawn", unfold=("g0",))  # the kept trace draws it
    fresh = _answer(CHAIN, Settings(graph_reuse_entries=0), detail="drawn", unfold=("g0",))
    for answer in (expanded, fresh):
        answer.pop("timings_ms")
    assert expanded == fresh
    assert {n["id"] for n in expanded["graph"]["nodes"]} == _drawn_nodes(expanded)
    assert len(expanded["graph"]["nodes"]) > len(first["graph"]["nodes"])
    assert expanded["graph"]["left_out"]["nodes"] == 0  # nothing folded any more
    # the first view, asked again after the expand, is its own slim answer still
    again = _answer(CHAIN, detail="drawn")
    assert again["graph"] == first["graph"]


def test_tensors_hidden_in_a_fold_are_left_out_and_counted() -> None:
    # `mid`: the sixth iteration's tensor, which the fold's box hides
    source = CHAIN.replace("1.01\n", "1.01\n    if i == 5:\n        mid = h\n")
    slim = _answer(source, detail="drawn")
    full = _answer(source)
    named = {name for node in slim["graph"]["nodes"] for name in node.get("names", ())}
    assert set(slim["tensors"]) <= set(full["tensors"])
    assert all(slim["tensors"][n] == full["tensors"][n] for n in slim["tensors"])
    dropped = set(full["tensors"]) - set(slim["tensors"])
    assert dropped and not dropped & named
    assert slim["graph"]["left_out"]["tensors"] == len(dropped)


def test_a_full_answer_is_the_whole_run() -> None:
    outcome = execute(RunRequest(source=CHAIN, formats=("graph", "svg")), SETTINGS)
    answer = json.loads(_answer_json(outcome, payload))
    assert outcome.graph is not None
    assert answer["graph"] == json.loads(json.dumps(outcome.graph.to_json()))
    assert "detail" not in answer["graph"] and "left_out" not in answer["graph"]
    assert set(answer["tensors"]) == set(outcome.run.tensors)


def test_the_api_takes_detail_and_refuses_another(run_api: RunApi) -> None:
    status, slim = run_api(CHAIN, formats=["graph"], detail="drawn")
    assert status == 200 and slim["graph"]["detail"] == "drawn"
    status, _ = run_api(CHAIN, detail="some")
    assert status == 422


def test_the_page_built_from_the_slim_answer_counts_the_whole_run() -> None:
    """The page's view of the slim answer describes the drawn nodes and the last backward
    call's drawn steps, and its notes count the whole graph and every step of that call."""
    slim = _answer(CHAIN, detail="drawn")
    full = _answer(CHAIN)
    t = labels("en")
    view = result_view(slim, Lines(None), t, "en", False, len(slim["steps"]), Bounds(300, 300))
    kept = {node["id"] for node in slim["graph"]["nodes"]}
    assert {node.id for node in view.nodes} == kept
    last = full["graph"]["backward_calls"][-1]["order"]
    assert [step.fn_id for step in view.backward] == [fn for fn in last if fn in kept]
    said = t.page_left_out.format(
        nodes=len(kept), nodes_total=len(full["graph"]["nodes"]),
        steps=len(view.backward), steps_total=len(last),
    )  # fmt: skip
    assert said in view.notes


def test_the_pages_request_as_the_gpu_pool_forwards_it_is_a_valid_api_body() -> None:
    """The runner's key (every RunRequest field as JSON) is the body the GPU pool sends to the
    API (app/service/device_pool.py): a field the page sets must be one the API takes."""
    request = RunRequest(
        source=CHAIN, formats=("graph", "svg"), legend=False, lang="zh", rankdir="TB",
        unfold=("g0",), fold=("m1",), detail="drawn",
    )  # fmt: skip
    fields = {field: getattr(request, field) for field in RunRequest.__dataclass_fields__}
    body = RunBody.model_validate_json(json.dumps(fields, sort_keys=True))
    assert run_request(body, lang=request.lang) == request


def test_the_details_panel_names_the_box_a_node_receives_from() -> None:
    """The first node after the fold says what it receives and from where: the `×N box`; a
    node after a shut call names the call's box as the picture does (`Linear net.2`)."""
    t = labels("en")
    for source, name in ((CHAIN, "×{count} box"), (MODULES, "{type} {path}")):
        slim = _answer(source, detail="drawn")
        graph = slim["graph"]
        boxes = {b["id"]: b for b in graph["groups"] + graph["modules"]}
        view = result_view(slim, Lines(None), t, "en", False, len(slim["steps"]), Bounds(300, 300))
        said = {node.id: node.receives for node in view.nodes}
        from_boxes = [e for e in graph["edges"] if e["source"] in _drawn_boxes(slim)]
        assert from_boxes
        for edge in from_boxes:
            box = boxes[edge["source"]]
            words = t.receives_from if edge["grad"] is not None else t.input_from
            assert any(
                line.startswith(words.split("{")[0]) and line.endswith(name.format(**box))
                for line in said[edge["target"]]
            ), said[edge["target"]]
