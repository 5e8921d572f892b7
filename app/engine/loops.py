"""Which loop iterations are running, for folding repetition (app/trace/fold.py).

Every run of a loop (a `for`, a `while`, a comprehension's clause) gets a number when it starts,
and counts its iterations; the recorder stamps each tensor it sees with where it was made: the
(loop run, iteration) pairs running then, outermost first. A loop inside a function the body
calls is nested in the body's iteration, as it ran. The graph folds by these iterations, whatever
branch each took, instead of guessing them from how often a source span made a tensor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

LoopPath = tuple[tuple[int, int], ...]  # (loop run, iteration), outermost first


class Loops:
    def __init__(self) -> None:
        self.current: LoopPath = ()  # where a tensor made now is made
        self._runs = 0
        self._stack: list[list[int]] = []  # [loop run, iteration: -1 before the first]

    @contextmanager
    def run(self) -> Iterator[None]:
        """One run of a loop, around its iterations (an exception leaves it too)."""
        self._runs += 1
        self._stack.append([self._runs, -1])
        try:
            yield
        finally:
            self._stack.pop()
            self._update()

    def turn(self) -> None:
        """The innermost running loop starts its next iteration."""
        self._stack[-1][1] += 1
        self._update()

    def _update(self) -> None:
        # a loop that has not started its first iteration (a `while` test) adds nothing, and
        # nor does what runs inside it then
        path: list[tuple[int, int]] = []
        for run, iteration in self._stack:
            if iteration < 0:
                break
            path.append((run, iteration))
        self.current = tuple(path)


class NoLoops(Loops):
    """Loops are not followed when nothing records the graph."""

    @contextmanager
    def run(self) -> Iterator[None]:
        yield

    def turn(self) -> None:
        pass


NO_LOOPS = NoLoops()
