"""Math notation never guesses: every ambiguous or unknown form of issue #15 is refused at its
place, saying what to write instead, in English and 中文 (`hints`)."""

from __future__ import annotations

from typing import Any

import pytest

from app.lang.errors import ProgramSyntaxError
from app.lang.math_notation import compile_math
from app.settings import Limits

LIMITS = Limits.defaults()


def _case(id: str, text: str, col: int, en: str, zh: str, inputs: Any = None, line: int = 1) -> Any:
    return pytest.param(text, {} if inputs is None else inputs, line, col, en, zh, id=id)


REFUSALS = [
    # a name before '(' that is no known function multiplies only when it is a declared input
    _case("unknown_one_letter_function", "y = g(x)", 4, "'g(' is not a known function",
          "不是已知函数"),
    _case("free_letter_before_paren", "z = a(x + 1)", 4, "give 'a' in the inputs",
          "在输入中给出 'a'"),
    _case("unknown_word_function", "y = foo(x)", 4, "unknown function 'foo'", "未知函数 'foo'"),
    _case("free_product_before_paren", "y = ab(x)", 4, "unknown function 'ab'", "未知函数 'ab'"),
    # functions without parentheses take one name or number, and nothing that could continue it
    _case("bare_argument_power", "z = sin x^2", 9, "sin(x^2) / sin(x)^2", "参数到哪里结束"),
    _case("bare_argument_number_letter", "z = sin 2x", 9, "sin(2·x) or sin(2)·x", "sin(2)·x"),
    _case("bare_argument_product", "z = ln xy", 8, "ln(x·y) or ln(x)·y", "ln(x)·y"),
    _case("bare_argument_missing", "z = sin + x", 4, "write sin(...) with parentheses",
          "请加括号"),
    _case("inverse_or_power", "z = sin^-1(x)", 8, "could mean the inverse function", "反函数"),
    # exponents and division
    _case("exponent_glued", "z = x^2y", 7, "ambiguous exponent", "指数有歧义"),
    _case("signed_exponent_then_factor", "z = e^-x y", 9, "ambiguous exponent", "指数有歧义"),
    _case("divide_or_multiply", "z = 1/2x", 7, "does this factor divide or multiply", "是除还是乘"),
    _case("scientific_notation", "z = 2e3 x", 5, "scientific notation", "科学计数法"),
    # names
    _case("sigma_twice", "z = σ(x) + σ", 11, "σ cannot also be a variable", "σ 不能同时作为变量"),
    _case("word", "z = grad + x", 4, "write g*r*a*d for a product", "若是乘积请写 g*r*a*d"),
    _case("glued_function", "z = sinx", 4, "write sin(x)", "请写 sin(x)"),
    _case("glued_constant", "z = xe", 5, "write x*e", "请写 x*e"),
    _case("digits_inside", "z = x2y", 4, "separate the factors", "请用 * 或空格分开"),
    _case("reserved_word", "z = lambda x", 4, "reserved word", "保留字"),
    _case("short_word", "z = sum + x", 4, "write s*u*m for a product", "若是乘积请写 s*u*m"),
    _case("function_we_lack", "z = cot x", 4, "write c*o*t for a product", "c*o*t"),
    _case("log_with_base", "z = log_2 x", 4, "write log(x)/log(b)", "log(x)/log(b)"),
    _case("log_with_braced_base", "z = \\log_{10}(x)", 4, "log with a subscript", "带下标的 log"),
    _case("leaf_assigned_later", "y = x³y", 0, "used before it is assigned", "在赋值之前已被使用"),
    # the notes' LaTeX beyond the subset
    _case("latex_partial", "z = \\partial x", 4, "derivatives are what the playground computes",
          "导数正是本工具要计算的"),
    _case("latex_integral", "z = \\int x", 4, "'\\int' is not supported",
          "不支持 LaTeX 命令 '\\int'"),
    _case("latex_frac_without_braces", "z = \\frac12", 9, "write \\frac{a}{b}", "带花括号"),
    _case("latex_root_without_braces", "z = \\sqrt[3]x", 12, "write \\sqrt[n]{x}", "带花括号"),
    _case("latex_accent_two_letters", "z = \\hat{xy}", 4, "one letter inside the braces",
          "只放一个字母"),
    _case("chained_equals_from_notes", "out = \\frac{1}{4} *z = \\frac{3}{2}y^2", 21,
          "only one '='", "只能有一个 '='"),
    _case("bare_formula_from_notes", "$W_{1} \\cdot X+b_{1}$", 1, "write it as an assignment",
          "请写成赋值"),
    # brackets, bars, commas
    _case("max_one_argument", "z = max(x)", 9, "max takes two arguments", "需要两个参数"),
    _case("comma_outside_max", "z = x, y", 5, "a comma separates", "逗号只用于"),
    _case("square_brackets", "z = [x + 1]", 4, "use ( ) to group", "请用 ( ) 分组"),
    _case("unclosed_bar", "z = |x - y", 4, "unclosed '|'", "'|' 没有闭合"),
    _case("brace_closed_by_paren", "z = {x + 1)", 10, "unmatched ')'", "不成对"),
    _case("superscript_without_base", "z = ² + x", 4, "needs a base", "需要底数"),
    _case("superscript_letter", "z = xⁿ", 5, "unexpected character 'ⁿ'", "无法识别的字符"),
    _case("partial_sign", "z = ∂x", 4, "unexpected character '∂'", "只写函数本身"),
    _case("factorial", "z = x!", 5, "factorials are not supported", "不支持阶乘"),
    # definitions
    _case("definition_called_with_other_arguments", "f(x) = x^2; g = f(2)", 17,
          "write f(x) as it was defined", "请按定义写 f(x)"),
    _case("definition_repeated_parameter", "f(x, x) = x^2", 0, "different name", "不同的名字"),
    _case("definition_of_a_number", "f(2) = x", 0, "or a definition, e.g. f(x) = x^2",
          "或一个定义"),
    _case("constant_output", "y = 2π", 0, "does not depend on any variable", "不依赖任何变量"),
    _case("error_on_second_statement", "u = 2x\\\\ z = u +* 3", 16, "cannot follow", "不能跟在"),
    _case("error_on_second_line", "u = 2x\nz = sin 3u", 9, "sin(3·u)", "sin(3)·u", line=2),
]  # fmt: skip


