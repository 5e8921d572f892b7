"""Expanding without running again (issue 16): a program drawn again with another expand state
reuses its kept trace (app/traced.py), and what it answers is what running it again answers.

The oracle for every reused answer is the same request with reuse off (`graph_reuse_entries =
0`): the program run and traced again by real torch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from torch.autograd.graph import Node

from app.pipeline import Outcome, RunRequest, execute, payload
from app.settings import Settings
from app.traced import TRACED, TracedRuns, elements

LOOP = """\
import torch
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(30):
    y = y * 1.01 + 0.5
y.backward()
"""
SETTINGS = Settings()
FRESH = Settings(graph_reuse_entries=0)


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    TRACED.clear()
    yield
    TRACED.clear()


def _run(source: str, settings: Settings = SETTINGS, **fields: Any) -> Outcome:
    fields.setdefault("formats", ("svg", "graph"))
    return execute(RunRequest(source=source, **fields), settings)


def _answer(outcome: Outcome) -> dict[str, Any]:
    body = payload(outcome)
    del body["timings_ms"]
    return body


def test_expanding_a_fold_draws_the_kept_trace_as_a_fresh_run_would() -> None:
    first = _run(LOOP)
    assert "run" in first.timings_ms and first.graph is not None
    (fold,) = first.graph.groups
    expanded = _run(LOOP, unfold=(fold.id,))
    assert "run" not in expanded.timings_ms and "reuse" in expanded.timings_ms
    fresh = _run(LOOP, FRESH, unfold=(fold.id,))
    assert "run" in fresh.timings_ms
    assert _answer(expanded) == _answer(fresh)
    assert expanded.renderings["svg"] != first.renderings["svg"]  # the fold is drawn in full
    # folded again: the first view, as it was drawn the first time
    assert _answer(_run(LOOP)) == _answer(first)


@pytest.mark.parametrize(
    ("change", "settings"),
    [
        ({"source": LOOP.replace("1.01", "1.02")}, SETTINGS),
        ({"step": 4}, SETTINGS),
        ({}, Settings(max_ops=99_999)),
        ({}, Settings(graph_backward_calls=4)),
    ],
    ids=["source", "step", "a limit", "listed backward calls"],
)
def test_anything_the_run_depends_on_runs_it_again(
    change: dict[str, Any], settings: Settings
) -> None:
    _run(LOOP)
    source = change.pop("source", LOOP)
    again = _run(source, settings, **change)
    assert "run" in again.timings_ms
    assert _answer(again) == _answer(_run(source, FRESH, **change))


def test_math_inputs_are_part_of_the_key() -> None:
    first = _run("y = a * b", mode="math", inputs={"a": 2.0, "b": 3.0})
    second = _run("y = a * b", mode="math", inputs={"a": 2.0, "b": 5.0})
    assert "run" in second.timings_ms
    assert first.run.tensors["y"].value != second.run.tensors["y"].value


def test_a_run_that_failed_is_not_kept() -> None:
    source = LOOP.replace("y.backward()", "y.backward()\ny.backward()")
    assert _run(source).run.error is not None
    assert "run" in _run(source, unfold=("g0",)).timings_ms


# torchviz imports distutils; its warning is not our business
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_torchviz_style_and_no_graph_always_run() -> None:
    _run(LOOP)
    assert "run" in _run(LOOP, style="torchviz").timings_ms
    assert "run" in _run(LOOP, formats=()).timings_ms


def test_what_is_kept_holds_no_tensor_and_no_autograd_node() -> None:
    _run(LOOP)
    _run("y = a * b", mode="math", inputs={"a": 2.0, "b": 3.0})
    assert len(TRACED) == 2
    for value, _ in TRACED._kept.values():
        found = [type(item).__name__ for item in _reachable(value)
                 if isinstance(item, torch.Tensor | Node)]  # fmt: skip
        assert found == []


def _reachable(root: Any) -> Iterator[Any]:
    """Records, containers and what they hold, each once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)


def test_the_kept_runs_are_bounded_by_entries_and_bytes() -> None:
    kept = TracedRuns()
    for key in "abc":
        kept.put(key, key.upper(), 10, entries=2, max_bytes=100)
    assert len(kept) == 2 and kept.get("a") is None and kept.get("c") == "C"
    kept.get("b")  # used: "c" is now the oldest
    kept.put("d", "D", 10, entries=2, max_bytes=100)
    assert kept.get("c") is None and kept.get("b") == "B"
    kept.put("e", "E", 95, entries=2, max_bytes=100)  # past the bytes with any other
    assert len(kept) == 1 and kept.get("e") == "E"
    kept.put("f", "F", 101, entries=2, max_bytes=100)  # past the bytes alone: not kept
    assert kept.get("f") is None and kept.get("e") == "E"
    kept.put("g", "G", 1, entries=0, max_bytes=100)
    assert kept.get("g") is None


def test_the_bytes_of_a_graph_follow_its_values() -> None:
    assert elements([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) == 6
    assert elements([]) == 0 and elements(None) == 1 and elements(2.5) == 1
    _run(LOOP.replace("y.backward()", "y.sum().backward()"))
    big = LOOP.replace("torch.tensor(1.0,", "torch.ones(50, 40,")  # the same graph, larger values
    _run(big.replace("y.backward()", "y.sum().backward()"))
    small, big = (size for _, size in TRACED._kept.values())
    assert big > 10 * small
