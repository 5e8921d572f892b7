"""A run leaves nothing behind for the next: hooks, classes, method wrappers, random state,
saved-tensor hooks, torch.func's functions, dual levels, its own names.

Programs now define classes whose methods PyTorch calls back, register tensor hooks and draw from
`random`. Each of those holds the run's interpreter; these tests check that once a run is over
nothing of it acts again, and that the next run starts from the same state as the first.
"""

from __future__ import annotations

import gc
import random
import weakref

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


SAVED_HOOKS = (
    "storage = []\n"
    "def keep(t):\n    storage.append(t)\n    return len(storage) - 1\n"
    "def fetch(i):\n    print('fetch', i)\n    return storage[i]\n"
    "x = torch.tensor([0.5, 1.5], requires_grad=True)\n"
    "with torch.autograd.graph.saved_tensors_hooks(keep, fetch):\n    y = x.exp()\n"
)


def test_saved_tensor_hooks_do_not_run_after_the_run_and_are_popped() -> None:
    finished = run(SAVED_HOOKS + "s = y.grad_fn._saved_result\n")
    assert finished.error is None
    assert finished.steps[-1].output == "fetch 0\n"  # the program's own read ran its unpack
    y = finished.namespace["y"]
    late = y.grad_fn._saved_result  # after the run: the program's unpack stays out
    assert late.device.type == "meta" and late.shape == (2,)
    fresh = torch.ones(2, requires_grad=True).exp()  # no hooks are left installed
    assert fresh.grad_fn._saved_result.device.type == "cpu"


def test_hooks_left_by_an_error_in_the_with_block_are_popped() -> None:
    failed = run(
        "with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):\n"
        "    raise ValueError('stop')\n"
    )
    assert failed.error is not None and failed.error.type == "ValueError"
    assert torch.ones(2, requires_grad=True).exp().grad_fn._saved_result.device.type == "cpu"


def test_tensors_a_pack_hook_kept_are_freed_with_the_run() -> None:
    finished = run(SAVED_HOOKS + "y.sum().backward()\n")
    assert finished.error is None
    kept = weakref.ref(finished.namespace["storage"][0])
    del finished
    gc.collect()
    assert kept() is None  # no cycle through the saved tensor keeps it (or the run) alive


def test_torch_func_functions_do_not_run_after_the_run() -> None:
    finished = run(
        "from torch.func import grad\ng = grad(lambda t: t.sin())\nh = grad(torch.sin)\n"
        "v = g(torch.tensor(0.0)) + h(torch.tensor(0.0))\n"
    )
    assert finished.error is None and finished.namespace["v"].item() == 2.0
    for name in ("g", "h"):
        with pytest.raises(RuntimeError, match="run is over"):
            finished.namespace[name](torch.tensor(0.0))


def test_a_dual_level_left_by_an_error_is_closed() -> None:
    source = (
        "import torch.autograd.forward_ad as fwAD\n"
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(torch.ones(1), torch.ones(1))\n"
        "    raise ValueError('stop')\n"
    )
    first, second = run(source), run(source)
    for finished in (first, second):  # a level left open would make the second one fail
        assert finished.error is not None
        assert (finished.error.type, finished.error.message) == ("ValueError", "stop")


def test_deleting_or_rebinding_torch_changes_only_that_run() -> None:
    for source in ("del torch\n", "def f():\n    global torch\n    torch = None\nf()\n"):
        assert run(source).error is None
        after = run("y = torch.ones(1) * 2\n")
        assert after.error is None and after.namespace["y"].item() == 2.0


def test_class_attributes_a_program_sets_stay_with_its_class() -> None:
    source = "class Counter:\n    count = 0\nCounter.count += 1\nCounter.extra = 5\n"
    first, second = run(source), run(source)
    assert first.namespace["Counter"].count == second.namespace["Counter"].count == 1
    assert first.namespace["Counter"] is not second.namespace["Counter"]
