"""`try`/`except`/`else`/`finally` and `raise`.

A program catches what Python and torch raise (a RuntimeError to print it, a ZeroDivisionError),
never the interpreter's own control flow, a refusal, a limit, or running out of stack or memory.
At the top level a statement records a step; inside a `try` body its error is not final yet, so
it is raised on to the `try` (and the step it failed in is remembered, for when nothing catches it).
"""

from __future__ import annotations

import ast

from app.engine.control import UNCATCHABLE, StopRun
from app.engine.definitions import Definitions
from app.lang.errors import ProgramError


class Trying(Definitions):
    try_depth: int  # inside a `try` body: a failing statement's error is not final
    handling: list[BaseException]  # exceptions whose `except` block is running

    def exec_block(self, body: list[ast.stmt]) -> None:
        raise NotImplementedError  # the Interpreter runs statements

    def _exec_try(self, node: ast.Try) -> None:
        # ('body', 'handlers', 'orelse', 'finalbody') — `finally` runs on the way out of a
        # `return`/`break` or an uncaught error too, never after a refusal or a limit
        try:
            self._try_body(node)
        except (ProgramError, StopRun, RecursionError, MemoryError):
            raise
        except Exception:
            self.exec_block(node.finalbody)
            raise
        self.exec_block(node.finalbody)

    def _try_body(self, node: ast.Try) -> None:
        caught: Exception | None = None
        self.try_depth += 1
        try:
            self.exec_block(node.body)
        except UNCATCHABLE:
            raise
        except Exception as exc:
            caught = exc
        finally:
            self.try_depth -= 1
        if caught is None:
            self.exec_block(node.orelse)
            return
        handler = self._handler_for(node.handlers, caught)
        if handler is None:
            raise caught
        self._handle(handler, caught)

    def _handler_for(
        self, handlers: list[ast.ExceptHandler], exc: Exception
    ) -> ast.ExceptHandler | None:
        for handler in handlers:
            # ('type', 'name', 'body')
            if handler.type is None:
                return handler
            kinds = self.evaluate(handler.type)
            try:
                if isinstance(exc, kinds):
                    return handler
            except TypeError:
                raise TypeError(
                    "catching classes that do not inherit from BaseException is not allowed"
                ) from None
        return None

    def _handle(self, handler: ast.ExceptHandler, exc: Exception) -> None:
        """Run an `except` block; `except E as e` unbinds `e` afterwards, as Python does."""
        self.handling.append(exc)
        if handler.name:
            self.bind(handler.name, exc)
        try:
            self.exec_block(handler.body)
        finally:
            self.handling.pop()
            if handler.name:
                (self.env if self.frame is None else self.frame.values).pop(handler.name, None)

    def _exec_raise(self, node: ast.Raise) -> None:
        # ('exc', 'cause') — `raise`, `raise E`, `raise E(...)`, `raise ... from None`
        if node.exc is None:
            if not self.handling:
                raise RuntimeError("No active exception to reraise")
            raise self.handling[-1]
        exc = self.evaluate(node.exc)
        if isinstance(exc, type) and issubclass(exc, Exception):
            exc = exc()
        if not isinstance(exc, Exception) or isinstance(exc, UNCATCHABLE):
            raise TypeError("exceptions must derive from BaseException")
        if node.cause is not None:
            cause = self.evaluate(node.cause)
            raise exc from cause
        raise exc
