"""Static checks of definitions: `def`, `lambda`, their parameters and decorators, `class`.

Where a node stands is packed in one int (`place`), so every handler keeps checks.py's signature:
how many loops enclose it within its function, whether it is in a function body, and whether it
stands directly in a class body.
"""

from __future__ import annotations

import ast

from app.lang.errors import NotAllowed, ProgramSyntaxError, Span
from app.settings import Limits

# Methods PyTorch or Python call on a program's class: the only `_` names a class may define.
PROTOCOL_DUNDERS = frozenset({"__init__", "__len__", "__getitem__"})
GRAD_MODE_DECORATORS = frozenset({"no_grad", "enable_grad", "inference_mode"})
# Friendly names of statements a class body may not hold.
_STATEMENT_NAMES = {ast.For: "for", ast.While: "while", ast.If: "if", ast.Import: "import"}


def packed_place(loops: int, in_function: bool, in_class: bool = False) -> int:
    return loops * 4 + int(in_class) * 2 + int(in_function)


def loops_of(place: int) -> int:
    return place // 4


def is_in_function(place: int) -> bool:
    return bool(place % 2)


def is_in_class(place: int) -> bool:
    return bool(place & 2)


def check_function_def(node: ast.FunctionDef, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('name', 'args', 'body', 'decorator_list', 'returns', 'type_comment')
    for decorator in node.decorator_list:
        _check_decorator(decorator, is_in_class(place))
    if is_in_class(place) and node.name in PROTOCOL_DUNDERS:
        pass
    elif node.name.startswith("_"):
        message = f"function name '{node.name}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))
    if node.returns is not None:
        raise NotAllowed("annotations not allowed", Span.of(node.returns))
    _check_arguments(node.args, "function definition")


def check_lambda(node: ast.Lambda, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('args', 'body')
    _check_arguments(node.args, "lambda")


def _check_arguments(arguments: ast.arguments, where: str) -> None:
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
            message = f"duplicate argument '{parameter.arg}' in {where}"
            raise ProgramSyntaxError(message, Span.of(parameter))
        seen.add(parameter.arg)


def _check_decorator(node: ast.expr, in_class: bool) -> None:
    if in_class and isinstance(node, ast.Name) and node.id == "staticmethod":
        return
    if (
        isinstance(node, ast.Call)
        and not node.args
        and not node.keywords
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in GRAD_MODE_DECORATORS
        and isinstance(node.func.value, ast.Name)
    ):
        return
    raise NotAllowed(
        "this decorator not allowed (only @staticmethod in a class, @torch.no_grad() and "
        "@torch.enable_grad())",
        Span.of(node),
    )


def check_class_def(node: ast.ClassDef, place: int, _s: frozenset[str], _l: Limits) -> None:
    # ('name', 'bases', 'keywords', 'body', 'decorator_list')
    if is_in_class(place):
        raise NotAllowed("class definitions inside a class not allowed", Span.of(node))
    if node.keywords:
        raise NotAllowed("class keywords (metaclass=...) not allowed", Span.of(node.keywords[0]))
    if node.decorator_list:
        raise NotAllowed("class decorators not allowed", Span.of(node.decorator_list[0]))
    if node.name.startswith("_"):
        message = f"class name '{node.name}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))
    for base in node.bases:
        if isinstance(base, ast.Starred):
            raise NotAllowed("'*' in a class's bases not allowed", Span.of(base))
    for statement in node.body:
        _check_class_statement(statement)


def _check_class_statement(statement: ast.stmt) -> None:
    """A class body holds methods, `name = value` class attributes, `pass` and a docstring."""
    if isinstance(statement, ast.FunctionDef | ast.Pass):
        return
    if isinstance(statement, ast.Assign) and all(
        isinstance(target, ast.Name) for target in statement.targets
    ):
        return
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return
    what = _STATEMENT_NAMES.get(type(statement), type(statement).__name__)
    raise NotAllowed(
        f"{what} in a class body not allowed (only methods, `name = value` and a docstring)",
        Span.of(statement),
    )


def check_arg(node: ast.arg, _p: int, _s: frozenset[str], _l: Limits) -> None:
    # ('arg', 'annotation', 'type_comment')
    if node.arg.startswith("_") and node.arg != "_":
        message = f"parameter '{node.arg}' not allowed (names starting with '_')"
        raise NotAllowed(message, Span.of(node))
    if node.annotation is not None:
        raise NotAllowed("annotations not allowed", Span.of(node.annotation))
