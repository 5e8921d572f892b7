"""Evaluating expressions: one handler per AST node type, dispatched through a table.

The language has already refused every node type not handled here. Each handler performs the
operation exactly as Python would, after the checks that keep the run bounded.

Names resolve as in Python: the current function call's locals (when a program's function is
running), then the run's namespace (its globals), then the allowed builtins.
"""

from __future__ import annotations

import ast
import builtins
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from app.engine import (
    access,
    classes,
    comprehensions,
    containers,
    graphsize,
    library,
    numpy_module,
    pymodules,
    sizing,
    vision,
)
from app.engine.budget import Budget
from app.engine.display import clean, shown
from app.engine.functions import Frame, UserFunction
from app.engine.loops import NO_LOOPS, Loops
from app.engine.namespaces import SafeModule
from app.engine.operators import BINARY, COMPARE, UNARY, check_binary, check_format_spec
from app.engine.pybuiltins import Output, make_builtins, wrapped_types
from app.engine.recorder import Recorder, roots_and_gradients
from app.engine.strformat import str_format
from app.engine.training import TrainingRecorder
from app.lang import allowlist
from app.lang.checks import PYTHON_BUILTINS
from app.lang.errors import NotAllowed, Span

_BACKWARD_NAMES = frozenset({"backward", "grad"})


def _super(*args: Any) -> None:
    """Stands for `super` among the builtins; Evaluator.call resolves it (it needs the frame)."""
    raise AssertionError("called through Evaluator._super")


_super.__name__ = "super"


def _bounded_iter(budget: Budget, where: Callable[[], ast.AST]) -> Callable[[Any], Any]:
    def iter_(value: Any) -> Any:
        """One argument only: `iter(callable, sentinel)` would have C call a program's value.
        A tensor's iterator unbinds all its rows at once: sized as a loop over them."""
        budget.rows_ahead(value, where())
        return iter(value)

    iter_.__name__ = iter_.__qualname__ = "iter"
    return iter_