@pytest.mark.parametrize(("text", "inputs", "line", "col", "en", "zh"), REFUSALS)
def test_ambiguous_or_unknown_notation_is_refused_in_english_and_chinese(
    text: str, inputs: dict[str, Any], line: int, col: int, en: str, zh: str
) -> None:
    with pytest.raises(ProgramSyntaxError) as raised:
        compile_math(text, inputs, LIMITS)
    error = raised.value
    assert en in error.message
    assert error.hints is not None and error.hints["en"] == error.message
    assert zh in error.hints["zh"]
    assert error.span is not None and (error.span.line, error.span.col) == (line, col)
    assert error.to_dict()["hints"] == error.hints


def test_a_declared_input_before_a_paren_multiplies() -> None:
    code = compile_math("z = a(x + 1)", {"a": 2, "x": 1}, LIMITS).code
    assert "z = a * (x + 1)\n" in code


def test_every_refusal_of_the_math_compiler_has_both_languages() -> None:
    """The whole existing refusal table of tests/test_math_notation.py, not just this one's."""
    from tests.test_math_notation import ERRORS

    for param in ERRORS:
        text, inputs, limits, exc, *_ = param.values
        if exc is not ProgramSyntaxError:
            continue
        with pytest.raises(ProgramSyntaxError) as raised:
            compile_math(text, inputs, limits)
        hints = raised.value.hints
        assert hints and hints["en"] and hints["zh"], param.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in hints["zh"]), param.id
