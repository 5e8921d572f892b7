"""Static checks over the AST: the allow-list of node types, names, attributes and imports.

One handler per node type that needs more than "is this type allowed" (simpleeval style):
everything not in ALLOWED_NODES is refused by name, with the node's line and column.

Functions are plain `def name(a, b=1):` with `return`, at the top level or inside loops and ifs:
no decorators, annotations, `*args`, `**kwargs`, keyword- or positional-only parameters, and no
function inside another one (so there are no closures).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator

from app.lang import allowlist
from app.lang.errors import LimitExceeded, NotAllowed, ProgramSyntaxError, Span
from app.settings import Limits

ALLOWED_NODES: frozenset[type[ast.AST]] = frozenset(
    {
        # statements
        ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.While, ast.If,
        ast.With, ast.withitem, ast.Break, ast.Continue, ast.Pass, ast.Import,
        ast.ImportFrom, ast.alias, ast.Assert, ast.FunctionDef, ast.Return, ast.arguments,
        ast.arg,
        # expressions
        ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Call,
        ast.keyword, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.List,
        ast.Tuple, ast.Starred, ast.JoinedStr, ast.FormattedValue,
        # contexts and operators
        ast.Load, ast.Store, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod,
        ast.Pow, ast.MatMult, ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor,
        ast.UAdd, ast.USub, ast.Not, ast.Invert, ast.And, ast.Or, ast.Eq, ast.NotEq,
        ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
    }
)  # fmt: skip

# Friendly names for what we refuse, so the message says what the student wrote.
REFUSED_NAMES: dict[type[ast.AST], str] = {
    ast.AsyncFunctionDef: "async function definitions",
    ast.Lambda: "lambda",
    ast.ClassDef: "class definitions",
    ast.Try: "try/except",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions",
    ast.DictComp: "dict comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Dict: "dict literals",
    ast.Set: "set literals",
    ast.Delete: "del",
    ast.Raise: "raise",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.NamedExpr: "the walrus operator (:=)",
    ast.Match: "match statements",
    ast.AnnAssign: "annotated assignments",
}

PYTHON_BUILTINS = frozenset(dir(builtins))
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


# Where a node stands: how many loops enclose it (within its function), and whether it is in a
# function body. Packed in one int, loops * 2 + in_function, to keep the handlers' signature.
def _place(loops: int, in_function: bool) -> int:
    return loops * 2 + int(in_function)


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
        outside_field = None
        if isinstance(node, ast.For | ast.While):
            loops, in_function = divmod(place, 2)
            inner, outside_field = _place(loops + 1, bool(in_function)), "orelse"
        elif isinstance(node, ast.FunctionDef):
            inner, outside_field = _place(0, True), "decorator_list"
        else:
            inner = place
        for name in reversed(node._fields):
            value = getattr(node, name, None)
            child_place = place if name == outside_field else inner
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
    elif isinstance(node, ast.FunctionDef):
        names.add(node.name)
    elif isinstance(node, ast.arg):
        names.add(node.arg)


def _check_node(node: ast.AST, place: int, stored: frozenset[str], limits: Limits) -> None:
    kind = type(node)
    if kind not in ALLOWED_NODES:
        what = REFUSED_NAMES.get(kind, kind.__name__)
        raise NotAllowed(f"{what} not allowed", Span.of(node))
    handler = _HANDLERS.get(kind)
    if handler is not None:
        handler(node, place, stored, limits)


def _check_name(node: ast.Name, _loops: int, stored: frozenset[str], _limits: Limits) -> None:
    # ('id', 'ctx')
    if node.id.startswith("_"):
        raise NotAllowed(f"name '{node.id}' not allowed (names starting with '_')", Span.of(node))
    if (
        isinstance(node.ctx, ast.Load)
        and node.id in PYTHON_BUILTINS
        and node.id not in allowlist.BUILTINS
        and node.id not in allowlist.CONSTANT_NAMES
        and node.id not in stored
    ):
        raise NotAllowed(f"builtin '{node.id}' not allowed", Span.of(node))


def _check_attribute(node: ast.Attribute, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('value', 'attr', 'ctx')
    shown = _dotted(node)
    if node.attr.startswith("_"):
        raise NotAllowed(
            f"attribute '{shown}' not allowed (names starting with '_')", Span.of(node)
        )
    if node.attr not in allowlist.ALL_ATTRIBUTE_NAMES:
        raise NotAllowed(f"'{shown}' not allowed", Span.of(node))
    if isinstance(node.ctx, ast.Store) and node.attr not in allowlist.TENSOR_SETTABLE:
        raise NotAllowed(f"assigning to '{shown}' not allowed", Span.of(node))


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
    if place // 2 == 0:
        word = "break" if isinstance(node, ast.Break) else "continue"
        message = f"'{word}' outside loop" if word == "break" else "'continue' not properly in loop"
        raise ProgramSyntaxError(message, Span.of(node))


def _check_function_def(node: ast.FunctionDef, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('name', 'args', 'body', 'decorator_list', 'returns', 'type_comment')
    if place % 2:
        raise NotAllowed("nested function definitions (def inside def) not allowed", Span.of(node))
    if node.decorator_list:
        raise NotAllowed("decorators not allowed", Span.of(node.decorator_list[0]))
    if node.name.startswith("_"):
        message = f"function name '{node.name}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))
    if node.returns is not None:
        raise NotAllowed("annotations not allowed", Span.of(node.returns))
    arguments = node.args
    refused = (
        (arguments.vararg, "*args parameters"),
        (arguments.kwarg, "**kwargs parameters"),
        (arguments.kwonlyargs[0] if arguments.kwonlyargs else None, "keyword-only parameters"),
        (arguments.posonlyargs[0] if arguments.posonlyargs else None, "positional-only parameters"),
    )
    for where, what in refused:
        if where is not None:
            raise NotAllowed(f"{what} not allowed", Span.of(where))
    seen: set[str] = set()
    for parameter in arguments.args:
        if parameter.arg in seen:
            message = f"duplicate argument '{parameter.arg}' in function definition"
            raise ProgramSyntaxError(message, Span.of(parameter))
        seen.add(parameter.arg)


def _check_arg(node: ast.arg, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('arg', 'annotation', 'type_comment')
    if node.arg.startswith("_"):
        message = f"parameter '{node.arg}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))
    if node.annotation is not None:
        raise NotAllowed("annotations not allowed", Span.of(node.annotation))


def _check_return(node: ast.Return, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('value',)
    if place % 2 == 0:
        raise NotAllowed("'return' outside function not allowed", Span.of(node))


def _check_import(node: ast.Import, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('names',)
    for alias in node.names:
        if alias.name not in allowlist.IMPORTABLE_MODULES:
            raise NotAllowed(
                f"import of '{alias.name}' not allowed (only torch and its nn, "
                "nn.functional, autograd and optim modules)",
                Span.of(node),
            )


def _check_import_from(node: ast.ImportFrom, _l: int, _s: frozenset[str], _lim: Limits) -> None:
    # ('module', 'names', 'level')
    module = node.module or ""
    for alias in node.names:
        full = f"{module}.{alias.name}"
        importable = full in allowlist.IMPORTABLE_MODULES or full in allowlist.IMPORTABLE_FROM
        if node.level != 0 or not importable:
            raise NotAllowed(
                f"'from {'.' * node.level}{module} import {alias.name}' not allowed "
                "(only torch's nn, nn.functional, autograd and optim modules, and "
                "torch.utils.data's TensorDataset and DataLoader)",
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
    ast.For: _check_for,
    ast.Break: _check_loop_control,
    ast.Continue: _check_loop_control,
    ast.Import: _check_import,
    ast.ImportFrom: _check_import_from,
    ast.FunctionDef: _check_function_def,
    ast.arg: _check_arg,
    ast.Return: _check_return,
}
