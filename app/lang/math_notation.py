"""Student math notation → PyTorch source, by our own tokenizer and precedence-climbing parser.

The text is never evaluated, exec'd or handed to another parser: it is tokenized here, parsed
into a small tree and printed as Python that uses only the constructs the interpreter allows.

Rules
-----
* One ``name = expression`` per line; blank lines and ``#`` comments are skipped. The last
  assigned name is the output; a bare expression is an error ("write it as an assignment").
* A *run* is a letter (any alphabet: ``θ``, ``α``) followed by letters, ASCII digits and ``_``.
  In an expression a run means, first rule that applies:
  1. a known name (an input key, or assigned on an earlier line) — the whole run;
  2. a function (sin cos tan exp log ln sqrt abs tanh sigmoid relu), which must be followed by
     ``(`` (``sin x`` is an error), or a constant (``pi``, ``e``);
  3. one variable when it is a single letter with optional digits (``x``, ``w1``, ``θ2``) or
     contains ``_`` (``x_2``, ``my_rate``);
  4. a product of single letters (``xy`` → ``x*y``, ``αβ`` → ``α*β``) only when every letter is
     known and no function, constant or multi-letter known name is inside it.
  Anything else is an error with a hint, never a guess: ``sinx`` (write ``sin(x)``), ``xe``
  (``x*e``), ``rate`` with no input ``rate`` (add it, or write ``r*a*t*e``), ``x2y``; before
  ``(`` it is an "unknown function" (``foo(x)``) unless it ends in one (``xsin(x)``).
* Numbers: ``2``, ``2.5``, ``.5``; a digit never starts a name, so ``2x`` is ``2*x``.
  ``2e3`` / ``2e-3`` are refused (scientific notation or ``2*e*3``?).
* Juxtaposition multiplies, with the precedence of ``*``: ``2x``, ``3xy``, ``x y``, ``2(x+1)``,
  ``(x+1)(x-1)``, ``2sin(x)``, ``f(x)`` (= ``f*x``). Errors: a number after another factor
  (``x 2``, ``(x+1)2``); a factor right after a ``/`` operand (``1/2x``: ``(1/2)x`` or
  ``1/(2x)``?); a factor right after an exponent without parentheses (``x^2y``, ``e^2x``: write
  ``x^2*y`` or ``e^(2x)``).
  Spaces only separate runs (``x y``); they never change grouping.
* ``^`` and ``**`` are power, right-associative, tighter than unary minus (``-x^2`` is
  ``-(x^2)``); an exponent may carry a sign (``2^-1``). ``e^u`` becomes ``torch.exp(u)``.
* A function of a constant (``sin(pi/6)``) is computed here, since torch functions need tensors.
* Leaves: names used before any assignment, in order of first appearance, valued from
  ``inputs`` or 1.0 (listed in ``defaulted``); a leaf cannot be assigned later. Inputs the text
  does not use are ignored. The output must depend on a leaf. ``line_map`` covers the
  assignment lines and the backward line (mapped to the output's line).
* Limits: max_source_chars; max_ast_depth and max_ast_nodes measured on the Python the code
  becomes (nesting is also capped at 100 so recursion stays bounded); max_int_bits;
  max_tensor_elements for list inputs.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.lang.errors import LimitExceeded, ProgramSyntaxError
from app.lang.math_tokens import (
    CONSTANTS,
    FUNCTIONS,
    Tok,
    fail,
    leaf_literal,
    name_problem,
    resolve,
    tokenize,
)
from app.settings import Limits

_NESTING_CAP = 100
_PY_NODES = {"num": 1, "const": 1, "name": 2, "neg": 2, "bin": 2, "call": 5}
_STATEMENT_NODES, _LEAF_NODES, _BACKWARD_NODES = 3, 11, 9


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


_FLOAT_FUNCTIONS: dict[str, Callable[[float], float]] = {
    **{name: getattr(math, name) for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh")},
    **{"abs": abs, "sigmoid": _sigmoid, "relu": lambda v: max(v, 0.0)},
}
_FLOAT_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@dataclass(frozen=True, slots=True)
class MathCompilation:
    code: str  # the full PyTorch program, starting with "import torch\n"
    output: str  # the last assigned name
    defaulted: tuple[str, ...]  # leaves with no entry in `inputs` (1.0), first appearance order
    summed: bool  # the output is not a scalar, so backward ran on output.sum()
    line_map: dict[int, int]  # line in `code` -> line in the math text


@dataclass(frozen=True, slots=True)
class _Node:
    kind: str  # num, name, const (text is the literal), neg, bin (text is the op), call (torch fn)
    text: str
    args: tuple[_Node, ...]
    depth: int  # levels of Python AST below and including this node
    deps: frozenset[str]  # leaves this value depends on


# ---------------------------------------------------------------- program state


class _Program:
    def __init__(self, inputs: Mapping[str, object], limits: Limits) -> None:
        self.inputs, self.limits = inputs, limits
        self.cap = min(limits.max_ast_depth, _NESTING_CAP)
        self.assigned: dict[str, _Node] = {}
        self.consts: dict[str, float | None] = {}
        self.leaves: dict[str, Tok] = {}
        self.py_nodes = 3

    def known(self, name: str) -> bool:
        return name in self.inputs or name in self.assigned

    def too_deep(self, tok: Tok) -> LimitExceeded:
        msg = "the expression is nested too deeply; split it over several lines"
        return LimitExceeded("max_ast_depth", self.cap, msg, tok.span())

    def make(self, kind: str, text: str, args: tuple[_Node, ...], tok: Tok) -> _Node:
        floor = {"name": 2, "call": 4}.get(kind, 1)
        depth = max([floor, *(1 + a.depth for a in args)])
        if depth + 1 > self.cap:
            raise self.too_deep(tok)
        self.py_nodes += _PY_NODES[kind]
        if self.py_nodes > self.limits.max_ast_nodes:
            msg = "the program is too large"
            raise LimitExceeded("max_ast_nodes", self.limits.max_ast_nodes, msg, tok.span())
        deps = frozenset().union(*(a.deps for a in args))
        return _Node(kind, text, args, depth, deps)

    def name(self, tok: Tok) -> _Node:
        node = self.make("name", tok.text, (), tok)
        if tok.text in self.assigned:
            return _Node("name", tok.text, (), node.depth, self.assigned[tok.text].deps)
        self.leaves.setdefault(tok.text, tok)
        return _Node("name", tok.text, (), node.depth, frozenset({tok.text}))

    def number(self, tok: Tok) -> _Node:
        if "." in tok.text:
            if not math.isfinite(float(tok.text)):
                raise fail("this number is too large", tok)
            return self.make("num", repr(float(tok.text)), (), tok)
        digits = tok.text.lstrip("0") or "0"
        if len(digits) > 4000 or int(digits).bit_length() > self.limits.max_int_bits:
            msg = "this integer is too large"
            raise LimitExceeded("max_int_bits", self.limits.max_int_bits, msg, tok.span())
        return self.make("num", digits, (), tok)

    def binop(self, tok: Tok, left: _Node, right: _Node) -> _Node:
        op = "**" if tok.text in ("^", "**") else tok.text
        return self.make("bin", op, (left, right), tok)

    def call(self, tok: Tok, function: str, arg: _Node) -> _Node:
        if arg.deps:
            return self.make("call", function, (arg,), tok)
        try:
            value = _FLOAT_FUNCTIONS[function](_value(arg, self.consts))
        except (ArithmeticError, ValueError, TypeError):
            value = math.nan
        if not isinstance(value, float) or not math.isfinite(value):
            raise fail(f"{function}(...) of this constant has no finite real value", tok)
        literal = self.make("num", repr(abs(value)), (), tok)
        return self.make("neg", "-", (literal,), tok) if math.copysign(1, value) < 0 else literal

    def assign(self, name: str, node: _Node) -> None:
        self.assigned[name] = node
        self.py_nodes += _STATEMENT_NODES
        try:
            self.consts[name] = None if node.deps else float(_value(node, self.consts))
        except (ArithmeticError, ValueError, TypeError):
            self.consts[name] = None


def _value(node: _Node, consts: Mapping[str, float | None]) -> float:
    """The float value of a constant subtree (depth is bounded by the nesting cap)."""
    if node.kind in ("num", "const"):
        return float(node.text)
    if node.kind == "name":
        known = consts.get(node.text)
        if known is None:
            raise ValueError(node.text)
        return known
    values = [_value(arg, consts) for arg in node.args]
    if node.kind == "neg":
        return -values[0]
    if node.kind == "call":
        return _FLOAT_FUNCTIONS[node.text](values[0])
    result = values[0] ** values[1] if node.text == "**" else _FLOAT_OPS[node.text](*values)
    if not isinstance(result, float):
        raise ValueError("not a real number")
    return result


# ---------------------------------------------------------------- parser


class _Parser:
    """Precedence climbing: sum > term (incl. juxtaposition) > unary minus > power > primary."""

    def __init__(self, toks: list[Tok], prog: _Program) -> None:
        self.toks, self.prog = toks, prog
        self.i = self.level = 0
        self.paren_end = -1  # token index just after the last ')' of a group or call
        self.bare_power_end = -1  # token index just after an exponent without parentheses

    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        self.i += 1
        return self.toks[self.i - 1]

    def enter(self, tok: Tok) -> None:
        self.level += 1
        if self.level > self.prog.cap:
            raise self.prog.too_deep(tok)

    def parse(self) -> _Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind != "end":
            raise self.misplaced(tok)
        return node

    def sum(self) -> _Node:
        node = self.term()
        while self.peek().text in ("+", "-") and self.peek().kind == "op":
            tok = self.take()
            node = self.prog.binop(tok, node, self.term())
        return node

    def term(self) -> _Node:
        node, after_divide = self.unary(), False
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in ("*", "/"):
                self.take()
                node = self.prog.binop(tok, node, self.unary())
                after_divide = tok.text == "/"
            elif tok.kind in ("num", "name", "func", "const") or tok.text == "(":
                self.check_juxtaposition(tok, after_divide)
                times = Tok("op", "*", tok.line, tok.col)
                node = self.prog.binop(times, node, self.power())
            else:
                return node

    def check_juxtaposition(self, tok: Tok, after_divide: bool) -> None:
        if tok.kind == "num":
            raise fail(f"a number cannot follow another factor: write *{tok.text}", tok)
        if self.bare_power_end == self.i:
            hint = "write x^2*y for a product, or x^(2y) for a longer exponent"
            raise fail(f"ambiguous exponent: {hint}", tok)
        if after_divide:
            hint = "write (a/b)*c or a/(b*c)"
            raise fail(f"ambiguous: does this factor divide or multiply? {hint}", tok)

    def unary(self) -> _Node:
        tok = self.peek()
        if tok.text not in ("-", "+") or tok.kind != "op":
            return self.power()
        self.take()
        self.enter(tok)
        operand = self.unary()
        self.level -= 1
        return operand if tok.text == "+" else self.prog.make("neg", "-", (operand,), tok)

    def power(self) -> _Node:
        base = self.primary()
        tok = self.peek()
        if tok.kind != "op" or tok.text not in ("^", "**"):
            return base
        self.take()
        self.enter(tok)
        start = self.i
        exponent = self.unary()
        self.level -= 1
        if not (self.toks[start].text == "(" and self.paren_end == self.i):
            self.bare_power_end = self.i
        if base.kind == "const" and base.text == CONSTANTS["e"]:
            return self.prog.call(tok, "exp", exponent)
        return self.prog.binop(tok, base, exponent)

    def primary(self) -> _Node:
        tok = self.take()
        if tok.kind == "num":
            return self.prog.number(tok)
        if tok.kind == "name":
            return self.prog.name(tok)
        if tok.kind == "const":
            return self.prog.make("const", CONSTANTS[tok.text], (), tok)
        if tok.kind == "func":
            if self.peek().text != "(":
                raise fail(f"write {tok.text}(...) with parentheses, e.g. {tok.text}(x)", tok)
            return self.prog.call(tok, FUNCTIONS[tok.text], self.group(self.take()))
        if tok.text == "(":
            return self.group(tok)
        raise self.missing(tok)

    def group(self, opening: Tok) -> _Node:
        self.enter(opening)
        if self.peek().text == ")":
            raise fail("empty parentheses: put an expression inside", self.peek())
        node = self.sum()
        closing = self.take()
        if closing.kind == "end":
            raise fail("unclosed '(': add a matching ')'", opening)
        if closing.text != ")":
            raise self.misplaced(closing)
        self.level -= 1
        self.paren_end = self.i
        return node

    def missing(self, tok: Tok) -> ProgramSyntaxError:
        """`tok` stands where an operand should be."""
        before = self.toks[self.i - 2] if self.i >= 2 else None
        if tok.kind == "end" and before is not None and before.text == "(":
            return fail("unclosed '(': add a matching ')'", before)
        if tok.kind == "end" and before is not None:
            return fail(f"'{before.text}' needs something after it", before)
        if tok.text in (")", "="):
            return self.misplaced(tok)
        if before is not None and before.kind == "op" and before.text != ")":
            return fail(f"'{tok.text}' cannot follow '{before.text}'", tok)
        return fail(f"'{tok.text}' needs something before it", tok)

    def misplaced(self, tok: Tok) -> ProgramSyntaxError:
        if tok.text == "=":
            return fail("only one '=' per line", tok)
        return fail("unmatched ')': remove it or add a '(' before it", tok)


# ---------------------------------------------------------------- compile


def _statement(raw: str, lineno: int, prog: _Program) -> tuple[Tok, _Node]:
    toks = tokenize(raw, lineno)
    equals = next((k for k, t in enumerate(toks) if t.text == "=" and t.kind == "op"), None)
    if equals is None:
        hint = f"write it as an assignment, e.g. z = {raw.split('#')[0].strip()}"
        raise fail(f"each line must assign a name: {hint}", toks[0])
    target = toks[0]
    if equals != 1 or target.kind != "run":
        raise fail("the left of '=' must be one name, e.g. z = 2x", target)
    problem = name_problem(target.text)
    if problem is not None:
        raise fail(problem, target)
    if toks[2].kind == "end":
        raise fail("nothing after '=': write an expression, e.g. z = 2x", toks[1])
    node = _Parser(resolve(toks[2:], prog.known, [*prog.inputs, *prog.assigned]), prog).parse()
    if target.text in prog.leaves:
        raise fail(f"'{target.text}' is used before it is assigned; use a new name", target)
    return target, node


def compile_math(
    text: str, inputs: Mapping[str, float | int | list], limits: Limits
) -> MathCompilation:
    if len(text) > limits.max_source_chars:
        msg = f"the math text has {len(text)} characters"
        raise LimitExceeded("max_source_chars", limits.max_source_chars, msg)
    for key in inputs:
        problem = name_problem(key) if isinstance(key, str) else "names are text"
        if problem is not None:
            raise ProgramSyntaxError(f"input {key!r}: {problem}")
    prog = _Program(inputs, limits)
    statements: list[tuple[int, Tok, _Node]] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        if raw.strip() and not raw.strip().startswith("#"):
            target, node = _statement(raw, lineno, prog)
            prog.assign(target.text, node)
            statements.append((lineno, target, node))
    if not statements:
        raise ProgramSyntaxError("the program is empty: write an assignment, e.g. z = 2x + xy")
    return _emit_program(statements, prog)


def _emit_program(statements: list[tuple[int, Tok, _Node]], prog: _Program) -> MathCompilation:
    last_line, target, node = statements[-1]
    if not node.deps:
        msg = (
            f"'{target.text}' does not depend on any variable, so there is nothing to differentiate"
        )
        raise fail(msg, target)
    lines = ["import torch"]
    for name in prog.leaves:
        literal = leaf_literal(name, prog.inputs, prog.limits)
        lines.append(f"{name} = torch.tensor({literal}, requires_grad=True)")
        prog.py_nodes += _LEAF_NODES + literal.count(",")
    line_map: dict[int, int] = {}
    for lineno, assigned, expr in statements:
        lines.append(f"{assigned.text} = {_emit(expr)}")
        line_map[len(lines)] = lineno
    summed = any(isinstance(prog.inputs.get(leaf), list | tuple) for leaf in node.deps)
    lines.append(f"{target.text}.sum().backward()" if summed else f"{target.text}.backward()")
    line_map[len(lines)] = last_line
    if prog.py_nodes + _BACKWARD_NODES > prog.limits.max_ast_nodes:
        msg = "the program with its inputs is too large"
        raise LimitExceeded("max_ast_nodes", prog.limits.max_ast_nodes, msg)
    defaulted = tuple(name for name in prog.leaves if name not in prog.inputs)
    return MathCompilation("\n".join(lines) + "\n", target.text, defaulted, summed, line_map)


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}


def _precedence(node: _Node) -> int:
    return {"bin": _PRECEDENCE.get(node.text, 5), "neg": 3}.get(node.kind, 5)


def _emit(node: _Node) -> str:
    """Python source with only the parentheses that precedence needs (depth is capped)."""
    if node.kind in ("num", "name", "const"):
        return node.text
    if node.kind == "call":
        return f"torch.{node.text}({_emit(node.args[0])})"
    if node.kind == "neg":
        return "-" + _paren(node.args[0], _precedence(node.args[0]) < 3)
    left, right = node.args
    mine = _PRECEDENCE[node.text]
    if node.text == "**":
        wrap_left, wrap_right = _precedence(left) <= mine, _precedence(right) < 3
    else:
        wrap_left, wrap_right = _precedence(left) < mine, _precedence(right) <= mine
    return f"{_paren(left, wrap_left)} {node.text} {_paren(right, wrap_right)}"


def _paren(node: _Node, wrap: bool) -> str:
    return f"({_emit(node)})" if wrap else _emit(node)