class Evaluator:
    def __init__(self, env: dict[str, Any], budget: Budget, recorder: Recorder | None) -> None:
        self.env = env
        self.budget = budget
        self.recorder = recorder
        self.output = Output()
        self.current: ast.AST = ast.Pass()
        self._make_names(budget)
        self.active = True  # False once the run is over: no method re-enters then
        self.observing = False  # True while the recorder reads the graph (callbacks.py)
        self.transformed: dict[int, Any] = {}  # functions torch.func made (transforms.py)
        self.hooks: list[Any] = []  # handles of the tensor hooks the program registered
        # a program runs as the main script: `if __name__ == '__main__':` guards its loop (the
        # notes' DataLoader scripts); the name may be read, never assigned (lang/checks.py)
        self.builtins["__name__"] = "__main__"
        self.failed_at: tuple[BaseException, ast.AST] | None = None
        self.frame: Frame | None = None  # the running function call's locals
        self.frames: list[Frame] = []
        self.training = TrainingRecorder()
        self.graph_sizes = graphsize.GraphSizes()  # what backward calls walked, for the next
        self._dispatch: dict[type[ast.AST], Callable[[Any], Any]] = {
            ast.Constant: self._eval_constant,
            ast.Name: self._eval_name,
            ast.Attribute: self._eval_attribute,
            ast.Subscript: self._eval_subscript,
            ast.Slice: self._eval_slice,
            ast.Call: self._eval_call,
            ast.BinOp: self._eval_binop,
            ast.UnaryOp: self._eval_unaryop,
            ast.BoolOp: self._eval_boolop,
            ast.Compare: self._eval_compare,
            ast.IfExp: self._eval_ifexp,
            ast.List: self._eval_list,
            ast.Tuple: self._eval_tuple,
            ast.JoinedStr: self._eval_joinedstr,
            ast.FormattedValue: self._eval_formattedvalue,
            ast.Dict: self._eval_dict,
            ast.Set: self._eval_set,
            ast.ListComp: self._eval_comprehension,
            ast.SetComp: self._eval_comprehension,
            ast.DictComp: self._eval_comprehension,
            ast.GeneratorExp: self._eval_comprehension,
            ast.Lambda: self._eval_lambda,
            ast.Yield: self._eval_yield,
        }

    @property
    def loops(self) -> Loops:
        """Where the loops running now are, for the graph's folds (nothing follows them when
        no graph is recorded)."""
        return self.recorder.loops if self.recorder is not None else NO_LOOPS

    def _make_names(self, budget: Budget) -> None:
        """The run's builtins and Python modules (each run its own: they hold its budget)."""
        self.builtins = make_builtins(budget, self.output, lambda: self.current)
        self.builtins.update(
            super=_super, object=object, staticmethod=staticmethod, next=next, id=id,
            iter=_bounded_iter(budget, lambda: self.current),
        )  # fmt: skip
        self.builtins.update({name: getattr(builtins, name) for name in allowlist.EXCEPTIONS})
        self.bounded_list = self.builtins["list"]  # list() that stops at max_sequence_len
        # `list`, `str`, `OrderedDict`, ... are the types themselves; a call goes through the
        # bounded wrapper (C would consume any iterable, past every limit)
        self.constructors = wrapped_types(self.builtins)
        self._builtin_ids = {id(v) for v in self.builtins.values()}
        self.modules = pymodules.run_modules(
            budget, self.bounded_list, lambda: self.current, self._admit
        )

    def _admit(self, module: SafeModule) -> None:
        """A run module the program imports, made then: its types in place of their wrappers,
        and its members (random's bound methods) called like builtins."""
        self.constructors.update(wrapped_types(module.members))
        self._builtin_ids.update(id(v) for v in pymodules.members_of([module]))

    def evaluate(self, node: ast.expr) -> Any:
        self.current = node
        try:
            value = self._dispatch[type(node)](node)
            if self.recorder is not None:  # operands, for the graph (app/engine/recorder.py)
                self.recorder.seen(node, value)
            return value
        except Exception as exc:
            # The first handler to see an exception is the innermost one: that is the
            # position Python's traceback would name.
            if self.failed_at is None or self.failed_at[0] is not exc:
                self.failed_at = (exc, node)
            raise

    def _eval_constant(self, node: ast.Constant) -> Any:
        # ('value', 'kind')
        return node.value

    def _eval_name(self, node: ast.Name) -> Any:
        # ('id', 'ctx')
        name = node.id
        frame = self.frame
        if frame is not None and name in frame.names:
            try:
                return frame.values[name]
            except KeyError:
                raise UnboundLocalError(
                    f"cannot access local variable '{name}' where it is not associated with a value"
                ) from None
        if frame is not None and not frame.declared_global(name):
            owner = frame.free_frame(name)
            if owner is not None:
                if name in owner.values:
                    return owner.values[name]
                raise NameError(
                    f"cannot access free variable '{name}' where it is not associated with a "
                    "value in enclosing scope"
                )
        if name in self.env:
            return self.env[name]
        if name in self.builtins:
            return self.builtins[name]
        if name in PYTHON_BUILTINS:
            raise NotAllowed(f"builtin '{name}' not allowed", Span.of(node))
        raise NameError(f"name '{name}' is not defined")

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        # ('value', 'attr', 'ctx')
        value = self.evaluate(node.value)
        self.current = node
        result = access.get_attribute(value, node.attr, node)
        if self.recorder is not None:
            self.recorder.attribute(result, node, value)
        return result

    def _eval_subscript(self, node: ast.Subscript) -> Any:
        # ('value', 'slice', 'ctx')
        value = self.evaluate(node.value)
        index = self.evaluate(node.slice)
        self.current = node
        self.budget.op(node)
        if isinstance(value, torch.Tensor):
            self.budget.tensor_elements(sizing.index_numel(value, index), node)
        elif isinstance(value, np.ndarray):
            numpy_module.check_index(index, node)
        return self.produced(value[index], node)

    def _eval_slice(self, node: ast.Slice) -> slice:
        # ('lower', 'upper', 'step')
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if part is None else self.evaluate(part) for part in parts))

    def _eval_call(self, node: ast.Call) -> Any:
        # ('func', 'args', 'keywords')
        func = self.evaluate(node.func)
        args = self.eval_items(node.args)
        kwargs = {kw.arg: self.evaluate(kw.value) for kw in node.keywords if kw.arg is not None}
        self.current = node
        return self.call(func, args, kwargs, node)

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        self.budget.op(node)
        if isinstance(func, UserFunction):
            return self.call_function(func, args, kwargs, node)
        method = classes.user_function(func)
        if method is not None:
            function, bound = method
            return self.call_function(function, [*bound, *args], kwargs, node)
        if func is _super:
            return self._super(args, node)
        if isinstance(func, classes.BaseInit):
            return func.bound(*args, **kwargs)
        if classes.is_user_class(func) or classes.is_apply(func):
            return self.produced(func(*args, **kwargs), node)
        if library.is_legacy_constructor(func):
            library.check_legacy_constructor(func, args, kwargs, node)
            return self.produced(func(*args, **kwargs), node)
        constructor = self.constructors.get(id(func))
        if constructor is not None:
            return self.produced(constructor(*args, **kwargs), node)
        if id(func) in self._builtin_ids:
            return self.produced(func(*args, **kwargs), node)
        if self.is_transform(func):
            return self.call_transform(func, args, kwargs, node)
        if vision.is_transform(func):
            return self.produced(vision.call(func, args, kwargs, self.budget, node), node)
        access.check_callable(func, node)
        containers.check_call(func, args, self.budget, node)
        self.budget.tensor_elements(sizing.estimate_call(func, args, kwargs), node)
        if isinstance(func, torch.nn.Module):
            self.budget.tensor_elements(library.module_output_numel(func, args), node)
            return self.produced(func(*args, **kwargs), node)
        library.check_call(func, args, kwargs, self.budget, node)
        return self._call_library(func, args, kwargs, node)

    def _call_library(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        """A torch function or an allowed method, with what some of them need around the call."""
        name = getattr(func, "__name__", "")
        owner = getattr(func, "__self__", None)
        args, kwargs = self.wrap_callables(func, args, kwargs, node)
        if name == "register_hook" and isinstance(owner, torch.Tensor) and args:
            handle = func(*args, **kwargs)
            self.hooks.append(handle)  # removed when the run ends
            return handle
        if name in _BACKWARD_NAMES:
            return self._backward(func, args, kwargs, node)
        if name == "astype" and isinstance(owner, np.ndarray):
            numpy_module.check_dtype(args[0] if args else kwargs.get("dtype"), node)
        if name == "join" and isinstance(owner, str) and args:
            args = [self._join_parts(owner, args[0], node)]
        if name in ("extend", "update") and type(owner) in (list, dict, OrderedDict) and args:
            args = [self._grown_by(owner, args[0], len(kwargs), node), *args[1:]]
        if name == "format" and isinstance(owner, str):
            return self.produced(str_format(owner, args, kwargs, self.budget, node), node)
        if name == "detach":
            return self.produced(func(*args, **kwargs), node, detached_from=owner)
        if name == "step" and self.recorder is not None:
            if isinstance(owner, torch.optim.Optimizer):
                self.recorder.before_step(owner)
                result = func(*args, **kwargs)
                self.recorder.after_step()
                return self.produced(result, node)
        return self.produced(func(*args, **kwargs), node)

    def wrap_callables(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> tuple[list[Any], dict[str, Any]]:
        return args, kwargs  # callbacks.py: the callables torch will call, made safe

    def _join_parts(self, separator: str, iterable: Any, node: ast.AST) -> list[Any]:
        """`sep.join(parts)`: the parts taken (bounded) and the result's length checked first."""
        parts = self.bounded_list(iterable)
        length = len(separator) * max(len(parts) - 1, 0)
        length += sum(len(part) for part in parts if isinstance(part, str))
        self.budget.sequence(length, node)
        return parts

    def _grown_by(self, owner: list | dict, iterable: Any, extra: int, node: ast.AST) -> list[Any]:
        """`l.extend(it)`, `d.update(it)`: C would consume `it` past every limit, so it is taken
        here (bounded), the grown size checked, and each new item checked as an insert is."""
        source = iterable.items() if isinstance(iterable, dict) else iterable
        items = self.bounded_list(source)
        self.budget.sequence(len(owner) + len(items) + extra, node)
        for item in items:
            value = item[1] if isinstance(owner, dict) and isinstance(item, tuple) else item
            containers.check_insert(owner, value, self.budget, node)
        return items

    def _backward(self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """`z.backward()`, `torch.autograd.backward/grad`: counted, and observed for the graph
        and for the training series (the loss and the parameters as they are now)."""
        self.budget.backward(node)
        roots, _ = roots_and_gradients(func, args, kwargs)
        graphsize.check_backward(roots, self.budget, node, self.graph_sizes)
        self.training.backward(roots, self.env, getattr(node, "lineno", 0))
        if self.recorder is None:
            return self.produced(func(*args, **kwargs), node)
        self.observing = True  # it reads saved tensors: the program's unpack hooks stay out
        try:
            self.recorder.before_backward(func, args, kwargs, node)
        finally:
            self.observing = False
        result = self.produced(func(*args, **kwargs), node)
        self.recorder.after_backward()
        return result

    def _super(self, args: list[Any], node: ast.AST) -> super:
        """`super()` inside a method, or `super(Class, self)` with a class of the program."""
        if not args:
            function = self.frame.function if self.frame is not None else None
            if function is None or function._owner is None:
                raise RuntimeError("super(): no arguments")
            if not function._params or function._params[0] not in self.frame.values:
                raise RuntimeError("super(): no arguments")
            args = [function._owner, self.frame.values[function._params[0]]]
        if len(args) != 2 or not classes.is_user_class(args[0]):
            raise NotAllowed(
                "super() not allowed here (only super() or super(Class, self) in a method "
                "of the program's class)",
                Span.of(node),
            )
        return super(args[0], args[1])

    def call_function(
        self, func: UserFunction, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        raise NotImplementedError  # the Interpreter runs function bodies

    def is_transform(self, func: Any) -> bool:
        return False  # transforms.py: torch.func's transforms and what they made

    def call_transform(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        raise NotImplementedError

    def bind(self, name: str, value: Any) -> None:
        """Assignment to a name: a local inside a function call, a global otherwise (or where
        the function's `global` / `nonlocal` declaration says)."""
        self.scope_of(name)[name] = value

    def scope_of(self, name: str) -> dict[str, Any]:
        """The variables a name is assigned (or deleted) in from where the program runs now."""
        frame = self.frame
        if frame is None or frame.declared_global(name):
            return self.env
        if frame.declared_nonlocal(name):
            owner = frame.free_frame(name)
            assert owner is not None  # the language checked the binding exists
            return owner.values
        return frame.values

    def scopes(self) -> list[dict[str, Any]]:
        return [self.env, *(frame.values for frame in self.frames)]

    def produced(self, result: Any, node: ast.AST, detached_from: Any = None) -> Any:
        """Count what an operation created; refuse what is too large after all."""
        if isinstance(result, np.ndarray):
            numpy_module.check_array(result, node)
            self.budget.tensor_dims(result.ndim, node)
            self.budget.allocate(result.size, node)
        elif isinstance(result, torch.Tensor):
            self.budget.tensor_dims(result.dim(), node)
            self.budget.allocate(result.numel(), node)
            if self.recorder is not None:
                self.recorder.tensor(result, node, detached_from)
        elif isinstance(result, int) and not isinstance(result, bool):
            self.budget.integer(result.bit_length(), node)
        elif isinstance(result, str | list | tuple | dict | set):
            self.budget.sequence(len(result), node)
            containers.check_built(result, self.budget, node)
            if isinstance(result, tuple | list) and result and isinstance(result[0], torch.Tensor):
                for item in result:  # x.split(1), x.max(dim=0), ...
                    if isinstance(item, torch.Tensor):
                        self.budget.allocate(item.numel(), node)
                        if self.recorder is not None:
                            self.recorder.tensor(item, node)
        return result

    def _eval_binop(self, node: ast.BinOp) -> Any:
        # ('left', 'op', 'right')
        left = self.evaluate(node.left)
        right = self.evaluate(node.right)
        self.current = node
        self.budget.op(node)
        check_binary(type(node.op), left, right, self.budget, node)
        return self.produced(BINARY[type(node.op)](left, right), node)

    def _eval_unaryop(self, node: ast.UnaryOp) -> Any:
        # ('op', 'operand')
        operand = self.evaluate(node.operand)
        self.current = node
        self.budget.op(node)
        return self.produced(UNARY[type(node.op)](operand), node)

    def _eval_boolop(self, node: ast.BoolOp) -> Any:
        # ('op', 'values') — short-circuits and returns an operand, as Python does
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for item in node.values:
            value = self.evaluate(item)
            if bool(value) != is_and:
                return value
        return value

    def _eval_compare(self, node: ast.Compare) -> Any:
        # ('left', 'ops', 'comparators') — chained, short-circuiting like Python
        left = self.evaluate(node.left)
        result: Any = True
        last = len(node.ops) - 1
        for index, (op, comparator) in enumerate(zip(node.ops, node.comparators, strict=True)):
            right = self.evaluate(comparator)
            self.current = node
            self.budget.op(node)
            if isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor):
                self.budget.tensor_elements(sizing.broadcast_numel([left, right]), node)
            self.budget.tensor_elements(numpy_module.broadcast_numel(left, right), node)
            containers.check_compare(left, right, self.budget, node)
            result = self.produced(COMPARE[type(op)](left, right), node)
            # Python truth-tests a link only when another one follows (`0 < x < 2`), so a
            # single `x > 0` on a vector is a tensor, not an error. By position: the AST
            # shares one operator object between equal links.
            if index < last and not result:
                return result
            left = right
        return result

    def _eval_ifexp(self, node: ast.IfExp) -> Any:
        # ('test', 'body', 'orelse')
        return self.evaluate(node.body) if self.evaluate(node.test) else self.evaluate(node.orelse)

    def _eval_list(self, node: ast.List) -> list[Any]:
        # ('elts', 'ctx')
        items = self.eval_items(node.elts)
        containers.check_built(items, self.budget, node)
        return items

    def _eval_tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        # ('elts', 'ctx')
        items = tuple(self.eval_items(node.elts))
        containers.check_built(items, self.budget, node)
        return items

    def eval_items(self, nodes: list[ast.expr]) -> list[Any]:
        """Elements of a display or call, with `*iterable` expanded (bounded)."""
        items: list[Any] = []
        for item in nodes:
            if isinstance(item, ast.Starred):
                items.extend(self.bounded_list(self.evaluate(item.value)))
            else:
                items.append(self.evaluate(item))
            self.budget.sequence(len(items), item)
        return items

    def _eval_dict(self, node: ast.Dict) -> dict[Any, Any]:
        # ('keys', 'values') — the language refused `**mapping` (a None key)
        result: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            assert key is not None
            result[self.evaluate(key)] = self.evaluate(value)
            self.budget.sequence(len(result), node)
        containers.check_built(result, self.budget, node)
        return result

    def _eval_set(self, node: ast.Set) -> set[Any]:
        # ('elts',)
        result = set(self.eval_items(node.elts))
        containers.check_built(result, self.budget, node)
        return result

    def _eval_comprehension(self, node: comprehensions.Comprehension) -> Any:
        result = comprehensions.evaluate(self, node)
        containers.check_built(result, self.budget, node)
        return result

    def _eval_lambda(self, node: ast.Lambda) -> UserFunction:
        return comprehensions.make_lambda(self, node)

    def _eval_yield(self, node: ast.Yield) -> None:
        # ('value',) — a generator's body runs to the end first (comprehensions.py)
        frame = self.frame
        assert frame is not None and frame.yielded is not None
        frame.yielded.append(None if node.value is None else self.evaluate(node.value))
        self.budget.sequence(len(frame.yielded), node)

    def _eval_joinedstr(self, node: ast.JoinedStr) -> str:
        # ('values',)
        parts, total = [], 0
        for part in node.values:  # counted part by part: the parts are never joined past it
            parts.append(shown(self.evaluate(part)))
            total += len(parts[-1])
            self.budget.sequence(total, node)
        return "".join(parts)

    def _eval_formattedvalue(self, node: ast.FormattedValue) -> str:
        # ('value', 'conversion', 'format_spec')
        value = original = self.evaluate(node.value)
        containers.walked((value,), self.budget, "formatting", node)
        if node.conversion in (ord("r"), ord("s"), ord("a")):
            value = {ord("r"): repr, ord("s"): str, ord("a"): ascii}[node.conversion](value)
        spec = "" if node.format_spec is None else self.evaluate(node.format_spec)
        check_format_spec(spec, self.budget, node)
        text = format(value, spec)
        return text if type(original) is str else clean(text)
