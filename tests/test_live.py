"""Recording a live session (app/engine/live.py through autograd_playground): the graph a
recording gives against torch itself, in-process (no notebook, no browser)."""

from __future__ import annotations

import pytest
import torch
from torch.nn.modules import module as module_hooks

import autograd_playground as ag
from app.pipeline import RunRequest, execute
from app.settings import Settings


def _tensors(graph: dict) -> list[dict]:
    return [n for n in graph["nodes"] if n["kind"] == "tensor"]


def _named(graph: dict) -> dict[str, dict]:
    return {name: n for n in _tensors(graph) for name in n["names"]}


def test_every_intermediate_value_and_grad_is_torchs() -> None:
    with ag.record() as r:
        x = torch.tensor([1.0, -2.0], requires_grad=True)
        h = torch.tanh(x) * 3
        loss = (2 - h).pow(2).sum()
        loss.backward()
    graph = r.composed().graph
    named = _named(graph)
    assert named["x"]["grad"] == x.grad.tolist()
    assert named["h"]["value"] == pytest.approx(h.tolist())
    labels = {n["label"]: n for n in _tensors(graph)}
    # `2 - h` calls h.__rsub__(2): written as the program wrote it, with torch's value
    assert labels["2 - h"]["value"] == pytest.approx((2 - h).tolist())
    assert named["loss"]["role"] == "output"
    assert len(graph["backward_calls"]) == 1
    assert graph["backward_calls"][0]["completed"]


def test_detach_and_constants_get_their_edges() -> None:
    with ag.record() as r:
        a = torch.tensor(2.0, requires_grad=True)
        b = a.detach() * 5
        c = (a * b).sum()
        c.backward()
    graph = r.composed().graph
    named = _named(graph)
    kinds = {(e["source"], e["target"]): e["kind"] for e in graph["edges"]}
    detached = next(n for n in _tensors(graph) if n["role"] == "detached")
    assert detached["detached_from"] == named["a"]["id"]
    assert kinds[(named["a"]["id"], detached["id"])] == "detached"
    assert named["b"]["role"] == "constant"
    assert any(kind == "constant" and src == named["b"]["id"] for (src, _), kind in kinds.items())
    assert named["a"]["grad"] == a.grad.item() == 10.0


def test_a_second_backward_marks_the_freed_op() -> None:
    with pytest.raises(RuntimeError, match="second time"), ag.record() as r:
        b = torch.tensor(2.0, requires_grad=True)
        z = b * b
        z.backward()
        z.backward()
    graph = r.composed().graph
    calls = graph["backward_calls"]
    assert [c["completed"] for c in calls] == [True, False]
    marks = graph["errors"]
    assert [m["reason"] for m in marks] == ["freed"]
    mul = next(n for n in graph["nodes"] if n["kind"] == "function" and n["op"] == "MulBackward0")
    assert marks[0]["node"] == mul["id"]
    assert marks[0]["message"].startswith("Trying to backward through the graph a second time")


def test_show_a_live_tensor_keeps_to_its_own_graph() -> None:
    """Variables of the caller that are not part of the shown graph stay out of it."""
    x = torch.tensor(3.0, requires_grad=True)
    unrelated = torch.ones(4, requires_grad=True) * 2  # noqa: F841 (read from this frame)
    out = x * x
    out.backward()
    graph = ag.show(out).graph
    assert sorted(name for n in _tensors(graph) for name in n["names"]) == ["out", "x"]
    assert _named(graph)["x"]["grad"] == x.grad.item()


def test_only_tensors_and_recordings() -> None:
    with pytest.raises(TypeError, match="tensor or a Recording"):
        ag.show([1.0, 2.0])


def test_the_error_and_the_no_replay_note_are_shown() -> None:
    with pytest.raises(RuntimeError) as raised, ag.record() as r:
        b = torch.tensor(2.0, requires_grad=True)
        z = b * b
        z.backward()
        z.backward()
    html = r.composed().fragment()
    assert "RuntimeError" in html and str(raised.value).split("\n")[0][:60] in html
    x = torch.tensor(3.0, requires_grad=True)
    out = x * x
    out.backward()
    assert "No backward replay" in ag.show(out).view_html


SEQUENTIAL = """\
import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.ones(3, 2)
net(x).sum().backward()
"""


def _calls(graph: dict) -> list[tuple]:
    """Each module call as the picture groups it: where, what, its parent's path, its shapes,
    and the ops and parameters it made (its unnamed intermediate tensors aside: a recording
    sees every torch call inside a module, a program run only what the program wrote)."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    paths = {m["id"]: m["path"] for m in graph["modules"]}
    return [
        (
            m["path"], m["type"], m["library"], paths.get(m["parent"]), m["inputs"], m["outputs"],
            sorted(
                nodes[i].get("op") or nodes[i]["label"]
                for i in m["nodes"]
                if nodes[i]["kind"] == "function" or nodes[i]["names"]
            ),
        )
        for m in graph["modules"]
    ]  # fmt: skip


def test_a_recording_groups_module_calls_as_a_program_run_does() -> None:
    with ag.record() as r:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
        x = torch.ones(3, 2)
        net(x).sum().backward()
    composed = r.composed()
    recorded = composed.graph
    # the notebook's picture draws them: each call a cluster, the legend's entry on the page
    assert composed.result.svg.count('class="cluster module"') == 4
    assert [entry.css for entry in composed.result.groupings] == ["module"]
    program = execute(RunRequest(SEQUENTIAL, formats=("graph",)), Settings()).graph
    assert program is not None
    expected = _calls(program.to_json())
    assert [call[0] for call in expected] == ["net", "net.0", "net.1", "net.2"]
    assert _calls(recorded) == expected
    # the parameters' gradients in the recording's boxes are torch's own
    named = _named(recorded)
    assert named["net.2.weight"]["grad"] == net[2].weight.grad.tolist()
    assert named["net.0.bias"]["id"] in recorded["modules"][1]["nodes"]


def _global_hooks() -> int:
    return len(module_hooks._global_forward_hooks) + len(module_hooks._global_forward_pre_hooks)


def test_the_module_hooks_last_as_long_as_the_recording() -> None:
    """Installed for the block, gone when it ends (raised or not): a module called after it is
    recorded by nobody, and a second recording starts with no call of the first."""
    before = _global_hooks()
    lin = torch.nn.Linear(2, 1)
    with pytest.raises(ValueError, match="stop"), ag.record() as r:
        assert _global_hooks() == before + 2
        out = lin(torch.ones(1, 2))
        raise ValueError("stop")
    assert _global_hooks() == before
    lin(torch.ones(1, 2))  # after the block: not seen
    assert len(r._mode.recorder.modules.calls) == 1
    with ag.record() as second:
        y = out * 2
        y.sum().backward()
    assert _global_hooks() == before
    assert second.composed().graph["modules"] == []
