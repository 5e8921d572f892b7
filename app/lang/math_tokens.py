"""Math notation, first half: characters → tokens (plain text, Unicode and the notes' LaTeX),
runs of letters → names (the rules are in `app.lang.math_notation`'s docstring). Knows nothing
of trees. Every refusal carries its place and what to write instead, in English and 中文.
"""

from __future__ import annotations

import keyword
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from app.lang import math_latex
from app.lang.errors import ProgramSyntaxError, Span

FUNCTIONS = {
    **{name: name for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")},
    **{"sigmoid": "sigmoid", "relu": "relu", "ln": "log", "√": "sqrt"},
}
PAIR_FUNCTIONS = {"max": "maximum", "min": "minimum"}  # two arguments
SIGMA = "σ"  # sigmoid when a '(' follows, else a Greek variable
CONSTANTS = {"pi": repr(math.pi), "e": repr(math.e)}
RESERVED = frozenset(keyword.kwlist) | {"torch"}
LONGEST_PRODUCT = 3  # `xyz` is x·y·z; a longer unknown run is a word, refused
# short runs that are words or functions we do not have, never a product of letters
WORDS = frozenset("sum out lr var std avg det mod deg arg tr cot sec csc sgn erf".split())
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_SCIENTIFIC = re.compile(r"[eE][+-]?[0-9]")
_SUBSCRIPTED = re.compile(r".[0-9]*")
_BRACED_SUBSCRIPT = re.compile(r"_\{([A-Za-z0-9]+)\}")
# `{\omega}_1` in the notes: a braced letter with a subscript is the name ω_1
_BRACED_LETTER = re.compile(
    r"\{\s*(\\[A-Za-z]+|[^\W\d_])\s*\}_(?:\{([A-Za-z0-9]+)\}|([A-Za-z0-9]+))"
)
_OPERATORS = ("**", "+", "-", "*", "/", "^", "(", ")", "=", "[", "]", ",", "|", "{", "}")
_CANONICAL = {"·": "*", "⋅": "*", "×": "*", "∗": "*", "−": "-", "÷": "/"}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # num, run, name, func, pair, const, op, sup, frac, end
    text: str  # canonical: "*" for "·", "(" for "{", "y_hat" for "\hat{y}", "2" for "²"
    line: int
    col: int
    width: int = 0  # characters it covers in the line (0: len(text))
    gap: bool = False  # whitespace right before it
    raw: str = ""  # as typed, where it differs from text ("{", "}", "σ", "\\ln")

    def span(self) -> Span:
        return Span(self.line, self.col, self.line, self.col + max(self.size, 1))

    @property
    def size(self) -> int:
        return self.width or len(self.text)

    @property
    def shown(self) -> str:
        return self.raw or self.text


def fail(tok: Tok, en: str, zh: str) -> ProgramSyntaxError:
    """A refusal at `tok`: the English message (also `hints["en"]`) and its 中文."""
    return ProgramSyntaxError(en, tok.span(), {"en": en, "zh": zh})


def fail_at(span: Span, en: str, zh: str) -> ProgramSyntaxError:
    return ProgramSyntaxError(en, span, {"en": en, "zh": zh})


def _is_letter(ch: str) -> bool:
    return ch.isalpha() and ch.isidentifier() and unicodedata.normalize("NFKC", ch) == ch


def _is_name_char(ch: str) -> bool:
    return _is_letter(ch) or ch in "0123456789_"


def name_problem(name: str) -> tuple[str, str] | None:
    """Why `name` cannot be a variable (English, 中文), or None when it can."""
    if name.startswith("_"):
        return "names must not start with '_'", "名字不能以 '_' 开头"
    if not name or not _is_letter(name[0]) or not all(map(_is_name_char, name)):
        en = "a name is a letter followed by letters, digits and '_'"
        return en, "名字由一个字母开头，后面可跟字母、数字和 '_'"
    if name in RESERVED:
        return f"'{name}' is a reserved word", f"'{name}' 是保留字"
    if name in FUNCTIONS or name in CONSTANTS or name in PAIR_FUNCTIONS:
        return f"'{name}' is a function or constant name", f"'{name}' 是函数名或常数名"
    return None


# ---------------------------------------------------------------- tokens


def canonical(ch: str) -> str:
    """One character → the one it stands for (full-width ＝（）＋－ from Chinese input
    methods, · × ⋅ ∗ for *, − for -); columns never move."""
    if ch in _CANONICAL:
        return _CANONICAL[ch]
    if "\uff01" <= ch <= "\uff5e":
        return chr(ord(ch) - 0xFEE0)
    return ch


def tokenize(line: str, lineno: int) -> list[Tok]:
    """The tokens of one statement (`line` has spaces outside it, see math_source.blank)."""
    view = "".join(map(canonical, line))
    toks: list[Tok] = []
    i, gap = 0, False
    while i < len(view):
        if view[i].isspace():
            i, gap = i + 1, True
            continue
        tok = _scan(line, view, i, lineno)
        if tok.kind != "skip":
            toks.append(Tok(tok.kind, tok.text, lineno, i, tok.width, gap, tok.raw))
        i, gap = i + tok.size, tok.kind == "skip"  # LaTeX spacing (\,) is a space
    toks.append(Tok("end", "", lineno, i, gap=gap))
    return toks


def _scan(line: str, view: str, i: int, lineno: int) -> Tok:
    ch = view[i]
    number = _NUMBER.match(view, i)
    if number:
        if _SCIENTIFIC.match(view, number.end()):
            en = "scientific notation is not supported: write 2*10^3, or 2*e*3 with spaces"
            zh = "不支持科学计数法：请写 2*10^3；若是乘法请写 2*e*3"
            raise fail_at(Span(lineno, number.end()), en, zh)
        return Tok("num", number.group(), lineno, i)
    if ch == "\\":
        kind, text, end = math_latex.command(view, i, lineno)
        kind = {"greek": "run", "accent": "run"}.get(kind, kind)
        kind = "pair" if text in PAIR_FUNCTIONS else kind
        tok = Tok(kind, text, lineno, i, end - i, raw=view[i:end].strip())
        if kind in ("func", "pair") and view.startswith("_", end):
            _refuse_subscripted_function(Tok("run", f"{text}_", lineno, i, end - i + 1))
        return tok
    if ch in "π√":
        kind, text = ("const", "pi") if ch == "π" else ("func", ch)
        return Tok(kind, text, lineno, i, 1, raw=ch)
    if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺":
        return _superscript(view, i, lineno)
    if _is_letter(ch) or ch == "_":
        return _run(view, i, lineno)
    braced = _BRACED_LETTER.match(view, i)
    if braced and (_is_letter(braced.group(1)) or braced.group(1)[1:] in math_latex.GREEK):
        letter = math_latex.GREEK.get(braced.group(1)[1:], braced.group(1))
        name = f"{letter}_{braced.group(2) or braced.group(3)}"
        return Tok("run", name, lineno, i, braced.end() - i, raw=view[i : braced.end()])
    for op in _OPERATORS:
        if view.startswith(op, i):
            return _operator(op, lineno, i)
    raise _unexpected(line[i], Span(lineno, i, lineno, i + 1))


def _superscript(view: str, i: int, lineno: int) -> Tok:
    end = i
    while end < len(view) and view[end] in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺":
        end += 1
    text = view[i:end].translate(_SUPERSCRIPTS)
    if not text.lstrip("+-").isdigit() or text.count("-") + text.count("+") > 1:
        en, zh = "write the exponent with ^, e.g. x^(-2)", "请用 ^ 写指数，例如 x^(-2)"
        raise fail_at(Span(lineno, i, lineno, end), en, zh)
    return Tok("sup", text, lineno, i, end - i, raw=view[i:end])


def _run(view: str, i: int, lineno: int) -> Tok:
    """Letters, digits and `_`; `x_{10}` is the name x_10."""
    end = i + 1
    while end < len(view):
        braced = _BRACED_SUBSCRIPT.match(view, end)
        if braced is not None:
            end = braced.end()
        elif _is_name_char(view[end]) and view[end] != "π" and not view.startswith("_{", end):
            end += 1
        else:
            break
    text = re.sub(_BRACED_SUBSCRIPT, r"_\1", view[i:end])
    return Tok("run", text, lineno, i, end - i, raw=view[i:end] if text != view[i:end] else "")


def _operator(op: str, lineno: int, i: int) -> Tok:
    if op == "{":
        return Tok("op", "(", lineno, i, 1, raw="{")
    if op == "}":
        return Tok("op", ")", lineno, i, 1, raw="}")
    return Tok("bar" if op == "|" else "op", op, lineno, i)


_CHAR_HINTS = {
    "∂": (
        "write the function itself; the graph shows its derivatives",
        "只写函数本身，导数在图里显示",
    ),
    "'": ("write f(x) = ... and read the gradient from the graph", "写 f(x) = ...，梯度在图里读"),
    "!": ("factorials are not supported", "不支持阶乘"),
}


def _unexpected(ch: str, where: Span) -> ProgramSyntaxError:
    en, zh = _CHAR_HINTS.get(
        ch, ("use names, numbers, + - * / ^ ( ) and =", "请使用名字、数字、+ - * / ^ ( ) 和 =")
    )
    return fail_at(where, f"unexpected character {ch!r}: {en}", f"无法识别的字符 {ch!r}：{zh}")


# ---------------------------------------------------------------- runs → names


def resolve(toks: list[Tok], known: Callable[[str], bool], names: list[str]) -> list[Tok]:
    """Runs → name / func / pair / const tokens; `known` tells input keys and names assigned
    so far."""
    multi = [name for name in names if len(name) > 1]
    out: list[Tok] = []
    for tok, after in zip(toks, toks[1:] + toks[-1:], strict=True):
        if tok.kind != "run":
            out.append(tok)
        elif tok.text == SIGMA and after.text == "(" and not known(SIGMA):
            out.append(Tok("func", "sigmoid", tok.line, tok.col, tok.width, tok.gap, SIGMA))
        else:
            out.extend(_resolve_or_unknown_function(tok, after, known, multi))
    _refuse_two_sigmas(out)
    return out


def _refuse_two_sigmas(toks: list[Tok]) -> None:
    """σ(x) is sigmoid and a lone σ a Greek variable: both in one formula would be a trap."""
    functions = [tok for tok in toks if tok.kind == "func" and tok.raw == SIGMA]
    variables = [tok for tok in toks if tok.kind == "name" and tok.text == SIGMA]
    if functions and variables:
        en = "σ(...) is the sigmoid here, so σ cannot also be a variable: rename the variable"
        raise fail(
            variables[0], en, "这里 σ(...) 表示 sigmoid，σ 不能同时作为变量：请给变量换个名字"
        )


def _resolve_or_unknown_function(
    tok: Tok, after: Tok, known: Callable[[str], bool], multi: list[str]
) -> list[Tok]:
    """A run; before '(' a word that is no known name is an unknown function (`foo(x)` is not
    f·o·o(x))."""
    try:
        found = _resolve_run(tok, known, multi)
    except ProgramSyntaxError:
        if after.text != "(" or "_" in tok.text or any(map(tok.text.endswith, FUNCTIONS)):
            raise
        found = []
    if found and (len(found) == 1 or after.text != "(" or known(found[-1].text)):
        return found
    listed = ", ".join([*FUNCTIONS, *PAIR_FUNCTIONS, SIGMA])
    en = f"unknown function '{tok.text}': use one of {listed}, or write * before '('"
    zh = f"未知函数 '{tok.text}'：请使用 {listed} 之一，若是乘法请在 '(' 前写 *"
    raise fail(tok, en, zh)


def _named(tok: Tok, kind: str, text: str, col: int | None = None) -> Tok:
    col = tok.col if col is None else col
    width = tok.width if col == tok.col else len(text)
    return Tok(kind, text, tok.line, col, width, tok.gap and col == tok.col, tok.raw)


def _resolve_run(tok: Tok, known: Callable[[str], bool], multi: list[str]) -> list[Tok]:
    """One run → name / func / const tokens (several when it is a product of letters)."""
    text = tok.text
    if known(text):
        return [_named(tok, "name", text)]
    if text in FUNCTIONS or text in PAIR_FUNCTIONS or text in CONSTANTS:
        kind = "func" if text in FUNCTIONS else "pair" if text in PAIR_FUNCTIONS else "const"
        return [_named(tok, kind, text)]
    if text.startswith("_"):
        raise fail(
            tok, f"'{text}': names must not start with '_'", f"'{text}'：名字不能以 '_' 开头"
        )
    if "_" in text or _SUBSCRIPTED.fullmatch(text):
        _refuse_subscripted_function(tok)
        return [_named(tok, "name", text)]
    if text in RESERVED:
        en, zh = (
            f"'{text}' is a reserved word; choose another name",
            f"'{text}' 是保留字，请换个名字",
        )
        raise fail(tok, en, zh)
    _refuse_mixed_run(tok, multi)
    return _product(tok, known)


def _product(tok: Tok, known: Callable[[str], bool]) -> list[Tok]:
    """`xy` → x·y: letters that are inputs, or found in the formula when the run is short."""
    text = tok.text
    spelled = "*".join(text)
    if any(c.isdigit() for c in text):
        en = f"'{text}' is ambiguous: separate the factors with * or spaces"
        zh = f"'{text}' 有歧义：请用 * 或空格分开各个因子"
        raise fail(tok, en, zh)
    if (len(text) > LONGEST_PRODUCT or text in WORDS) and not all(known(c) for c in text):
        en = (
            f"'{text}' is not a known name: write {spelled} for a product, "
            f"or add '{text}' to the inputs"
        )
        zh = f"'{text}' 不是已知的名字：若是乘积请写 {spelled}，否则请把 '{text}' 加入输入"
        raise fail(tok, en, zh)
    return [_named(tok, "name", c, tok.col + k) for k, c in enumerate(text)]


def _refuse_subscripted_function(tok: Tok) -> None:
    """`log_2 x`, `log_{10}(x)`: a function with a subscript is not a variable named log_2."""
    base = tok.text.split("_")[0]
    if base in FUNCTIONS or base in PAIR_FUNCTIONS:
        en = f"'{tok.text}': {base} with a subscript is not supported; for a logarithm to base b "
        en += "write log(x)/log(b)"
        zh = f"'{tok.text}'：不支持带下标的 {base}；以 b 为底的对数请写 log(x)/log(b)"
        raise fail(tok, en, zh)


def _refuse_mixed_run(tok: Tok, multi: list[str]) -> None:
    """`sinx`, `xe`, `xpi`, `abc` with an input `ab`: a name glued to other letters."""
    text = tok.text
    names = (*FUNCTIONS, *PAIR_FUNCTIONS, *CONSTANTS, *multi)
    found = [(text.find(n), -len(n), n) for n in names if n in text and n != "√"]
    if not found:
        return
    pos, _, name = min(found)
    before, after = "*".join(text[:pos]), text[pos + len(name) :]
    called = name in FUNCTIONS or name in PAIR_FUNCTIONS
    core = f"{name}({after or '...'})" if called else "*".join([name, *after])
    hint = f"{before}*{core}" if before else core
    where = Span(tok.line, tok.col + pos, tok.line, tok.col + pos + len(name))
    en = f"'{text}' is ambiguous: '{name}' is glued to other letters; write {hint}"
    zh = f"'{text}' 有歧义：'{name}' 与其他字母连在一起；请写 {hint}"
    raise fail_at(where, en, zh)
