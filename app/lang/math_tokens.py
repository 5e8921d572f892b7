"""Math notation, first half: characters → tokens, runs of letters → names, input values →
literals (the rules are in `app.lang.math_notation`'s docstring). Knows nothing of trees."""

from __future__ import annotations

import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.lang.errors import LimitExceeded, ProgramSyntaxError, Span
from app.settings import Limits

FUNCTIONS = {
    **{name: name for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")},
    **{"sigmoid": "sigmoid", "relu": "relu", "ln": "log"},
}
CONSTANTS = {"pi": repr(math.pi), "e": repr(math.e)}
RESERVED = frozenset(keyword.kwlist) | {"torch"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_SCIENTIFIC = re.compile(r"[eE][+-]?[0-9]")
_SUBSCRIPTED = re.compile(r".[0-9]*")
_OPERATORS = ("**", "+", "-", "*", "/", "^", "(", ")", "=")
_CHAR_HINTS = {
    **{",": "functions take one argument", "[": "use ( ) to group", "{": "use ( ) to group"},
    **{"²": "write ^2", "³": "write ^3", "·": "use *", "×": "use *", "÷": "use /", "−": "use -"},
}


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # num, run, name, func, const, op, end
    text: str
    line: int
    col: int

    def span(self) -> Span:
        return Span(self.line, self.col, self.line, self.col + max(len(self.text), 1))


def fail(message: str, tok: Tok) -> ProgramSyntaxError:
    return ProgramSyntaxError(message, tok.span())


def _is_letter(ch: str) -> bool:
    return ch.isalpha() and ch.isidentifier() and unicodedata.normalize("NFKC", ch) == ch


def _is_name_char(ch: str) -> bool:
    return _is_letter(ch) or ch in "0123456789_"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a variable, or None when it can."""
    if name.startswith("_"):
        return "names must not start with '_'"
    if not name or not _is_letter(name[0]) or not all(map(_is_name_char, name)):
        return "a name is a letter followed by letters, digits and '_'"
    if name in RESERVED:
        return f"'{name}' is a reserved word"
    if name in FUNCTIONS or name in CONSTANTS:
        return f"'{name}' is a function or constant name"
    return None


# ---------------------------------------------------------------- tokens


def tokenize(line: str, lineno: int) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    while i < len(line) and line[i] != "#":
        if line[i].isspace():
            i += 1
            continue
        tok = _scan(line, i, lineno)
        toks.append(tok)
        i += len(tok.text)
    toks.append(Tok("end", "", lineno, i))
    return toks


def _scan(line: str, i: int, lineno: int) -> Tok:
    ch = line[i]
    number = _NUMBER.match(line, i)
    if number:
        if _SCIENTIFIC.match(line, number.end()):
            msg = "scientific notation is not supported: write 2*10^3, or 2*e*3 with spaces"
            raise ProgramSyntaxError(msg, Span(lineno, number.end()))
        return Tok("num", number.group(), lineno, i)
    if _is_letter(ch) or ch == "_":
        end = i + 1
        while end < len(line) and _is_name_char(line[end]):
            end += 1
        return Tok("run", line[i:end], lineno, i)
    for op in _OPERATORS:
        if line.startswith(op, i):
            return Tok("op", op, lineno, i)
    hint = _CHAR_HINTS.get(ch, "use names, numbers, + - * / ^ ( ) and =")
    raise ProgramSyntaxError(f"unexpected character {ch!r}: {hint}", Span(lineno, i, lineno, i + 1))


def resolve(toks: list[Tok], known: Callable[[str], bool], names: list[str]) -> list[Tok]:
    """Runs → name / func / const tokens; `known` tells input keys and names assigned so far."""
    multi = [name for name in names if len(name) > 1]
    out: list[Tok] = []
    for tok, after in zip(toks, toks[1:] + toks[-1:], strict=True):
        if tok.kind != "run":
            out.append(tok)
            continue
        try:
            out.extend(_resolve_run(tok, known, multi))
        except ProgramSyntaxError:
            if after.text != "(" or any(tok.text.endswith(f) for f in FUNCTIONS):
                raise
            hint = f"use one of {', '.join(FUNCTIONS)}, or write * before '('"
            raise fail(f"unknown function '{tok.text}': {hint}", tok) from None
    return out


def _resolve_run(tok: Tok, known: Callable[[str], bool], multi: list[str]) -> list[Tok]:
    """One run → name / func / const tokens (several when it is a product of letters)."""
    text = tok.text
    if known(text):
        return [Tok("name", text, tok.line, tok.col)]
    if text in FUNCTIONS or text in CONSTANTS:
        return [Tok("func" if text in FUNCTIONS else "const", text, tok.line, tok.col)]
    if text.startswith("_"):
        raise fail(f"'{text}': names must not start with '_'", tok)
    if "_" in text or _SUBSCRIPTED.fullmatch(text):
        return [Tok("name", text, tok.line, tok.col)]
    if text in RESERVED:
        raise fail(f"'{text}' is a reserved word; choose another name", tok)
    _refuse_mixed_run(tok, multi)
    spelled = "*".join(text)
    if any(c.isdigit() for c in text):
        raise fail(f"'{text}' is ambiguous: separate the factors with * or spaces", tok)
    if not all(known(c) for c in text):
        hint = f"write {spelled} for a product, or add '{text}' to the inputs"
        raise fail(f"'{text}' is not a known name: {hint}", tok)
    return [Tok("name", c, tok.line, tok.col + k) for k, c in enumerate(text)]


def _refuse_mixed_run(tok: Tok, multi: list[str]) -> None:
    """`sinx`, `xe`, `xpi`, `abc` with an input `ab`: a name glued to other letters."""
    text = tok.text
    found = [(text.find(n), -len(n), n) for n in (*FUNCTIONS, *CONSTANTS, *multi) if n in text]
    if not found:
        return
    pos, _, name = min(found)
    before, after = "*".join(text[:pos]), text[pos + len(name) :]
    core = f"{name}({after or '...'})" if name in FUNCTIONS else "*".join([name, *after])
    hint = f"{before}*{core}" if before else core
    where = Span(tok.line, tok.col + pos, tok.line, tok.col + pos + len(name))
    msg = f"'{text}' is ambiguous: '{name}' is glued to other letters; write {hint}"
    raise ProgramSyntaxError(msg, where)


# ---------------------------------------------------------------- input values


def leaf_literal(name: str, inputs: Mapping[str, object], limits: Limits) -> str:
    """The source of leaf `name`'s value: its input as a float (list), else 1.0."""
    if name not in inputs:
        return "1.0"
    value = inputs[name]
    if not isinstance(value, list | tuple):
        return _float_literal(name, value)
    if not value:
        raise ProgramSyntaxError(f"input '{name}': the list is empty")
    if len(value) > limits.max_tensor_elements:
        msg = f"input '{name}' has {len(value)} elements"
        raise LimitExceeded("max_tensor_elements", limits.max_tensor_elements, msg)
    return "[" + ", ".join(_float_literal(name, item) for item in value) + "]"


def _float_literal(name: str, value: object) -> str:
    problem = "must be a number or a flat list of numbers"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return repr(number)
        problem = "must be a finite number"
    raise ProgramSyntaxError(f"input '{name}' {problem}, not {value!r:.40}")
