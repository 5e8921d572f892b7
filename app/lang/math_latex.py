"""The notes' LaTeX subset, one command at a time: `\\frac`, `\\sqrt`, `\\cdot`, `\\sin`, Greek
letters, `\\hat{y}`, `\\left( \\right)`. Each command becomes a token the math tokenizer already
knows (a letter run, a function, an operator); every other command is refused by name.
"""

from __future__ import annotations

import re

from app.lang.errors import ProgramSyntaxError, Span

GREEK = {
    **dict(
        zip(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa".split(),
            "αβγδεζηθικ",
            strict=True,
        )
    ),
    **dict(zip("lambda mu nu xi rho sigma tau upsilon phi chi".split(), "λμνξρστυφχ", strict=True)),
    **dict(
        zip("psi omega varepsilon vartheta varphi varsigma varrho".split(), "ψωεθφςρ", strict=True)
    ),
    **dict(
        zip("Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega Pi".split(), "ΓΔΘΛΞΣΦΨΩΠ", strict=True)
    ),
}
FUNCTIONS = frozenset("sin cos tan tanh exp ln log max min sqrt".split())
OPERATORS = {"cdot": "*", "times": "*", "ast": "*", "div": "/"}
SPACING = frozenset({",", ";", ":", "!", " ", "quad", "qquad", "left", "right"})
ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde"}
FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_ACCENT_BASE = re.compile(r"\s*(?:\{\s*([A-Za-z]|\\[A-Za-z]+)\s*\}|([A-Za-z]|\\[A-Za-z]+))")
_HINTS = {
    "partial": (
        "derivatives are what the playground computes: write the function itself, "
        "e.g. z = x^2, and read the gradients from the graph",
        "导数正是本工具要计算的：只写函数本身（如 z = x^2），梯度在计算图里读",
    ),
}


def command(view: str, i: int, line: int) -> tuple[str, str, int]:
    """The command at `view[i]` ("\\"): (kind, text, end). Kinds: skip, greek, func, op, const,
    frac, accent (text is the accented letter's run, e.g. "y_hat"); end is the index after it."""
    found = _COMMAND.match(view, i)
    name = found.group(1) if found else ""
    end = found.end() if found else i + 1
    if name in SPACING:
        if name == "left" and view.startswith(".", end):
            end += 1  # \left. opens nothing
        return "skip", "", end
    if name == "right" and view.startswith(".", end):
        return "skip", "", end + 1
    if name in GREEK:
        return "greek", GREEK[name], end
    if name == "pi":
        return "const", "pi", end
    if name in FUNCTIONS:
        return "func", name, end
    if name in OPERATORS:
        return "op", OPERATORS[name], end
    if name in FRACTIONS:
        return "frac", "frac", end
    if name in ACCENTS:
        return _accent(view, Span(line, i, line, end), name, end)
    raise _unknown(name, Span(line, i, line, end))


def _accent(view: str, where: Span, name: str, end: int) -> tuple[str, str, int]:
    """`\\hat{y}`, `\\hat y`, `\\hat{\\theta}` → the name `y_hat` (the typeset echo shows ŷ)."""
    base = _ACCENT_BASE.match(view, end)
    letter = (base.group(1) or base.group(2)) if base else ""
    if letter.startswith("\\"):
        letter = GREEK.get(letter[1:], "")
    if not base or not letter:
        en = f"write \\{name}{{y}} with one letter inside the braces"
        zh = f"写成 \\{name}{{y}}，花括号里只放一个字母"
        raise ProgramSyntaxError(en, where, {"en": en, "zh": zh})
    return "accent", f"{letter}_{ACCENTS[name]}", base.end()


def _unknown(name: str, where: Span) -> ProgramSyntaxError:
    en, zh = _HINTS.get(
        name,
        (
            "use + - * / ^, \\frac{a}{b}, \\sqrt{x}, \\cdot, Greek letters and functions "
            "such as \\sin, \\exp, \\ln",
            "请使用 + - * / ^、\\frac{a}{b}、\\sqrt{x}、\\cdot、希腊字母"
            "以及 \\sin、\\exp、\\ln 等函数",
        ),
    )
    en = f"the LaTeX command '\\{name}' is not supported: {en}"
    zh = f"不支持 LaTeX 命令 '\\{name}'：{zh}"
    return ProgramSyntaxError(en, where, {"en": en, "zh": zh})
