"""Static checks over the AST: the allow-list of node types, names, attributes and imports.

One handler per node type that needs more than "is this type allowed" (simpleeval style):
everything not in ALLOWED_NODES is refused by name, with the node's line and column.

Functions are `def name(a, b=1):` and `lambda`, anywhere (a function inside another one reads the
outer one's variables; `global` and `nonlocal` are checked as CPython does, in scopes.py): no
annotations, `*args`, `**kwargs`, keyword- or positional-only parameters; the only decorators are
`@staticmethod` (in a class) and torch's grad modes (`@torch.no_grad()`, `@torch.enable_grad()`).

Classes hold methods, class attributes and a docstring, at the top level or in a function (not in
another class); their bases are checked when the class statement runs (engine/classes.py). No
metaclass or other class keywords, no class decorators, and no method named with `_` except the
protocol ones PyTorch calls.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator

from app.lang import allowlist
from app.lang.check_definitions import (
    check_arg,
    check_class_def,
    check_function_def,
    check_lambda,
    is_in_function,
    loops_of,
    packed_place,
)
from app.lang.errors import LimitExceeded, NotAllowed, ProgramSyntaxError, Span
from app.lang.scopes import check_scopes
from app.settings import Limits

ALLOWED_NODES: frozenset[type[ast.AST]] = frozenset(
    {
        # statements
        ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.While, ast.If,
        ast.With, ast.withitem, ast.Break, ast.Continue, ast.Pass, ast.Import,
        ast.ImportFrom, ast.alias, ast.Assert, ast.FunctionDef, ast.Return, ast.arguments,
        ast.arg, ast.ClassDef, ast.Try, ast.ExceptHandler, ast.Raise, ast.Global,
        ast.Nonlocal, ast.Delete,
        # expressions
        ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Call,
        ast.keyword, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.List,
        ast.Tuple, ast.Starred, ast.JoinedStr, ast.FormattedValue, ast.Dict, ast.Set,
        ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
        ast.Lambda, ast.Yield,
        # contexts and operators
        ast.Load, ast.Store, ast.Del, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod,
        ast.Pow, ast.MatMult, ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor,
        ast.UAdd, ast.USub, ast.Not, ast.Invert, ast.And, ast.Or, ast.Eq, ast.NotEq,
        ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
    }
)  # fmt: skip

# Friendly names for what we refuse, so the message says what the student wrote.
REFUSED_NAMES: dict[type[ast.AST], str] = {
    ast.AsyncFunctionDef: "async function definitions",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.NamedExpr: "the walrus operator (:=)",
    ast.Match: "match statements",
    ast.AnnAssign: "annotated assignments",
    ast.TryStar: "try/except*",
}

PYTHON_BUILTINS = frozenset(dir(builtins))
# Why torch's file functions are refused: the message says what to use instead.
_NO_FILES = " (not supported: a program reads and writes no files; "
_FILE_FUNCTIONS = {
    "save": _NO_FILES + "model.state_dict() and load_state_dict() keep the tensors in memory)",
    "load": _NO_FILES + "model.state_dict() and load_state_dict() keep the tensors in memory)",
}
SUBMODULE_IMPORTS = frozenset({"nn", "autograd", "optim"})


def check_tree(module: ast.Module, limits: Limits) -> None:
    """Refuse anything outside the language, before any torch call. One pass collects the nodes
    (and the names the program assigns, which may come after their use); a second checks them in
    source order, so the first offence found is the one reported."""
    walked: list[tuple[ast.AST, int, int, ast.AST]] = []
    stored: set[str] = set()
    for item in _walk(module):
        if len(walked) <= limits.max_ast_nodes:
            walked.append(item)
        _collect_stored(item[0], stored)
    names = frozenset(stored)
    for count, (node, depth, place, placed) in enumerate(walked, start=1):
        if count > limits.max_ast_nodes:
            raise LimitExceeded(
                "max_ast_nodes", limits.max_ast_nodes, "program is too large", Span.of(placed)
            )
        if depth > limits.max_ast_depth:
            message = "program is nested too deeply"
            raise LimitExceeded("max_ast_depth", limits.max_ast_depth, message, Span.of(placed))
        _check_node(node, place, names, limits)
    # only a declaration can break the scope rules: most programs have none to check
    if any(isinstance(node, ast.Global | ast.Nonlocal) for node, _, _, _ in walked):
        check_scopes(module)


def _walk(module: ast.Module) -> Iterator[tuple[ast.AST, int, int, ast.AST]]:
    """Iterative walk in source order (no recursion, so deep trees cannot overflow the stack)
    with depth, place (loop depth: `break` outside a loop passes ast.parse but not the compiler;
    and whether inside a function: `return` outside one neither) and the nearest node that has a
    position (operators and contexts have none), for error spans. Reads `_fields` directly:
    ast.iter_child_nodes' generators were most of the cost of checking a program."""
    stack: list[tuple[ast.AST, int, int, ast.AST]] = [(module, 0, 0, module)]
    while stack:
        node, depth, place, placed = stack.pop()
        if hasattr(node, "lineno"):
            placed = node
        yield node, depth, place, placed
        # the else-branch of a loop is not inside the loop; decorators are evaluated outside
        if isinstance(node, ast.For | ast.While):
            inner, outside = packed_place(loops_of(place) + 1, is_in_function(place)), ("orelse",)
        elif isinstance(node, ast.FunctionDef):
            inner, outside = packed_place(0, True), ("decorator_list",)
        elif isinstance(node, ast.Lambda):
            inner, outside = packed_place(0, True), ("args",)
        elif isinstance(node, ast.ClassDef):
            inner = packed_place(0, is_in_function(place), in_class=True)
            outside = ("decorator_list", "bases", "keywords")
        else:
            inner, outside = packed_place(loops_of(place), is_in_function(place)), ()
        for name in reversed(node._fields):
            value = getattr(node, name, None)
            child_place = (
                packed_place(loops_of(place), is_in_function(place)) if name in outside else inner
            )
            if isinstance(value, ast.AST):
                stack.append((value, depth + 1, child_place, placed))
            elif isinstance(value, list):
                for item in reversed(value):
                    if isinstance(item, ast.AST):
                        stack.append((item, depth + 1, child_place, placed))


