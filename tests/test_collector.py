"""The collector is paused while the pipeline builds its own records, never during the program's
run, and always comes back (app/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.collector import paused
from app.lang.errors import ProgramError
from app.pipeline import RunRequest, execute
from app.settings import Settings

# a loop that leaves reference cycles behind: only the collector frees them
CYCLES = """\
import torch
class Node:
    def __init__(self):
        self.me = self
x = torch.tensor(2.0, requires_grad=True)
for i in range(3000):
    Node()
y = x * x
y.backward()
"""


@pytest.fixture
def passes() -> Iterator[list[int]]:
    """The generation of every collector pass while the test runs."""
    seen: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield seen
    finally:
        gc.callbacks.remove(count)


def test_a_paused_block_runs_no_pass_and_the_collector_comes_back(passes: list[int]) -> None:
    with paused():
        with paused():
            junk = [[] for _ in range(50_000)]
        assert not gc.isenabled()
        inside = len(passes)
    assert inside == 0 and gc.isenabled()
    del junk
    with pytest.raises(ValueError), paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_programs_own_cycles_are_still_collected_during_its_run(passes: list[int]) -> None:
    outcome = execute(RunRequest(source=CYCLES, formats=("graph", "svg")), Settings())
    assert outcome.run.error is None and outcome.graph is not None
    assert passes, "the run made thousands of cycles and no pass freed them"
    assert gc.isenabled()


def test_a_refused_program_leaves_the_collector_running() -> None:
    with pytest.raises(ProgramError):
        execute(RunRequest(source="import os\n", formats=("graph", "svg")), Settings())
    assert gc.isenabled()
