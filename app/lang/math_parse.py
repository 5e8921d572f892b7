"""Math notation's precedence-climbing parser: tokens (math_tokens) → a tree (math_tree).

sum > term (incl. juxtaposition) > unary minus > power > primary. Every refusal names its place
and what to write instead; nothing ambiguous is guessed (the rules: math_notation's docstring).
"""

from __future__ import annotations

from app.lang.errors import ProgramSyntaxError
from app.lang.math_tokens import CONSTANTS, FUNCTIONS, PAIR_FUNCTIONS, Tok, fail
from app.lang.math_tree import Node, Program

_FACTOR_KINDS = ("num", "name", "func", "pair", "const", "frac")
_CLOSING = {"(": ")", "{": "}", "[": "]", "|": "|"}


class Parser:
    def __init__(self, toks: list[Tok], prog: Program) -> None:
        self.toks, self.prog = toks, prog
        self.i = self.level = self.bars = 0
        self.paren_end = -1  # token index just after the last closing of a group or call
        self.bare_power_end = -1  # token index just after an exponent without parentheses
        self.bare_power_plain = False  # ...and that exponent was one unsigned number

    def peek(self, ahead: int = 0) -> Tok:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> Tok:
        self.i += 1
        return self.toks[self.i - 1]

    def enter(self, tok: Tok) -> None:
        self.level += 1
        if self.level > self.prog.cap:
            raise self.prog.too_deep(tok)

    def parse(self) -> Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind != "end":
            raise self.misplaced(tok)
        return node

    def sum(self) -> Node:
        node = self.term()
        while self.peek().text in ("+", "-") and self.peek().kind == "op":
            tok = self.take()
            node = self.prog.binop(tok, node, self.term())
        return node

    def term(self) -> Node:
        node, after_divide = self.unary(), False
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in ("*", "/"):
                self.take()
                node = self.prog.binop(tok, node, self.unary())
                after_divide = tok.text == "/"
            elif self.starts_factor(tok):
                self.check_juxtaposition(tok, after_divide)
                times = Tok("op", "*", tok.line, tok.col)
                node = self.prog.binop(times, node, self.power())
            else:
                return node

    def starts_factor(self, tok: Tok) -> bool:
        if tok.kind == "bar":  # inside |...| a bar closes; outside it opens |y| in |x||y|
            return self.bars == 0
        return tok.kind in _FACTOR_KINDS or (tok.kind == "op" and tok.text == "(")

    def check_juxtaposition(self, tok: Tok, after_divide: bool) -> None:
        if tok.kind == "num":
            en = f"a number cannot follow another factor: write *{tok.text}"
            raise fail(tok, en, f"数字不能直接跟在另一个因子后面：请写 *{tok.text}")
        if self.bare_power_end == self.i and not (self.bare_power_plain and tok.gap):
            hint = "write x^2*y (or x^2 y) for a product, or x^(2y) for a longer exponent"
            zh = "乘积请写 x^2*y（或 x^2 y），较长的指数请写 x^(2y)"
            raise fail(tok, f"ambiguous exponent: {hint}", f"指数有歧义：{zh}")
        if after_divide:
            hint = "write (a/b)*c or a/(b*c)"
            en = f"ambiguous: does this factor divide or multiply? {hint}"
            raise fail(tok, en, "有歧义：这个因子是除还是乘？请写 (a/b)*c 或 a/(b*c)")

    def unary(self) -> Node:
        tok = self.peek()
        if tok.text not in ("-", "+") or tok.kind != "op":
            return self.power()
        self.take()
        self.enter(tok)
        operand = self.unary()
        self.level -= 1
        return operand if tok.text == "+" else self.prog.make("neg", "-", (operand,), tok)

    def power(self) -> Node:
        return self.exponent(self.primary())

    def exponent(self, base: Node) -> Node:
        tok = self.peek()
        if tok.kind == "sup":
            self.take()
            power = Tok("op", "^", tok.line, tok.col, tok.width)
            return self.raise_to(power, base, self.superscript(tok))
        if tok.kind != "op" or tok.text not in ("^", "**"):
            return base
        self.take()
        self.enter(tok)
        start = self.i
        exponent = self.unary()
        self.level -= 1
        if not (self.toks[start].text == "(" and self.paren_end == self.i):
            self.bare_power_end = self.i
            self.bare_power_plain = self.i == start + 1 and self.toks[start].kind == "num"
        return self.raise_to(tok, base, exponent)

    def raise_to(self, tok: Tok, base: Node, exponent: Node) -> Node:
        if base.kind == "const" and base.text == CONSTANTS["e"]:
            return self.prog.call(tok, "exp", (exponent,), "e^")
        return self.prog.binop(tok, base, exponent)

    def superscript(self, tok: Tok) -> Node:
        """²³ → 23, ⁻¹ → -1: a number written as an exponent (delimited, so x²y is x²·y)."""
        digits = Tok("num", tok.text.lstrip("+-"), tok.line, tok.col, tok.width)
        number = self.prog.number(digits)
        return self.prog.make("neg", "-", (number,), tok) if tok.text[0] == "-" else number

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return self.prog.number(tok)
        if tok.kind == "name":
            return self.named(tok)
        if tok.kind == "const":
            return self.prog.make("const", CONSTANTS[tok.text], (), tok, tok.shown)
        if tok.kind in ("func", "pair"):
            return self.function(tok)
        if tok.kind == "frac":
            return self.fraction(tok)
        if tok.kind == "bar":
            return self.absolute(tok)
        if tok.text == "(":
            return self.group(tok)
        raise self.missing(tok)

    def named(self, tok: Tok) -> Node:
        """A name; before '(' it multiplies only when it is a declared input (a(x+1))."""
        after = self.peek()
        if after.text != "(" or after.kind != "op":
            return self.prog.name(tok)
        if tok.text in self.prog.defined:
            return self.defined_call(tok)
        if tok.text in self.prog.inputs or tok.text in self.prog.assigned:
            return self.prog.name(tok)
        listed = ", ".join([*FUNCTIONS, *PAIR_FUNCTIONS, "σ"])
        en = (
            f"'{tok.text}(' is not a known function, and '{tok.text}' is not an input: "
            f"write {tok.text}*(...) and give '{tok.text}' in the inputs for a product, "
            f"or use one of {listed}"
        )
        zh = (
            f"'{tok.text}(' 不是已知函数，'{tok.text}' 也不是输入：若是乘积请写 {tok.text}*(...) "
            f"并在输入中给出 '{tok.text}'，或使用 {listed} 之一"
        )
        raise fail(tok, en, zh)

    def defined_call(self, tok: Tok) -> Node:
        """f(x) after `f(x) = ...` is f itself; other arguments would need substitution."""
        params = self.prog.defined[tok.text]
        opening = self.take()
        names: list[str] = []
        while self.peek().kind == "name" and self.peek(1).text in (",", ")"):
            names.append(self.take().text)
            if self.take().text == ")":
                break
        if tuple(names) != params or self.toks[self.i - 1].text != ")":
            args = ", ".join(params)
            en = f"write {tok.text}({args}) as it was defined, or write the expression out"
            zh = f"请按定义写 {tok.text}({args})，或把表达式完整写出来"
            raise fail(opening, en, zh)
        self.paren_end = self.i
        node = self.prog.name(tok)
        return Node(
            node.kind, node.text, (), node.depth, node.deps, f"{tok.text}({', '.join(params)})"
        )

    def function(self, tok: Tok) -> Node:
        torch_name = FUNCTIONS.get(tok.text) or PAIR_FUNCTIONS[tok.text]
        power = None
        if self.peek().kind == "sup" or self.peek().text == "^":
            power = self.function_power(tok)
        if tok.text == "sqrt" and self.peek().text == "[":
            return self.root(tok)
        if tok.kind == "pair":
            node = self.prog.call(tok, torch_name, self.pair_arguments(tok), tok.shown)
        elif self.peek().text == "(":
            node = self.prog.call(tok, torch_name, (self.group(self.take()),), tok.shown)
        else:
            node = self.prog.call(tok, torch_name, (self.bare_argument(tok),), tok.shown)
        return (
            node
            if power is None
            else self.prog.binop(Tok("op", "^", tok.line, tok.col), node, power)
        )

    def function_power(self, tok: Tok) -> Node:
        """sin^2(x), sin²x → sin(x)^2 (a positive whole number only: sin^-1 could be arcsin)."""
        marker = self.take()
        number = marker if marker.kind == "sup" else self.take()
        if number.text == "(" and self.peek().kind == "num" and self.peek(1).text == ")":
            number = self.take()
            self.take()
        if number.kind not in ("num", "sup") or not number.text.isdigit():
            f = tok.shown
            en = f"write {f}(x)^2 for a power of {f}; {f}^-1 could mean the inverse function"
            zh = f"{tok.shown} 的幂请写成 {tok.shown}(x)^2；{tok.shown}^-1 可能被理解为反函数"
            raise fail(number, en, zh)
        return self.prog.number(Tok("num", number.text, number.line, number.col, number.width))

    def bare_argument(self, tok: Tok) -> Node:
        """`sin x`, `ln 2`, `\\log \\hat{y}`: one name or number, then nothing that could still
        belong to the argument (`sin x^2`, `sin 2x`, `sin xy` are refused)."""
        arg = self.peek()
        name = tok.shown
        if arg.kind not in ("name", "num", "const"):
            en = f"write {name}(...) with parentheses, e.g. {name}(x)"
            raise fail(tok, en, f"请加括号写成 {name}(...)，例如 {name}(x)")
        self.take()
        after = self.peek()
        if after.kind in ("name", "num", "const", "sup", "frac") or after.text in ("(", "^", "**"):
            a = arg.shown
            if after.kind == "sup" or after.text in ("^", "**"):
                en_hint = zh_hint = f"{name}({a}^2) / {name}({a})^2"
            else:
                en_hint = f"{name}({a}·{after.shown}) or {name}({a})·{after.shown}"
                zh_hint = f"{name}({a}·{after.shown}) 或 {name}({a})·{after.shown}"
            en = f"ambiguous: where does the argument of {name} end? write {en_hint}"
            zh = f"有歧义：{name} 的参数到哪里结束？请写 {zh_hint}"
            raise fail(after, en, zh)
        self.paren_end = self.i
        return self.primary_of(arg)

    def primary_of(self, arg: Tok) -> Node:
        if arg.kind == "num":
            return self.prog.number(arg)
        if arg.kind == "const":
            return self.prog.make("const", CONSTANTS[arg.text], (), arg, arg.shown)
        return self.prog.name(arg)

    def pair_arguments(self, tok: Tok) -> tuple[Node, Node]:
        opening = self.take()
        if opening.text != "(":
            en = f"write {tok.text}(a, b) with two arguments"
            raise fail(tok, en, f"请写成 {tok.text}(a, b)，带两个参数")
        self.enter(opening)
        first = self.sum()
        comma = self.take()
        if comma.text != ",":
            en = f"{tok.text} takes two arguments: write {tok.text}(a, b)"
            raise fail(comma, en, f"{tok.text} 需要两个参数：请写 {tok.text}(a, b)")
        second = self.sum()
        self.close(opening)
        return first, second

    def fraction(self, tok: Tok) -> Node:
        """\\frac{a}{b} → a/b."""
        parts = []
        for _ in range(2):
            opening = self.take()
            if opening.raw != "{":
                raise fail(
                    opening, "write \\frac{a}{b}, with braces", "请写成 \\frac{a}{b}，带花括号"
                )
            parts.append(self.group(opening))
        return self.prog.binop(Tok("op", "/", tok.line, tok.col), parts[0], parts[1])

    def root(self, tok: Tok) -> Node:
        """\\sqrt[n]{x} → x^(1/n)."""
        opening = self.take()
        self.enter(opening)
        degree = self.sum()
        self.close(opening)
        body = self.take()
        if body.raw != "{":
            raise fail(body, "write \\sqrt[n]{x}, with braces", "请写成 \\sqrt[n]{x}，带花括号")
        radicand = self.group(body)
        one = self.prog.make("num", "1", (), tok)
        inverse = self.prog.binop(Tok("op", "/", tok.line, tok.col), one, degree)
        return self.prog.binop(Tok("op", "^", tok.line, tok.col), radicand, inverse)

    def absolute(self, opening: Tok) -> Node:
        """|x - y| → abs(x - y)."""
        self.bars += 1
        node = self.group(opening)
        self.bars -= 1
        return self.prog.call(opening, "abs", (node,), "|")

    def group(self, opening: Tok) -> Node:
        self.enter(opening)
        after = self.peek()
        closing = _CLOSING.get(opening.raw or opening.text, ")")
        if (after.raw or after.text) == closing and opening.kind != "bar":
            raise fail(
                self.peek(),
                "empty parentheses: put an expression inside",
                "括号里是空的：请在里面写表达式",
            )
        node = self.sum()
        self.close(opening)
        return node

    def close(self, opening: Tok) -> None:
        closing = self.take()
        want = _CLOSING.get(opening.raw or opening.text, ")")
        if closing.kind == "end":
            raise fail(
                opening,
                f"unclosed '{opening.shown}': add a matching '{want}'",
                f"'{opening.shown}' 没有闭合：请补上 '{want}'",
            )
        if (closing.raw or closing.text) != want:
            raise self.misplaced(closing)
        self.level -= 1
        self.paren_end = self.i

    def missing(self, tok: Tok) -> ProgramSyntaxError:
        """`tok` stands where an operand should be."""
        before = self.toks[self.i - 2] if self.i >= 2 else None
        if tok.kind == "end" and before is not None and before.text == "(":
            return fail(before, "unclosed '(': add a matching ')'", "'(' 没有闭合：请补上 ')'")
        if tok.kind == "end" and before is not None:
            en = f"'{before.shown}' needs something after it"
            return fail(before, en, f"'{before.shown}' 后面缺少内容")
        if tok.text in (")", "=", ",", "[", "]") or tok.kind == "sup":
            return self.misplaced(tok)
        if before is not None and before.kind == "op" and before.text != ")":
            en = f"'{tok.shown}' cannot follow '{before.shown}'"
            return fail(tok, en, f"'{tok.shown}' 不能跟在 '{before.shown}' 后面")
        return fail(tok, f"'{tok.shown}' needs something before it", f"'{tok.shown}' 前面缺少内容")

    def misplaced(self, tok: Tok) -> ProgramSyntaxError:
        if tok.text == "=":
            return fail(tok, "only one '=' per line", "每行只能有一个 '='")
        if tok.text == ",":
            en = "a comma separates the two arguments of max(a, b) or min(a, b), or two assignments"
            return fail(tok, en, "逗号只用于分隔 max(a, b)、min(a, b) 的两个参数，或分隔两个赋值")
        if tok.kind == "sup":
            return fail(
                tok, "a superscript needs a base before it, e.g. x²", "上标前面需要底数，例如 x²"
            )
        if tok.text == "[" or tok.text == "]":
            return fail(tok, "use ( ) to group", "请用 ( ) 分组")
        if tok.kind == "bar":
            return fail(
                tok,
                "unmatched '|': write |x - y| for an absolute value",
                "'|' 不成对：绝对值请写 |x - y|",
            )
        shown = tok.shown
        return fail(
            tok,
            f"unmatched '{shown}': remove it or add an opening one before it",
            f"'{shown}' 不成对：请删掉它，或在前面补上对应的左括号",
        )