def _collect_stored(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.Name):
        if isinstance(node.ctx, ast.Store):
            names.add(node.id)
    elif isinstance(node, ast.alias):
        names.add((node.asname or node.name).split(".")[0])
    elif isinstance(node, ast.FunctionDef | ast.ClassDef):
        names.add(node.name)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        names.add(node.name)
    elif isinstance(node, ast.arg):
        names.add(node.arg)
    # Attribute names the program defines itself (`self.w = ...`, methods, class attributes)
    # may be read back; they are kept with a leading dot, apart from variable names.
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        names.add("." + node.attr)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.isidentifier() and not node.value.startswith("_"):
            names.add("." + node.value)  # a submodule named by a string (`OrderedDict`)
    elif isinstance(node, ast.ClassDef):
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef):
                names.add("." + statement.name)
            elif isinstance(statement, ast.Assign):
                names.update("." + t.id for t in statement.targets if isinstance(t, ast.Name))


def _check_node(node: ast.AST, place: int, stored: frozenset[str], limits: Limits) -> None:
    kind = type(node)
    if kind not in ALLOWED_NODES:
        what = REFUSED_NAMES.get(kind, kind.__name__)
        raise NotAllowed(f"{what} not allowed (not supported by the language)", Span.of(node))
    handler = _HANDLERS.get(kind)
    if handler is not None:
        handler(node, place, stored, limits)


