"""A real notebook, executed by nbclient on an ipykernel: `show()` on the seed example and on a
small training step, `record()`, `to_html()`. The widgets' model state (what the front end
draws) is read back from the executed notebook and checked against torch in the test process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("anywidget")

ROOT = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

CELLS = [
    "import torch\nimport autograd_playground as ag",
    # the seed example
    "x = torch.tensor(3., requires_grad=True)\ny = torch.tensor(6., requires_grad=True)\n"
    "out = 2*x + x*y\nout.backward()\nag.show(out)",
    # a small training step, recorded
    "torch.manual_seed(0)\nnet = torch.nn.Linear(2, 1)\n"
    "opt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
    "data = torch.tensor([[1., 2.]])\ntarget = torch.tensor([[1.]])\n"
    "with ag.record() as r:\n    opt.zero_grad()\n    loss = ((net(data) - target) ** 2).mean()\n"
    "    loss.backward()\n    opt.step()\n"
    "r.show()",
    "path = ag.to_html(out, 'seed.html')\nprint(path.stat().st_size > 0)",
    # the recording's nn.Module hooks went with its block
    "from torch.nn.modules import module as hooks\n"
    "print(len(hooks._global_forward_hooks) + len(hooks._global_forward_pre_hooks))",
]


def _widgets(nb: object) -> list[dict]:
    states = nb.metadata["widgets"][WIDGET_STATE]["state"]
    return [s["state"] for s in states.values() if s["model_name"] == "AnyModel"]


def _by_name(graph: dict) -> dict[str, dict]:
    return {name: n for n in graph["nodes"] if n["kind"] == "tensor" for name in n["names"]}


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("nb")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    # the native kernel runs this Python (`sys.executable -m ipykernel`); the kernel inherits
    # the environment, so PYTHONPATH makes this worktree's packages the ones it imports
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    )  # fmt: skip
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT)
    try:
        client.execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = old
    nb.folder = folder
    return nb


def test_show_seed_widget_state(executed: object) -> None:
    seed = _widgets(executed)[0]
    x = torch.tensor(3.0, requires_grad=True)
    y = torch.tensor(6.0, requires_grad=True)
    (2 * x + x * y).backward()
    named = _by_name(seed["graph"])
    assert named["x"]["grad"] == x.grad.item() == 8.0
    assert named["y"]["grad"] == y.grad.item() == 3.0
    assert seed["node_count"] == len(seed["graph"]["nodes"])
    # leaves x, y, the output and the constant 2; Mul, Mul, Add and two AccumulateGrad
    kinds = [n["kind"] for n in seed["graph"]["nodes"]]
    assert kinds.count("function") == 5
    assert 'id="detail-' in seed["view_html"] and "<svg" in seed["view_html"]


def test_show_training_step_recording(executed: object) -> None:
    step = _widgets(executed)[1]
    torch.manual_seed(0)
    net = torch.nn.Linear(2, 1)
    data, target = torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0]])
    loss = ((net(data) - target) ** 2).mean()
    loss.backward()
    named = _by_name(step["graph"])
    assert named["net.weight"]["grad"] == net.weight.grad.tolist()
    assert named["net.bias"]["grad"] == net.bias.grad.tolist()
    assert named["loss"]["value"] == pytest.approx(loss.item())
    assert named["loss"]["role"] == "output"
    # the recording also has every intermediate value (net(data), the difference, its square)
    unnamed = [n for n in step["graph"]["nodes"] if n["kind"] == "tensor" and not n["names"]]
    assert len(unnamed) >= 3
    assert len(step["graph"]["backward_calls"]) == 1
    # `net(data)` is one module call, holding its op and parameters (as a program run has it)
    (call,) = step["graph"]["modules"]
    assert (call["path"], call["type"], call["inputs"], call["outputs"]) == (
        "net", "Linear", [[1, 2]], [[1, 1]]
    )  # fmt: skip
    assert {named["net.weight"]["id"], named["net.bias"]["id"]} <= set(call["nodes"])


def test_the_recordings_module_hooks_are_gone_after_it(executed: object) -> None:
    assert executed.cells[4].outputs[0]["text"].strip() == "0"


def test_to_html_in_the_notebook(executed: object) -> None:
    outputs = executed.cells[3].outputs
    assert outputs[0]["text"].strip() == "True"
    assert (executed.folder / "seed.html").read_text(encoding="utf-8").startswith("<!doctype html>")
