"""A run leaves nothing behind for the next: hooks, classes, method wrappers, random state.

Programs now define classes whose methods PyTorch calls back, register tensor hooks and draw from
`random`. Each of those holds the run's interpreter; these tests check that once a run is over
nothing of it acts again, and that the next run starts from the same state as the first.
"""

from __future__ import annotations

import random

import pytest
import torch

from app.engine.run import run_program
from app.lang.parse import parse
from app.settings import Limits

LIMITS = Limits.defaults()


def run(source: str):  # noqa: ANN201 - the engine's Run
    return run_program(parse(source, LIMITS), "cpu", LIMITS)


def test_hooks_are_removed_when_the_run_ends() -> None:
    first = run(
        "x = torch.ones(2, requires_grad=True)\n"
        "h = x.register_hook(lambda g: g * 10)\n"
        "(x * 1).sum().backward()\n"
    )
    assert first.error is None
    x = first.namespace["x"]
    assert x.grad.tolist() == [10.0, 10.0]  # the hook ran during the run
    x.grad = None
    (x * 1).sum().backward()  # after the run: the hook is gone, the gradient is plain
    assert x.grad.tolist() == [1.0, 1.0]


def test_a_class_of_one_run_is_unknown_to_the_next() -> None:
    first = run("class Model(torch.nn.Module):\n    pass\nm = Model()\n")
    assert first.error is None
    second = run("m = Model()\n")
    assert second.error is not None
    assert (second.error.type, second.error.message) == ("NameError", "name 'Model' is not defined")


def test_a_method_does_not_run_once_the_run_is_over() -> None:
    """A program's `extra_repr` is called by Module.__repr__: after the run it must not re-enter
    the interpreter (whose budget is spent), it raises instead."""
    finished = run(
        "class M(torch.nn.Module):\n"
        "    def extra_repr(self):\n"
        "        return 'mine'\n"
        "m = M()\n"
        "print(m)\n"
    )
    assert finished.error is None
    assert "M(mine)" in finished.steps[-1].output
    with pytest.raises(RuntimeError, match="run is over"):
        repr(finished.namespace["m"])


def test_random_is_seeded_per_run_and_the_process_state_is_untouched() -> None:
    random.seed(1234)
    expected_next = random.Random(1234).random()
    source = "import random\nv = random.random()\nrandom.seed(7)\nw = random.random()\n"
    first, second = run(source), run(source)
    assert first.namespace["v"] == second.namespace["v"] == random.Random(0).random()
    assert first.namespace["w"] == random.Random(7).random()
    assert random.random() == expected_next  # the program never moved the process's generator


def test_grad_mode_decorator_leaves_grad_mode_on() -> None:
    finished = run(
        "@torch.no_grad()\ndef f(x):\n    return x * 2\ny = f(torch.ones(1, requires_grad=True))\n"
    )
    assert finished.error is None
    assert not finished.namespace["y"].requires_grad
    assert torch.is_grad_enabled()