def _check_name(node: ast.Name, _loops: int, stored: frozenset[str], _limits: Limits) -> None:
    # ('id', 'ctx')
    if node.id.startswith("_") and node.id != "_" and not _reads_main_name(node):
        raise NotAllowed(f"name '{node.id}' not allowed (names starting with '_')", Span.of(node))
    if (
        isinstance(node.ctx, ast.Load)
        and node.id in PYTHON_BUILTINS
        and node.id not in allowlist.BUILTINS
        and node.id not in allowlist.EXCEPTIONS
        and node.id not in allowlist.CONSTANT_NAMES
        and node.id not in stored
    ):
        raise NotAllowed(f"builtin '{node.id}' not allowed", Span.of(node))


def _reads_main_name(node: ast.Name) -> bool:
    """`__name__` may be read (it is '__main__', as for a script); never bound or deleted."""
    return node.id == "__name__" and isinstance(node.ctx, ast.Load)


def _check_attribute(node: ast.Attribute, _l: int, stored: frozenset[str], _lim: Limits) -> None:
    # ('value', 'attr', 'ctx') — which values take which names is decided at run time, by type
    # (engine/access.py); assigning is too (a program's objects take new attributes).
    shown = _dotted(node)
    if node.attr == "__init__" and _is_super_call(node.value) and isinstance(node.ctx, ast.Load):
        return
    if node.attr == "__version__" and isinstance(node.ctx, ast.Load):
        return  # only a module proxy has it (`torch.__version__`)
    if node.attr.startswith(allowlist.SAVED_PREFIX):
        if isinstance(node.ctx, ast.Load):
            return  # a graph node's saved tensors, read only (engine/access.py)
        raise NotAllowed(f"assigning '{shown}' not allowed (saved tensors are read-only)",
                         Span.of(node))  # fmt: skip
    if node.attr.startswith("_"):
        raise NotAllowed(
            f"attribute '{shown}' not allowed (names starting with '_')", Span.of(node)
        )
    if isinstance(node.ctx, ast.Load) and not (
        node.attr in allowlist.ALL_ATTRIBUTE_NAMES or "." + node.attr in stored
    ):
        reason = _FILE_FUNCTIONS.get(node.attr, "")
        raise NotAllowed(f"'{shown}' not allowed{reason}", Span.of(node))


def _is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def _check_constant(node: ast.Constant, _l: int, _s: frozenset[str], limits: Limits) -> None:
    # ('value', 'kind')
    value = node.value
    if isinstance(value, bytes):
        raise NotAllowed("bytes literals not allowed", Span.of(node))
    if isinstance(value, int) and value.bit_length() > limits.max_int_bits:
        raise LimitExceeded(
            "max_int_bits", limits.max_int_bits, "integer literal is too large", Span.of(node)
        )


