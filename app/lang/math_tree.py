"""Math notation's expression tree and the state of one program while it is read: what is
assigned, which leaves appeared, and the running size of the Python it will become."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.lang.errors import LimitExceeded
from app.lang.math_tokens import Tok, fail
from app.lang.math_typeset import typeset
from app.settings import Limits

NESTING_CAP = 100
# Python AST nodes each tree node becomes (the limits are measured on the emitted Python)
_PY_NODES = {"num": 1, "const": 1, "name": 2, "neg": 2, "bin": 2, "call": 5, "pair": 5, "tensor": 5}
STATEMENT_NODES = 3


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


FLOAT_FUNCTIONS: dict[str, Callable[..., float]] = {
    **{name: getattr(math, name) for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh")},
    **{"abs": abs, "sigmoid": _sigmoid, "relu": lambda v: max(v, 0.0)},
    **{"maximum": max, "minimum": min},
}
_FLOAT_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@dataclass(frozen=True, slots=True)
class Node:
    kind: str  # num, name, const, neg, bin (text: the op), call / pair (text: torch fn), tensor
    text: str  # num, const: the Python literal; name: the Python name
    args: tuple[Node, ...]
    depth: int  # levels of Python AST below and including this node
    deps: frozenset[str]  # leaves this value depends on
    shown: str = ""  # how the student wrote it: "σ", "ln", "√", "|", "e^"; a folded constant's text


@dataclass(slots=True)
class Program:
    inputs: Mapping[str, object]
    limits: Limits
    cap: int = 0
    assigned: dict[str, Node] = field(default_factory=dict)
    defined: dict[str, tuple[str, ...]] = field(default_factory=dict)  # f(x, y) = ...
    consts: dict[str, float | None] = field(default_factory=dict)
    leaves: dict[str, Tok] = field(default_factory=dict)
    py_nodes: int = 3

    def __post_init__(self) -> None:
        self.cap = min(self.limits.max_ast_depth, NESTING_CAP)

    def known(self, name: str) -> bool:
        return name in self.inputs or name in self.assigned

    def too_deep(self, tok: Tok) -> LimitExceeded:
        msg = "the expression is nested too deeply; split it over several lines"
        return LimitExceeded("max_ast_depth", self.cap, msg, tok.span())

    def make(self, kind: str, text: str, args: tuple[Node, ...], tok: Tok, shown: str = "") -> Node:
        floor = {"name": 2, "call": 4, "pair": 4, "tensor": 4}.get(kind, 1)
        depth = max([floor, *(1 + a.depth for a in args)])
        if depth + 1 > self.cap:
            raise self.too_deep(tok)
        self.py_nodes += _PY_NODES[kind]
        if self.py_nodes > self.limits.max_ast_nodes:
            msg = "the program is too large"
            raise LimitExceeded("max_ast_nodes", self.limits.max_ast_nodes, msg, tok.span())
        deps = frozenset().union(*(a.deps for a in args))
        return Node(kind, text, args, depth, deps, shown)

    def name(self, tok: Tok) -> Node:
        node = self.make("name", tok.text, (), tok)
        if tok.text in self.assigned:
            return Node("name", tok.text, (), node.depth, self.assigned[tok.text].deps)
        self.leaves.setdefault(tok.text, tok)
        return Node("name", tok.text, (), node.depth, frozenset({tok.text}))

    def number(self, tok: Tok) -> Node:
        if "." in tok.text:
            if not math.isfinite(float(tok.text)):
                raise fail(tok, "this number is too large", "这个数太大了")
            return self.make("num", repr(float(tok.text)), (), tok)
        digits = tok.text.lstrip("+-").lstrip("0") or "0"
        if len(digits) > 4000 or int(digits).bit_length() > self.limits.max_int_bits:
            msg = "this integer is too large"
            raise LimitExceeded("max_int_bits", self.limits.max_int_bits, msg, tok.span())
        return self.make("num", digits, (), tok)

    def binop(self, tok: Tok, left: Node, right: Node) -> Node:
        op = "**" if tok.text in ("^", "**") else tok.text
        return self.make("bin", op, (left, right), tok)

    def call(self, tok: Tok, function: str, args: tuple[Node, ...], shown: str) -> Node:
        """torch.`function`(*args); a function of constants is computed here (torch needs
        tensors), and a constant beside a tensor in max/min becomes torch.tensor(c)."""
        kind = "pair" if len(args) == 2 else "call"
        if any(arg.deps for arg in args):
            if kind == "pair":
                args = tuple(a if a.deps else self.wrap_constant(tok, a) for a in args)
            return self.make(kind, function, args, tok, shown)
        folded = Node(kind, function, args, 0, frozenset(), shown)
        try:
            value = FLOAT_FUNCTIONS[function](*(value_of(a, self.consts) for a in args))
        except (ArithmeticError, ValueError, TypeError):
            value = math.nan
        if not isinstance(value, float | int) or not math.isfinite(value):
            en = f"{tok.shown}(...) of this constant has no finite real value"
            raise fail(tok, en, f"{tok.shown}(...) 在这个常数处没有有限的实数值")
        return self.constant(tok, float(value), folded)

    def constant(self, tok: Tok, value: float, was: Node) -> Node:
        literal = self.make("num", repr(abs(value)), (), tok, typeset(was))
        if math.copysign(1, value) >= 0:
            return literal
        return self.make("neg", "-", (literal,), tok, typeset(was))

    def wrap_constant(self, tok: Tok, node: Node) -> Node:
        try:
            value = float(value_of(node, self.consts))
        except (ArithmeticError, ValueError, TypeError):
            value = math.nan
        if not math.isfinite(value):
            raise fail(tok, "this constant has no finite real value", "这个常数没有有限的实数值")
        return self.make("tensor", "tensor", (self.constant(tok, value, node),), tok)

    def assign(self, name: str, node: Node) -> None:
        self.assigned[name] = node
        self.py_nodes += STATEMENT_NODES
        try:
            self.consts[name] = None if node.deps else float(value_of(node, self.consts))
        except (ArithmeticError, ValueError, TypeError):
            self.consts[name] = None


def value_of(node: Node, consts: Mapping[str, float | None]) -> float:
    """The float value of a constant subtree (depth is bounded by the nesting cap)."""
    if node.kind in ("num", "const"):
        return float(node.text)
    if node.kind == "name":
        known = consts.get(node.text)
        if known is None:
            raise ValueError(node.text)
        return known
    values = [value_of(arg, consts) for arg in node.args]
    if node.kind == "neg":
        return -values[0]
    if node.kind == "tensor":
        return values[0]
    if node.kind in ("call", "pair"):
        return float(FLOAT_FUNCTIONS[node.text](*values))
    result = values[0] ** values[1] if node.text == "**" else _FLOAT_OPS[node.text](*values)
    if not isinstance(result, float | int):
        raise ValueError("not a real number")
    return float(result)
