r"""Student math notation → PyTorch source, by our own tokenizer and precedence-climbing parser.

The text is never evaluated, exec'd or handed to another parser: it is tokenized here, parsed
into a small tree and printed as Python that uses only the constructs the interpreter allows.
Modules: math_source (statements), math_tokens + math_latex (tokens, names), math_parse (tree),
math_tree (program state), math_typeset (the "read as" echo), math_inputs (leaf values).

Rules
-----
* One assignment per statement: ``name = expression`` or a definition ``f(x) = x^3 - 2x``
  (output ``f``; a later ``f(x)`` with the same arguments is ``f``). Statements are separated by
  new lines, ``\\``, ``;`` and a comma before another assignment; ``$``/``$$`` around a line
  are skipped; ``#`` starts a comment. The last assigned name is the output; a bare expression
  is an error ("write it as an assignment").
* Characters: full-width ``＝（）＋－`` as ASCII; ``·`` ``×`` ``⋅`` ``∗`` for ``*``; ``−`` for
  ``-``; superscripts ``x²`` ``x⁻¹``; ``π``; ``√x``; ``|x - y|`` is ``abs``. The notes' LaTeX:
  ``\frac{a}{b}``, ``\sqrt{x}``, ``\sqrt[n]{x}``, braces as parentheses (``^{...}``),
  ``x_{10}``, ``\cdot`` ``\times``, Greek letters, ``\sin`` ``\exp`` ``\ln`` ``\log``...,
  ``\left( \right)``, ``\hat{y}`` (the name ``y_hat``). Any other command is refused by name.
* A *run* is a letter (any alphabet: ``θ``, ``α``) followed by letters, ASCII digits and ``_``.
  In an expression a run means, first rule that applies:
  1. a known name (an input key, or assigned on an earlier line) — the whole run;
  2. a function (sin cos tan exp log ln sqrt abs tanh sigmoid relu; max min with two
     arguments) or a constant (``pi``, ``e``); ``σ`` followed by ``(`` is sigmoid;
  3. one variable when it is a single letter with optional digits (``x``, ``w1``, ``θ2``) or
     contains ``_`` (``x_2``, ``a_0``);
  4. a product of single letters (``xy`` → ``x*y``, ``αβ``) when every letter is known, or the
     run is at most 3 letters (free variables found in the formula) and not a word we know is
     no product (``sum``, ``lr``, ``cot``: math_tokens.WORDS), and no function, constant or
     multi-letter known name is inside it. ``π`` ends a run (``aπ`` is a·π); a function with
     a subscript (``log_2``) is refused.
  Anything else is an error with a hint, never a guess: ``sinx`` (write ``sin(x)``), ``xe``
  (``x*e``), ``rate`` with no input ``rate`` (add it, or write ``r*a*t*e``), ``x2y``.
* A name right before ``(`` multiplies only when it is an input or assigned (``a(x+1)``);
  otherwise it is an unknown function, refused. A function without parentheses takes one name
  or number (``sin x``, ``ln 2``) and nothing may follow that could belong to it (``sin x^2``,
  ``sin 2x`` are refused). ``sin^2(x)`` / ``sin²x`` is ``sin(x)^2``.
* Numbers: ``2``, ``2.5``, ``.5``; a digit never starts a name, so ``2x`` is ``2*x``.
  ``2e3`` / ``2e-3`` are refused (scientific notation or ``2*e*3``?).
* Juxtaposition multiplies, with the precedence of ``*``: ``2x``, ``3xy``, ``x y``, ``2(x+1)``,
  ``(x+1)(x-1)``, ``2sin(x)``, ``2πx``. Errors: a number after another factor (``x 2``,
  ``(x+1)2``); a factor right after a ``/`` operand (``1/2x``: ``(1/2)x`` or ``1/(2x)``?); a
  factor right after an exponent without parentheses (``x^2y``, ``e^2x``), except after one
  plain number and a space (``x^2 y^3``) or a superscript (``x²y``).
* ``^`` and ``**`` are power, right-associative, tighter than unary minus (``-x^2`` is
  ``-(x^2)``); an exponent may carry a sign (``2^-1``). ``e^u`` becomes ``torch.exp(u)``.
* A function of a constant (``sin(pi/6)``) is computed here, since torch functions need tensors;
  a constant argument of max/min beside a variable becomes ``torch.tensor(c)``.
* Leaves: names used before any assignment, in order of first appearance, valued from
  ``inputs`` or 1.0 (listed in ``defaulted``); a leaf cannot be assigned later. Inputs the text
  does not use are ignored. The output must depend on a leaf. ``line_map`` covers the
  assignment lines and the backward line (mapped to the output's line). ``read_as`` is each
  statement typeset as it was read (``z = 2·x + x·y``).
* Limits: max_source_chars; max_ast_depth and max_ast_nodes measured on the Python the code
  becomes (nesting is also capped at 100 so recursion stays bounded); max_int_bits;
  max_tensor_elements for list inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.lang.errors import LimitExceeded, ProgramSyntaxError
from app.lang.math_inputs import leaf_literal
from app.lang.math_parse import Parser
from app.lang.math_source import Segment, blank, segments
from app.lang.math_tokens import Tok, fail, name_problem, resolve, tokenize
from app.lang.math_tree import Node, Program
from app.lang.math_typeset import statement as typeset_statement
from app.settings import Limits

_LEAF_NODES, _BACKWARD_NODES = 11, 9


@dataclass(frozen=True, slots=True)
class MathCompilation:
    code: str  # the full PyTorch program, starting with "import torch\n"
    output: str  # the last assigned name
    defaulted: tuple[str, ...]  # leaves with no entry in `inputs` (1.0), first appearance order
    summed: bool  # the output is not a scalar, so backward ran on output.sum()
    line_map: dict[int, int]  # line in `code` -> line in the math text
    read_as: tuple[str, ...] = ()  # each statement as it was read, typeset: "z = 2·x + x·y"


@dataclass(frozen=True, slots=True)
class _Statement:
    line: int
    target: Tok
    params: tuple[str, ...]
    node: Node


# ---------------------------------------------------------------- compile


def compile_math(
    text: str, inputs: Mapping[str, float | int | list], limits: Limits
) -> MathCompilation:
    if len(text) > limits.max_source_chars:
        msg = f"the math text has {len(text)} characters"
        raise LimitExceeded("max_source_chars", limits.max_source_chars, msg)
    for key in inputs:
        problem = (
            name_problem(key) if isinstance(key, str) else ("names are text", "名字必须是文本")
        )
        if problem is not None:
            en, zh = problem
            raise ProgramSyntaxError(f"input {key!r}: {en}", None, {"en": en, "zh": zh})
    prog = Program(inputs, limits)
    lines = text.split("\n")
    statements: list[_Statement] = []
    for segment in segments(text):
        found = _statement(lines[segment.line - 1], segment, prog)
        prog.assign(found.target.text, found.node)
        if found.params:
            prog.defined[found.target.text] = found.params
        statements.append(found)
    if not statements:
        en = "the program is empty: write an assignment, e.g. z = 2x + xy"
        zh = "内容是空的：请写一个赋值，例如 z = 2x + xy"
        raise ProgramSyntaxError(en, None, {"en": en, "zh": zh})
    return _emit_program(statements, prog)


def _statement(raw: str, segment: Segment, prog: Program) -> _Statement:
    toks = tokenize(blank(raw, segment), segment.line)
    equals = next((k for k, t in enumerate(toks) if t.text == "=" and t.kind == "op"), None)
    if equals is None:
        typed = raw[segment.start : segment.end].strip()
        en = f"each line must assign a name: write it as an assignment, e.g. z = {typed}"
        raise fail(toks[0], en, f"每一行都要给一个名字赋值：请写成赋值，例如 z = {typed}")
    target, params = _left_side(toks[:equals], toks[0])
    if toks[equals + 1].kind == "end":
        en = "nothing after '=': write an expression, e.g. z = 2x"
        raise fail(toks[equals], en, "'=' 后面是空的：请写一个表达式，例如 z = 2x")
    body = resolve(toks[equals + 1 :], prog.known, [*prog.inputs, *prog.assigned])
    node = Parser(body, prog).parse()
    if target.text in prog.leaves:
        en = f"'{target.text}' is used before it is assigned; use a new name"
        raise fail(target, en, f"'{target.text}' 在赋值之前已被使用；请换一个新名字")
    return _Statement(segment.line, target, params, node)


def _left_side(left: list[Tok], first: Tok) -> tuple[Tok, tuple[str, ...]]:
    """`z` or `f(x, y)`: the target and a definition's parameters."""
    names = [tok for tok in left if tok.kind == "run"]
    shape = "".join("n" if tok.kind == "run" else tok.text for tok in left)
    if shape != "n" and not (
        shape.startswith("n(n") and shape.endswith(")") and shape[3:-1] == ",n" * (len(names) - 2)
    ):
        en = "the left of '=' must be one name, e.g. z = 2x, or a definition, e.g. f(x) = x^2"
        raise fail(first, en, "'=' 左边必须是一个名字（如 z = 2x）或一个定义（如 f(x) = x^2）")
    for tok in names:
        problem = name_problem(tok.text)
        if problem is not None:
            raise fail(tok, *problem)
    params = tuple(tok.text for tok in names[1:])
    if len(set(params)) != len(params) or names[0].text in params:
        en = "each parameter of a definition must be a different name, e.g. f(x, y) = x y"
        raise fail(names[0], en, "定义中的每个参数必须是不同的名字，例如 f(x, y) = x y")
    return names[0], params


