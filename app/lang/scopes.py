"""`global` and `nonlocal` declarations, checked as CPython's symbol table checks them.

What the compiler refuses and `ast.parse` accepts: `nonlocal` at the top level, a `nonlocal`
name that no enclosing function binds, a name declared both ways or declared after the body
used it. A `global` or `nonlocal` name starting with `_` is refused by name (`global
__builtins__` would name the interpreter's own state). Everything here runs after checks.py,
so the tree is within max_ast_depth and the recursion over nested functions is bounded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from app.lang.errors import NotAllowed, ProgramSyntaxError, Span

_SCOPES = (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)  # fmt: skip
_DECLARATIONS = {ast.Global: "global", ast.Nonlocal: "nonlocal"}


def check_scopes(module: ast.Module) -> None:
    for node in _own_nodes(module.body):
        if isinstance(node, ast.Nonlocal):
            raise ProgramSyntaxError("nonlocal declaration not allowed at module level",
                                     Span.of(node))  # fmt: skip
        if isinstance(node, ast.Global):
            _check_names(node)
    _nested(module.body, frozenset())


def _nested(body: list[ast.AST], bound: frozenset[str]) -> None:
    """Check every function directly inside `body`'s scope; `bound`: the names enclosing
    functions have as locals."""
    for node in _own_nodes(body):
        if isinstance(node, ast.FunctionDef | ast.Lambda):
            _function(node, bound)
        elif isinstance(node, ast.ClassDef):
            _nested(node.body, bound)  # a class body binds nothing its methods see


def _function(node: ast.FunctionDef | ast.Lambda, bound: frozenset[str]) -> None:
    params = {arg.arg for arg in node.args.args}
    body: list[ast.AST] = list(node.body) if isinstance(node, ast.FunctionDef) else [node.body]
    uses: dict[str, str] = {}  # what the body did with a name so far: "use" or "assign"
    declared: dict[str, tuple[str, ast.AST]] = {}  # name → kind, where
    assigned = set(params)
    for child in _own_nodes(body):
        if isinstance(child, ast.Global | ast.Nonlocal):
            _declare(child, params, uses, declared, bound)
            continue
        for name, how in _names_in(child):
            if how == "assign":
                assigned.add(name)
            if uses.get(name) != "use":
                uses[name] = how
    locals_ = frozenset(name for name in assigned if name not in declared)
    globals_ = frozenset(name for name, (kind, _) in declared.items() if kind == "global")
    _nested(body, (bound | locals_) - globals_)


def _declare(
    node: ast.Global | ast.Nonlocal,
    params: set[str],
    uses: dict[str, str],
    declared: dict[str, tuple[str, ast.AST]],
    bound: frozenset[str],
) -> None:
    kind = _DECLARATIONS[type(node)]
    _check_names(node)
    for name in node.names:
        other, where = declared.get(name, (None, node))
        if name in params:
            message = f"name '{name}' is parameter and {kind}"
        elif other is not None and other != kind:  # CPython names the first declaration
            message = f"name '{name}' is nonlocal and global"
        elif uses.get(name) == "use":
            message = f"name '{name}' is used prior to {kind} declaration"
        elif uses.get(name) == "assign":
            message = f"name '{name}' is assigned to before {kind} declaration"
        elif kind == "nonlocal" and name not in bound:
            message = f"no binding for nonlocal '{name}' found"
        else:
            declared[name] = (kind, node)
            continue
        raise ProgramSyntaxError(message, Span.of(where))


def _check_names(node: ast.Global | ast.Nonlocal) -> None:
    for name in node.names:
        if name.startswith("_") and name != "_":
            kind = _DECLARATIONS[type(node)]
            message = f"{kind} name '{name}' not allowed (names starting with '_')"
            raise NotAllowed(message, Span.of(node))


def _names_in(node: ast.AST) -> Iterator[tuple[str, str]]:
    if isinstance(node, ast.Name):
        yield node.id, "use" if isinstance(node.ctx, ast.Load) else "assign"
    elif isinstance(node, ast.FunctionDef | ast.ClassDef):
        yield node.name, "assign"
    elif isinstance(node, ast.alias):
        yield (node.asname or node.name).split(".")[0], "assign"
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, "assign"


def _own_nodes(body: list[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of one scope in source order; a nested scope is yielded but not entered
    (except the parts evaluated where it stands: decorators, defaults, a comprehension's
    first iterable)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            outside: list[ast.AST] = list(node.decorator_list)
            if isinstance(node, ast.FunctionDef):
                outside += node.args.defaults
            else:
                outside += node.bases
            stack.extend(reversed(outside))
        elif isinstance(node, ast.Lambda):
            stack.extend(reversed(node.args.defaults))
        elif isinstance(node, _SCOPES):
            stack.append(node.generators[0].iter)  # type: ignore[union-attr]
        else:
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