def _check_call(node: ast.Call, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('func', 'args', 'keywords')
    seen: set[str] = set()
    for keyword in node.keywords:
        if keyword.arg is None:
            raise NotAllowed("'**' argument unpacking not allowed", Span.of(keyword))
        if keyword.arg in seen:
            raise ProgramSyntaxError(f"keyword argument repeated: {keyword.arg}", Span.of(keyword))
        seen.add(keyword.arg)


def _check_assign(node: ast.Assign, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('targets', 'value', 'type_comment')
    for target in node.targets:
        _check_target(target)


def _check_aug_assign(node: ast.AugAssign, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('target', 'op', 'value')
    _check_target(node.target)


def _check_for(node: ast.For, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('target', 'iter', 'body', 'orelse', 'type_comment')
    _check_target(node.target)


def _check_delete(node: ast.Delete, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('targets',) — names, attributes, items, and tuples or lists of them
    stack = list(node.targets)
    while stack:
        target = stack.pop()
        if isinstance(target, ast.Tuple | ast.List):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            raise ProgramSyntaxError("cannot delete starred", Span.of(target))


def _check_target(target: ast.expr) -> None:
    """What the compiler checks and ast.parse does not: where a starred target may stand."""
    if isinstance(target, ast.Starred):
        raise ProgramSyntaxError(
            "starred assignment target must be in a list or tuple", Span.of(target)
        )
    if isinstance(target, ast.Tuple | ast.List):
        starred = [elt for elt in target.elts if isinstance(elt, ast.Starred)]
        if len(starred) > 1:
            raise ProgramSyntaxError(
                "multiple starred expressions in assignment", Span.of(starred[1])
            )
        for elt in target.elts:
            _check_target(elt.value if isinstance(elt, ast.Starred) else elt)


def _check_loop_control(node: ast.stmt, place: int, _s: frozenset[str], _l: Limits) -> None:
    if loops_of(place) == 0:
        word = "break" if isinstance(node, ast.Break) else "continue"
        message = f"'{word}' outside loop" if word == "break" else "'continue' not properly in loop"
        raise ProgramSyntaxError(message, Span.of(node))


def _check_dict(node: ast.Dict, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('keys', 'values')
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            raise NotAllowed("'**' unpacking in a dict literal not allowed", Span.of(value))


def _check_comprehension(node: ast.comprehension, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('target', 'iter', 'ifs', 'is_async')
    if node.is_async:
        raise NotAllowed("async comprehensions not allowed", Span.of(node.iter))
    _check_target(node.target)


def _check_yield(node: ast.Yield, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('value',)
    if not is_in_function(place):
        raise ProgramSyntaxError("'yield' outside function", Span.of(node))


def _check_handler(node: ast.ExceptHandler, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('type', 'name', 'body')
    if node.name is not None and node.name.startswith("_") and node.name != "_":
        message = f"name '{node.name}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))


def _check_return(node: ast.Return, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('value',)
    if not is_in_function(place):
        raise NotAllowed("'return' outside function not allowed", Span.of(node))


def _check_import(node: ast.Import, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('names',)
    for alias in node.names:
        if alias.name not in allowlist.IMPORTABLE_MODULES:
            raise NotAllowed(
                f"import of '{alias.name}' not allowed (only torch and its nn, nn.functional, "
                "nn.init, autograd, autograd.functional, autograd.forward_ad, autograd.graph, "
                "optim and utils.data modules, torch.func, math, random, collections, numpy and "
                "torchvision.transforms)",
                Span.of(node),
            )


def _check_import_from(node: ast.ImportFrom, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('module', 'names', 'level')
    module = node.module or ""
    for alias in node.names:
        full = f"{module}.{alias.name}"
        importable = (
            full in allowlist.IMPORTABLE_MODULES
            or full in allowlist.IMPORTABLE_FROM
            or (
                module in allowlist.IMPORTABLE_MODULES
                and alias.name in allowlist.module_members(module)
            )
        )
        if node.level != 0 or not importable:
            raise NotAllowed(
                f"'from {'.' * node.level}{module} import {alias.name}' not allowed "
                "(only torch's modules that `import` takes, torch.utils.data's Dataset, "
                "TensorDataset and DataLoader, torch.autograd's Function and Variable, "
                "torch.nn's Module, and collections.OrderedDict)",
                Span.of(node),
            )


def _dotted(node: ast.expr) -> str:
    """`torch.nn.functional.relu` for a chain of names; `….attr` for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, ast.Name) else "…")
    return ".".join(reversed(parts))


_HANDLERS = {
    ast.Name: _check_name,
    ast.Attribute: _check_attribute,
    ast.Constant: _check_constant,
    ast.Call: _check_call,
    ast.Assign: _check_assign,
    ast.AugAssign: _check_aug_assign,
    ast.Delete: _check_delete,
    ast.For: _check_for,
    ast.Break: _check_loop_control,
    ast.Continue: _check_loop_control,
    ast.Import: _check_import,
    ast.ImportFrom: _check_import_from,
    ast.FunctionDef: check_function_def,
    ast.ClassDef: check_class_def,
    ast.Lambda: check_lambda,
    ast.Dict: _check_dict,
    ast.comprehension: _check_comprehension,
    ast.Yield: _check_yield,
    ast.ExceptHandler: _check_handler,
    ast.arg: check_arg,
    ast.Return: _check_return,
}