def _emit_program(statements: list[_Statement], prog: Program) -> MathCompilation:
    last = statements[-1]
    if not last.node.deps:
        en = (
            f"'{last.target.text}' does not depend on any variable, "
            "so there is nothing to differentiate"
        )
        zh = f"'{last.target.text}' 不依赖任何变量，没有可以求导的东西"
        raise fail(last.target, en, zh)
    lines = ["import torch"]
    for name in prog.leaves:
        literal = leaf_literal(name, prog.inputs, prog.limits)
        lines.append(f"{name} = torch.tensor({literal}, requires_grad=True)")
        prog.py_nodes += _LEAF_NODES + literal.count(",")
    line_map: dict[int, int] = {}
    for found in statements:
        lines.append(f"{found.target.text} = {_emit(found.node)}")
        line_map[len(lines)] = found.line
    output = last.target.text
    summed = any(isinstance(prog.inputs.get(leaf), list | tuple) for leaf in last.node.deps)
    lines.append(f"{output}.sum().backward()" if summed else f"{output}.backward()")
    line_map[len(lines)] = last.line
    if prog.py_nodes + _BACKWARD_NODES > prog.limits.max_ast_nodes:
        msg = "the program with its inputs is too large"
        raise LimitExceeded("max_ast_nodes", prog.limits.max_ast_nodes, msg)
    defaulted = tuple(name for name in prog.leaves if name not in prog.inputs)
    read_as = tuple(typeset_statement(s.target.text, s.params, s.node) for s in statements)
    code = "\n".join(lines) + "\n"
    return MathCompilation(code, output, defaulted, summed, line_map, read_as)


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}


def _precedence(node: Node) -> int:
    return {"bin": _PRECEDENCE.get(node.text, 5), "neg": 3}.get(node.kind, 5)


def _emit(node: Node) -> str:
    """Python source with only the parentheses that precedence needs (depth is capped)."""
    if node.kind in ("num", "name", "const"):
        return node.text
    if node.kind in ("call", "pair", "tensor"):
        return f"torch.{node.text}({', '.join(_emit(arg) for arg in node.args)})"
    if node.kind == "neg":
        return "-" + _paren(node.args[0], _precedence(node.args[0]) < 3)
    left, right = node.args
    mine = _PRECEDENCE[node.text]
    if node.text == "**":
        wrap_left, wrap_right = _precedence(left) <= mine, _precedence(right) < 3
    else:
        wrap_left, wrap_right = _precedence(left) < mine, _precedence(right) <= mine
    return f"{_paren(left, wrap_left)} {node.text} {_paren(right, wrap_right)}"


def _paren(node: Node, wrap: bool) -> str:
    return f"({_emit(node)})" if wrap else _emit(node)
