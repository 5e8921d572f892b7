"""The interpreter's own control flow, as exceptions no program can catch or raise."""

from __future__ import annotations

from typing import Any

from app.engine.records import StepError
from app.lang.errors import ProgramError


class Break(Exception):
    pass


class Continue(Exception):
    pass


class Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


CONTROL = (Break, Continue, Return, ProgramError)
# What a program's `except` never catches: the interpreter's own control flow and refusals, and
# running out of stack or memory.
UNCATCHABLE = (*CONTROL, RecursionError, MemoryError)


class StopRun(Exception):
    """Raised once a statement failed (the step holding the error is already recorded), or
    when the run reached the step it was asked to stop after (error None)."""

    def __init__(self, error: StepError | None) -> None:
        super().__init__(error.message if error else "stopped")
        self.error = error
