"""The math suites' oracle: compiled programs run by real Python + torch (one subprocess per
table) and compared with sympy's value and every partial derivative, built by hand in the table.
"""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from app.lang.math_notation import MathCompilation


class _Symbols:
    """`s.x` is the real sympy Symbol named x (equal to every other Symbol('x', real=True))."""

    def __getattr__(self, name: str) -> sp.Symbol:
        return sp.Symbol(name, real=True)


def sigmoid(u: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-u))


def relu(u: sp.Expr) -> sp.Expr:
    return sp.Max(0, u)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    inputs: dict[str, Any]
    formula: Callable[[Any], sp.Expr]


RUNNER = r"""
import json, sys
import torch
results = {}
for job in json.load(sys.stdin):
    scope = {}
    try:
        exec(job["code"], scope)
        grads = {}
        for name in job["leaves"]:
            grad = scope[name].grad
            grads[name] = None if grad is None else grad.reshape(-1).tolist()
        value = scope[job["output"]].detach().reshape(-1).tolist()
        results[job["id"]] = {"value": value, "grads": grads}
    except Exception as exc:
        results[job["id"]] = {"error": repr(exc)}
print(json.dumps(results))
"""


def execute(cases: list[Case], compiled: dict[str, MathCompilation]) -> dict[str, dict[str, Any]]:
    """Every compiled program run by real Python + torch, in one subprocess."""
    jobs = [
        {"id": case.id, "code": compiled[case.id].code, "output": compiled[case.id].output,
         "leaves": leaves(case, compiled[case.id])}
        for case in cases
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(jobs), capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def leaves(case: Case, compilation: MathCompilation) -> list[str]:
    return [*case.inputs, *compilation.defaulted]


def _number(expr: sp.Expr, point: dict[sp.Symbol, float]) -> float:
    return float(expr.subs(point).evalf())


def expected(case: Case, leaves: list[str]) -> tuple[list[float], dict[str, list[float]]]:
    """Sympy's value (elementwise for vectors) and each leaf's gradient of the summed output."""
    formula = case.formula(_Symbols())
    values = {name: case.inputs.get(name, 1.0) for name in leaves}
    size = max((len(v) for v in values.values() if isinstance(v, list)), default=1)
    points = [
        {sp.Symbol(n, real=True): (v[k] if isinstance(v, list) else v) for n, v in values.items()}
        for k in range(size)
    ]
    value = [_number(formula, point) for point in points]
    grads = {}
    for name in leaves:
        derivative = sp.diff(formula, sp.Symbol(name, real=True))
        per_point = [_number(derivative, point) for point in points]
        grads[name] = per_point if isinstance(values[name], list) else [sum(per_point)]
    return value, grads


def close(actual: list[float], expected: list[float]) -> bool:
    return len(actual) == len(expected) and all(
        math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)
        for a, b in zip(actual, expected, strict=True)
    )


def assert_matches_sympy(case: Case, compilation: MathCompilation, result: dict[str, Any]) -> None:
    assert "error" not in result, result.get("error")
    names = leaves(case, compilation)
    value, grads = expected(case, names)
    assert close(result["value"], value), (result["value"], value)
    for name in names:
        actual = result["grads"][name] or [0.0] * len(grads[name])
        assert close(actual, grads[name]), (name, actual, grads[name])


TORCH_ATTRS = {"tensor", *"sin cos tan exp log sqrt abs tanh sigmoid relu maximum minimum".split()}
PLAIN_NODES = (ast.Module, ast.Import, ast.alias, ast.Assign, ast.Expr, ast.Name, ast.Load,
               ast.Store, ast.List, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow,
               ast.UnaryOp, ast.USub)  # fmt: skip


def refused(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        on_torch = isinstance(node.value, ast.Name) and node.value.id == "torch"
        return node.attr not in (TORCH_ATTRS if on_torch else {"backward", "sum"})
    if isinstance(node, ast.keyword):
        return node.arg != "requires_grad" or getattr(node.value, "value", None) is not True
    if isinstance(node, ast.Constant):
        return type(node.value) not in (int, float, bool)
    if isinstance(node, ast.Call):
        return not isinstance(node.func, ast.Attribute)
    return not isinstance(node, PLAIN_NODES)


def only_allowed_constructs(code: str) -> list[str]:
    """The AST nodes of `code` outside what math notation may emit (empty: all allowed)."""
    return [ast.dump(node) for node in ast.walk(ast.parse(code)) if refused(node)]
