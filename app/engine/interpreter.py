"""Executing statements, one Step per executed simple statement.

Compound statements (for, while, if, with) record no step of their own; their bodies do. When a
statement raises, the error is a StepError on that step and execution stops there: everything up to
it is kept, as in a notebook.

A `def` is a step of its own (it binds the function; defaults are evaluated then). Calling the
function runs its body inside the caller's step: statements in a function record no steps (their
output and warnings belong to the statement that called it), but each one counts against
max_statements, and an error inside reports the line inside the function, as the last frame of
Python's traceback does. A bare expression inside a function shows nothing, as in Python.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable
from typing import Any

import torch
from torch.utils.data import DataLoader

from app.engine import access, comprehensions, deleting
from app.engine.budget import Budget
from app.engine.control import CONTROL, Break, Continue, Return, StopRun
from app.engine.functions import Frame, UserFunction, bind_arguments
from app.engine.hints import hints_for
from app.engine.namespaces import imported
from app.engine.operators import IN_PLACE, check_in_place
from app.engine.recorder import Recorder
from app.engine.records import Step, StepError
from app.engine.trying import Trying
from app.lang.errors import LimitExceeded, NotAllowed, ProgramError, Span
from app.lang.program import Program

# Context managers a `with` may enter: grad modes, forward-mode AD's dual level, and the
# program's saved-tensor hooks (made through callbacks.py, which wraps pack and unpack).
_CONTEXTS = (
    torch.no_grad, torch.enable_grad, torch.set_grad_enabled, torch.inference_mode,
    torch.autograd.forward_ad.dual_level, torch.autograd.graph.saved_tensors_hooks,
)  # fmt: skip


class Interpreter(Trying):
    def __init__(
        self,
        program: Program,
        env: dict[str, Any],
        budget: Budget,
        recorder: Recorder | None = None,
        stop_after: int | None = None,
    ) -> None:
        super().__init__(env, budget, recorder)
        self.program = program
        self.stop_after = stop_after
        self.steps: list[Step] = []
        self.caught: list[warnings.WarningMessage] = []
        self._statements: dict[type[ast.AST], Callable[[Any], None]] = {
            ast.Expr: self._exec_expr,
            ast.Assign: self._exec_assign,
            ast.AugAssign: self._exec_augassign,
            ast.For: self._exec_for,
            ast.While: self._exec_while,
            ast.If: self._exec_if,
            ast.With: self._exec_with,
            ast.Break: self._exec_break,
            ast.Continue: self._exec_continue,
            ast.Pass: lambda node: None,
            ast.Import: self._exec_import,
            ast.ImportFrom: self._exec_importfrom,
            ast.Assert: self._exec_assert,
            ast.FunctionDef: self._exec_functiondef,
            ast.ClassDef: self._exec_classdef,
            ast.Return: self._exec_return,
            ast.Try: self._exec_try,
            ast.Raise: self._exec_raise,
            ast.Global: lambda node: None,  # functions.py read the declarations
            ast.Nonlocal: lambda node: None,
            ast.Delete: self._exec_delete,
        }
        self._sources: dict[int, str] = {}
        self._top_level = frozenset(id(statement) for statement in program.module.body)
        self.try_depth = 0  # inside a `try` body, a failing statement's error is not final
        self.raised_in: tuple[BaseException, Step] | None = None
        self.handling: list[BaseException] = []  # exceptions whose `except` block is running

    def run(self) -> StepError | None:
        try:
            self.exec_block(self.program.module.body)
        except StopRun as stop:
            return stop.error
        finally:
            self.active = False  # the program's methods no longer run (classes.py)
            for handle in self.hooks:  # nothing of the run stays attached to a tensor
                handle.remove()
        return None

    def exec_block(self, body: list[ast.stmt]) -> None:
        if self.frame is not None:
            self._exec_body(body)
            return
        for statement in body:
            self.budget.statement(statement)
            compound = isinstance(statement, ast.For | ast.While | ast.If | ast.With | ast.Try)
            if compound:
                self._exec_compound(statement)
            else:
                self._exec_simple(statement)

    def _exec_simple(self, statement: ast.stmt) -> None:
        if self.stop_after is not None and len(self.steps) >= self.stop_after:
            raise StopRun(None)
        step = Step(line=statement.lineno, source=self._source(statement))
        self.steps.append(step)
        if self.recorder is not None:
            self.recorder.step = len(self.steps)
        seen = len(self.caught)
        try:
            self._statements[type(statement)](statement)
        except (Break, Continue, ProgramError):
            raise
        except Exception as exc:
            self._refuse_exhaustion(exc, statement)
            if self.try_depth:  # a `try` around it may catch it
                self.raised_in = (exc, step)
                raise
            self._fail(step, exc, statement)
        finally:
            step.output = self.output.take()
            step.warnings = [_describe_warning(w) for w in self.caught[seen:]]

    def _source(self, statement: ast.stmt) -> str:
        """The step's text (a `def` shows its first line); cached, loops repeat statements."""
        key = id(statement)
        text = self._sources.get(key)
        if text is None:
            if isinstance(statement, ast.FunctionDef | ast.ClassDef):
                text = self.program.lines[statement.lineno - 1].strip()
            else:
                text = self.program.segment(statement)
            self._sources[key] = text
        return text

    def _exec_body(self, body: list[ast.stmt]) -> None:
        """Statements of a function body: no steps; the failing statement is remembered when
        no expression inside it was (an unpacking error, a `for` over None)."""
        for statement in body:
            self.budget.statement(statement)
            try:
                self._statements[type(statement)](statement)
            except CONTROL:
                raise
            except Exception as exc:
                if self.failed_at is None or self.failed_at[0] is not exc:
                    self.failed_at = (exc, statement)
                raise

    def call_function(
        self, func: UserFunction, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        limit = self.budget.limits.max_call_depth
        if len(self.frames) >= limit:
            raise LimitExceeded("max_call_depth", limit, "too many nested calls", Span.of(node))
        frame = Frame(func._locals, bind_arguments(func, args, kwargs), func, func._enclosing)
        if func._generator:
            frame.yielded = []
        saved, saved_try = self.frame, self.try_depth
        self.frames.append(frame)
        self.frame, self.try_depth = frame, 0
        try:
            if func._grad_mode is None:
                self.exec_block(func._body)
            else:
                with func._grad_mode():
                    self.exec_block(func._body)
        except Return as returned:
            if frame.yielded is not None:
                return comprehensions.replay(frame.yielded, func._name)
            return returned.value
        except RecursionError:
            message = "calls nest too deeply for the interpreter"
            raise LimitExceeded("max_call_depth", limit, message, Span.of(node)) from None
        finally:
            self.frames.pop()
            self.frame, self.try_depth = saved, saved_try
        if frame.yielded is not None:
            return comprehensions.replay(frame.yielded, func._name)
        return None

    def call_back(self, func: UserFunction, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A program's method called by PyTorch or Python (`forward` from `Module.__call__`,
        `backward` from the autograd engine, `__getitem__` from a DataLoader)."""
        if not self.active:
            raise RuntimeError("the program's run is over: its methods no longer run")
        saved = self.current
        try:
            return self.call_function(func, args, kwargs, saved)
        finally:
            self.current = saved

    def _exec_compound(self, statement: ast.stmt) -> None:
        """Errors in a header (`for x in y.grad:`) get a step of their own on that line."""
        try:
            self._statements[type(statement)](statement)
        except (Break, Continue, StopRun, ProgramError):
            raise
        except Exception as exc:
            self._refuse_exhaustion(exc, statement)
            if self.try_depth:
                raise
            if self.raised_in is not None and self.raised_in[0] is exc:
                self._fail(self.raised_in[1], exc, statement)  # raised in a `try` body, uncaught
            header = self.program.lines[statement.lineno - 1].strip()
            step = Step(line=statement.lineno, source=header, output=self.output.take())
            self.steps.append(step)
            self._fail(step, exc, statement)

    def _refuse_exhaustion(self, exc: Exception, statement: ast.stmt) -> None:
        node = self.failed_at[1] if self.failed_at and self.failed_at[0] is exc else statement
        refusal = self.budget.exhausted(exc, node)
        if refusal is not None:
            raise refusal from None

    def _fail(self, step: Step, exc: Exception, statement: ast.stmt) -> None:
        node = self.failed_at[1] if self.failed_at and self.failed_at[0] is exc else statement
        message = str(exc)
        step.status = "error"
        step.error = StepError(
            type=type(exc).__name__,
            message=message,
            line=_traceback_line(node),
            hints=hints_for(message),
        )
        raise StopRun(step.error) from None

    # statements -------------------------------------------------------------------------

    def _exec_expr(self, node: ast.Expr) -> None:
        # ('value',) — a bare expression shows its value, as in a notebook or the REPL
        # Only a top-level expression shows, as in a notebook cell (not one in a loop's body).
        value = self.evaluate(node.value)
        if value is not None and self.frame is None and id(node) in self._top_level:
            self.builtins["print"](self.builtins["repr"](value))

    def _exec_assign(self, node: ast.Assign) -> None:
        # ('targets', 'value', 'type_comment')
        value = self.evaluate(node.value)
        for target in node.targets:
            self.assign(target, value)
        self.budget.live_elements(self.scopes(), node)

    def _exec_augassign(self, node: ast.AugAssign) -> None:
        # ('target', 'op', 'value')
        target = node.target
        if isinstance(target, ast.Name):
            current = self.evaluate(ast.Name(id=target.id, ctx=ast.Load(), **_position(target)))
            self.bind(target.id, self._in_place(node, current, self.evaluate(node.value)))
            self.budget.live_elements(self.scopes(), node)
        elif isinstance(target, ast.Attribute):
            owner = self.evaluate(target.value)
            current = access.get_attribute(owner, target.attr, target)
            new = self._in_place(node, current, self.evaluate(node.value))
            access.set_attribute(owner, target.attr, new, target)
        else:
            assert isinstance(target, ast.Subscript)
            owner, index = self.evaluate(target.value), self.evaluate(target.slice)
            new = self._in_place(node, owner[index], self.evaluate(node.value))
            access.set_item(owner, index, new, self.budget, target)

    def _in_place(self, node: ast.AugAssign, current: Any, value: Any) -> Any:
        self.current = node
        self.budget.op(node)
        check_in_place(type(node.op), current, value, self.budget, node)
        return self.produced(IN_PLACE[type(node.op)](current, value), node)

    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, ast.Attribute):
            owner = self.evaluate(target.value)
            self.current = target
            access.set_attribute(owner, target.attr, value, target)
        elif isinstance(target, ast.Subscript):
            owner, index = self.evaluate(target.value), self.evaluate(target.slice)
            self.current = target
            self.budget.op(target)
            access.set_item(owner, index, value, self.budget, target)
        else:
            assert isinstance(target, ast.Tuple | ast.List)
            self._unpack(target, value)

    def _unpack(self, target: ast.Tuple | ast.List, value: Any) -> None:
        self.budget.rows_ahead(value, target)  # before iter(), which unbinds a tensor
        try:
            iter(value)
        except TypeError:
            raise TypeError(f"cannot unpack non-iterable {type(value).__name__} object") from None
        items = self.bounded_list(value)
        starred = [i for i, elt in enumerate(target.elts) if isinstance(elt, ast.Starred)]
        wanted = len(target.elts)
        if not starred:
            if len(items) > wanted:
                raise ValueError(f"too many values to unpack (expected {wanted})")
            if len(items) < wanted:
                raise ValueError(
                    f"not enough values to unpack (expected {wanted}, got {len(items)})"
                )
            for elt, item in zip(target.elts, items, strict=True):
                self.assign(elt, item)
            return
        star, after = starred[0], wanted - starred[0] - 1
        if len(items) < wanted - 1:
            raise ValueError(
                f"not enough values to unpack (expected at least {wanted - 1}, got {len(items)})"
            )
        rest = items[star : len(items) - after]
        for elt, item in zip(target.elts[:star], items[:star], strict=True):
            self.assign(elt, item)
        self.assign(target.elts[star].value, rest)  # type: ignore[attr-defined]
        for elt, item in zip(target.elts[star + 1 :], items[len(items) - after :], strict=True):
            self.assign(elt, item)

    def _exec_for(self, node: ast.For) -> None:
        # ('target', 'iter', 'body', 'orelse', 'type_comment')
        iterable = self.evaluate(node.iter)
        batches = isinstance(iterable, DataLoader)  # new tensors each time: counted
        # a tensor longer than the iterations left is refused up front, even if the loop
        # would break early (Budget.rows_ahead)
        self.budget.rows_ahead(iterable, node)
        loops = self.loops
        with loops.run():
            for item in iterable:
                self.budget.iteration(node)
                loops.turn()
                if batches:
                    self.produced(item, node)
                self.assign(node.target, item)
                if not self._iteration(node.body):
                    return
        self.exec_block(node.orelse)

    def _exec_while(self, node: ast.While) -> None:
        # ('test', 'body', 'orelse')
        loops = self.loops
        with loops.run():
            while self.evaluate(node.test):
                self.budget.iteration(node)
                loops.turn()
                if not self._iteration(node.body):
                    return
        self.exec_block(node.orelse)

    def _iteration(self, body: list[ast.stmt]) -> bool:
        """One turn of a loop's body: False once it breaks out of the loop."""
        try:
            self.exec_block(body)
        except Break:
            return False
        except Continue:
            pass
        return True

    def _exec_if(self, node: ast.If) -> None:
        # ('test', 'body', 'orelse')
        self.exec_block(node.body if self.evaluate(node.test) else node.orelse)

    def _exec_with(self, node: ast.With) -> None:
        # ('items', 'body', 'type_comment') — only torch's grad-mode context managers
        item, *more = node.items
        manager = self.evaluate(item.context_expr)
        if not isinstance(manager, _CONTEXTS):
            raise NotAllowed(
                "only `with torch.no_grad():`, `torch.enable_grad()`, "
                "`torch.set_grad_enabled(...)`, `torch.inference_mode()`, "
                "`torch.autograd.forward_ad.dual_level()` and "
                "`torch.autograd.graph.saved_tensors_hooks(pack, unpack)` are allowed",
                Span.of(item.context_expr),
            )
        with manager as bound:
            if item.optional_vars is not None:
                self.assign(item.optional_vars, bound)
            if more:
                self._exec_with(ast.With(items=more, body=node.body, **_position(node)))
            else:
                self.exec_block(node.body)

    def _exec_break(self, node: ast.Break) -> None:
        raise Break

    def _exec_continue(self, node: ast.Continue) -> None:
        raise Continue

    def _exec_import(self, node: ast.Import) -> None:
        # ('names',) — `import a.b` binds `a`, `import a.b as c` binds the module a.b
        for alias in node.names:
            if alias.asname:
                self.bind(alias.asname, imported(alias.name, self.modules))
            else:
                first = alias.name.split(".")[0]
                self.bind(first, imported(first, self.modules))

    def _exec_importfrom(self, node: ast.ImportFrom) -> None:
        # ('module', 'names', 'level')
        for alias in node.names:
            value = imported(f"{node.module}.{alias.name}", self.modules)
            self.bind(alias.asname or alias.name, value)

    def _exec_delete(self, node: ast.Delete) -> None:
        # ('targets',)
        for target in node.targets:
            deleting.delete(self, target)

    def _exec_return(self, node: ast.Return) -> None:
        # ('value',)
        raise Return(None if node.value is None else self.evaluate(node.value))

    def _exec_assert(self, node: ast.Assert) -> None:
        # ('test', 'msg')
        if not self.evaluate(node.test):
            raise AssertionError(*(() if node.msg is None else (self.evaluate(node.msg),)))


def _traceback_line(node: ast.AST) -> int:
    """The line CPython 3.11's traceback names: for `a\n.b` (or a method call on it) the line
    of the attribute's name, otherwise where the failing expression starts."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute) and target.end_lineno is not None:
        return target.end_lineno
    return getattr(node, "lineno", 1)


def _describe_warning(caught: warnings.WarningMessage) -> str:
    return f"{caught.category.__name__}: {caught.message}"


def _position(node: ast.AST) -> dict[str, Any]:
    return {k: getattr(node, k) for k in ("lineno", "col_offset", "end_lineno", "end_col_offset")}
