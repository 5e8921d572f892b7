"""A worker runs thousands of programs: nothing of a finished run may stay in its memory."""

from __future__ import annotations

import gc

import pytest

from app.pipeline import RunRequest, execute, payload
from app.settings import Settings

PROGRAMS = {
    "seed graph": "x = torch.tensor({n}., requires_grad=True)\ny = torch.tensor(6., "
    "requires_grad=True)\nz = 2*x + x*y\nz.backward()",
    "retain graph twice": "x = torch.tensor({n}., requires_grad=True)\ny = x * x\n"
    "y.backward(retain_graph=True)\ny.backward()",
    "training step": "w = torch.tensor([{n}., 1.], requires_grad=True)\n"
    "opt = torch.optim.SGD([w], lr=0.1)\nloss = (w * w).sum()\nloss.backward()\nopt.step()",
    "error mid-backward": "x = torch.tensor({n}., requires_grad=True)\ny = x * 2\n"
    "y.backward()\ny.backward()",
}


def _live_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("formats", [("graph",), ("svg",), ()], ids=["graph", "svg", "plain"])
def test_runs_leave_nothing_behind(name: str, formats: tuple[str, ...]) -> None:
    settings = Settings()

    def run(n: int) -> None:
        request = RunRequest(source=PROGRAMS[name].format(n=n), formats=formats)
        payload(execute(request, settings))

    for n in range(30):  # warm-up: caches and lazily built torch state fill up here
        run(n)
    before = _live_objects()
    for n in range(30, 130):
        run(n)
    grown = _live_objects() - before
    # a leaked run keeps ~130 objects (its tensors, AST, hooks): 100 runs would add ~13,000
    assert grown < 300, f"{grown} more live objects after 100 runs of {name}"
