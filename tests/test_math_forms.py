"""Math notation as people write it (issue #15): the notes' LaTeX, Unicode, f(x) = definitions,
functions without parentheses, juxtaposition, free variables found in the formula. Every case
runs under real Python + torch and matches sympy's value and every partial derivative; its
"read as" echo is checked where the reading is the point."""

from __future__ import annotations

from typing import Any

import pytest
import sympy as sp

from app.lang.math_notation import MathCompilation, compile_math
from app.settings import Limits
from tests.math_oracle import (
    Case,
    assert_matches_sympy,
    execute,
    only_allowed_constructs,
    relu,
    sigmoid,
)

LIMITS = Limits.defaults()
XY = {"x": 0.7, "y": 1.3}

UNICODE = [
    Case("u_sigma_is_sigmoid", "y = σ(x)", {"x": 0.4}, lambda s: sigmoid(s.x)),
    Case("u_sigma_of_sum", "y = σ(w x + b)", {"w": 0.5, "x": 1.5, "b": -0.2},
         lambda s: sigmoid(s.w * s.x + s.b)),
    Case("u_superscript_two", "y = x²", {"x": 1.7}, lambda s: s.x**2),
    Case("u_superscript_three_product", "z = x³y", XY, lambda s: s.x**3 * s.y),
    Case("u_superscript_many_digits", "y = x¹⁰ + x", {"x": 1.1}, lambda s: s.x**10 + s.x),
    Case("u_superscript_negative", "y = x⁻¹ + x⁻²", {"x": 1.6}, lambda s: 1 / s.x + s.x**-2),
    Case("u_middle_dot", "z = 2·x + x·y", XY, lambda s: 2 * s.x + s.x * s.y),
    Case("u_times", "z = 3 × x × y", XY, lambda s: 3 * s.x * s.y),
    Case("u_dot_operator", "z = w ⋅ x + b", {"w": 0.3, "x": 2, "b": 1},
         lambda s: s.w * s.x + s.b),
    Case("u_asterisk_operator", "y = (x + w) ∗ (w + 1)", {"x": 1.5, "w": 0.5},
         lambda s: (s.x + s.w) * (s.w + 1)),
    Case("u_minus_sign", "z = x − 2y", XY, lambda s: s.x - 2 * s.y),
    Case("u_division_sign", "z = x ÷ (1 + y)", XY, lambda s: s.x / (1 + s.y)),
    Case("u_fullwidth_equals_parens", "ｙ＝（ｘ＋１）（ｘ－１）", {"x": 2.5},
         lambda s: (s.x + 1) * (s.x - 1)),
    Case("u_fullwidth_operators", "z = x ＊ y ／ 2 ＋ x＾2", XY,
         lambda s: s.x * s.y / 2 + s.x**2),
    Case("u_pi_times", "A = πr²", {"r": 1.2}, lambda s: sp.pi * s.r**2),
    Case("u_two_pi_x", "y = sin(2πx)", {"x": 0.1}, lambda s: sp.sin(2 * sp.pi * s.x)),
    Case("u_root", "y = √x + x", {"x": 2.25}, lambda s: sp.sqrt(s.x) + s.x),
    Case("u_root_group", "r = √(x² + y²)", {"x": 3, "y": 4}, lambda s: sp.sqrt(s.x**2 + s.y**2)),
    Case("u_greek_free", "L = (θ - μ)²", {"θ": 1.5, "μ": 0.25}, lambda s: (s.θ - s.μ) ** 2),
    Case("u_greek_product", "z = αβ + γ", {"α": 0.5, "β": 3, "γ": -1},
         lambda s: s.α * s.β + s.γ),
    Case("u_sigma_variable_alone", "v = σ^2 + x", {"σ": 0.8, "x": 1}, lambda s: s.σ**2 + s.x),
    Case("u_superscript_juxtaposed", "z = x²y³", XY, lambda s: s.x**2 * s.y**3),
]  # fmt: skip

FUNCTIONS = [
    Case("f_definition", "f(x) = x^3 - 2x", {"x": 1.4}, lambda s: s.x**3 - 2 * s.x),
    Case("f_definition_two_params", "f(x, y) = x^2 y + y", XY, lambda s: s.x**2 * s.y + s.y),
    Case("f_definition_then_use", "f(x) = x^2\ng = 3f(x) + f(x)^2", {"x": 1.2},
         lambda s: 3 * s.x**2 + s.x**4),
    Case("f_sigma_definition", "σ(x) = 1/(1 + e^-x)", {"x": 0.3}, lambda s: sigmoid(s.x)),
    Case("f_sin_x_cos_y", "z = sin x + cos y", XY, lambda s: sp.sin(s.x) + sp.cos(s.y)),
    Case("f_ln_x", "y = ln x", {"x": 2.5}, lambda s: sp.log(s.x)),
    Case("f_log_is_natural", "y = log x + log(x + 1)", {"x": 1.5},
         lambda s: sp.log(s.x) + sp.log(s.x + 1)),
    Case("f_exp_bare", "y = exp x - x", {"x": 0.6}, lambda s: sp.exp(s.x) - s.x),
    Case("f_bare_then_product", "z = sin x cos y", XY, lambda s: sp.sin(s.x) * sp.cos(s.y)),
    Case("f_bare_number", "z = x ln 2", {"x": 1.5}, lambda s: s.x * sp.log(2)),
    Case("f_bare_then_divide", "z = ln x / 2", {"x": 3}, lambda s: sp.log(s.x) / 2),
    Case("f_sin_squared", "y = sin^2(x) + cos^2(x) x", {"x": 0.8},
         lambda s: sp.sin(s.x) ** 2 + sp.cos(s.x) ** 2 * s.x),
    Case("f_sin_superscript_bare", "y = sin²x", {"x": 0.5}, lambda s: sp.sin(s.x) ** 2),
    Case("f_tanh_cubed_braced", "y = tanh^{3}(x)", {"x": 0.5}, lambda s: sp.tanh(s.x) ** 3),
    Case("f_abs_bars", "z = |x - y|", {"x": 0.5, "y": 2}, lambda s: sp.Abs(s.x - s.y)),
    Case("f_abs_bars_product", "z = |x| |y| + 1", {"x": -0.5, "y": 2},
         lambda s: sp.Abs(s.x) * sp.Abs(s.y) + 1),
    Case("f_abs_nested", "z = ||x| - |y||", {"x": -0.5, "y": 2},
         lambda s: sp.Abs(sp.Abs(s.x) - sp.Abs(s.y))),
    Case("f_abs_coefficient", "z = 2|x + 1|", {"x": 0.5}, lambda s: 2 * sp.Abs(s.x + 1)),
    Case("f_e_power_and_exp", "y = e^x + exp(2x)", {"x": 0.3},
         lambda s: sp.exp(s.x) + sp.exp(2 * s.x)),
    Case("f_relu_tanh_sigmoid", "z = relu(x) + tanh(y) + sigmoid(x y)", {"x": 0.5, "y": -0.4},
         lambda s: relu(s.x) + sp.tanh(s.y) + sigmoid(s.x * s.y)),
    Case("f_max_two_variables", "z = max(x, y)", XY, lambda s: sp.Max(s.x, s.y)),
    Case("f_min_two_variables", "z = min(x^2, y)", XY, lambda s: sp.Min(s.x**2, s.y)),
    Case("f_max_with_constant", "z = max(x, 0) + min(1, y)", {"x": -0.5, "y": 2},
         lambda s: sp.Max(s.x, 0) + sp.Min(1, s.y)),
    Case("f_max_of_expressions", "z = max(2x - 1, x y)", XY,
         lambda s: sp.Max(2 * s.x - 1, s.x * s.y)),
    Case("f_sqrt_word", "y = sqrt x + sqrt(x + 1)", {"x": 2},
         lambda s: sp.sqrt(s.x) + sp.sqrt(s.x + 1)),
    Case("f_declared_input_before_paren", "z = a(x + 1)", {"a": 2, "x": 0.5},
         lambda s: s.a * (s.x + 1)),
]  # fmt: skip

JUXTAPOSITION = [
    Case("j_powers_with_space", "z = x^2 y^3", XY, lambda s: s.x**2 * s.y**3),
    Case("j_coefficient_group", "z = 2(x + y)", XY, lambda s: 2 * (s.x + s.y)),
    Case("j_two_groups", "z = (x + 1)(x - 1)", {"x": 3}, lambda s: (s.x + 1) * (s.x - 1)),
    Case("j_two_pi_x", "z = 2πx", {"x": 0.5}, lambda s: 2 * sp.pi * s.x),
    Case("j_letter_then_pi", "z = aπ + πr", {"a": 0.5, "r": 2},
         lambda s: s.a * sp.pi + sp.pi * s.r),
    Case("j_free_letters", "z = 3a + ab", {"a": 1.5, "b": -2}, lambda s: 3 * s.a + s.a * s.b),
    Case("j_free_letters_no_inputs", "z = 3a + ab", {}, lambda s: 3 * s.a + s.a * s.b),
    Case("j_three_free_letters", "w = xyz + x", {"x": 2, "y": 3, "z": 0.5},
         lambda s: s.x * s.y * s.z + s.x),
    Case("j_subscripts_found", "y = 2a_0^2 + 2a_1", {"a_0": 1.5, "a_1": -1},
         lambda s: 2 * s.a_0**2 + 2 * s.a_1),
    Case("j_subscripts_no_inputs", "y = 2a_0^2 + 2a_1", {},
         lambda s: 2 * s.a_0**2 + 2 * s.a_1),
    Case("j_weights_subscripted", "y = w_1 x_1 + w_2 x_2 + b", {"w_1": 0.5, "x_1": 2,
         "w_2": -1, "x_2": 3, "b": 0.1},
         lambda s: s.w_1 * s.x_1 + s.w_2 * s.x_2 + s.b),
    Case("j_superscript_then_group", "z = x²(x + 1)", {"x": 1.5}, lambda s: s.x**2 * (s.x + 1)),
    Case("j_exponent_number_space", "z = e^2 x", {"x": 1.5}, lambda s: sp.E**2 * s.x),
    Case("j_function_after_name", "z = x sin(x) + 2x cos x", {"x": 0.9},
         lambda s: s.x * sp.sin(s.x) + 2 * s.x * sp.cos(s.x)),
    Case("j_root_coefficient", "z = 2√x", {"x": 4}, lambda s: 2 * sp.sqrt(s.x)),
    Case("j_group_then_power", "z = (x - y)^2 / 2", XY, lambda s: (s.x - s.y) ** 2 / 2),
]  # fmt: skip

LATEX = [
    Case("l_sigmoid_from_notes", "$\\sigma(x) = \\frac{1}{1+e^{-x}}$", {"x": 0.5},
         lambda s: sigmoid(s.x)),
    Case("l_hat_y", "\\hat{y} = w \\cdot x + b", {"w": 0.5, "x": 2, "b": 0.1},
         lambda s: s.w * s.x + s.b),
    Case("l_frac_simple", "z = \\frac{x}{y}", XY, lambda s: s.x / s.y),
    Case("l_frac_nested", "z = \\frac{1}{1 + \\frac{x}{2}}", {"x": 0.5},
         lambda s: 1 / (1 + s.x / 2)),
    Case("l_frac_juxtaposed", "out = \\frac{3}{2} y^2", {"y": 1.5},
         lambda s: sp.Rational(3, 2) * s.y**2),
    Case("l_frac_times", "out = \\frac{1}{4} *z", {"z": 2.5}, lambda s: s.z / 4),
    Case("l_sqrt", "z = \\sqrt{x^2 + y^2}", {"x": 3, "y": 4}, lambda s: sp.sqrt(s.x**2 + s.y**2)),
    Case("l_sqrt_n", "z = \\sqrt[3]{x} + \\sqrt[4]{y}", {"x": 2, "y": 3},
         lambda s: s.x ** sp.Rational(1, 3) + s.y ** sp.Rational(1, 4)),
    Case("l_braced_exponent", "z = x^{2} + e^{2x}", {"x": 0.4}, lambda s: s.x**2 + sp.exp(2 * s.x)),
    Case("l_braced_exponent_product", "z = x^{2}y", XY, lambda s: s.x**2 * s.y),
    Case("l_braced_subscripts", "z = W_{1} \\cdot X + b_{1}", {"W_1": 0.5, "X": 2, "b_1": -1},
         lambda s: s.W_1 * s.X + s.b_1),
    Case("l_braced_greek_subscripts", "z = {\\omega}_1 x + {\\omega}_{2}", {"ω_1": 0.5, "x": 2,
         "ω_2": -1}, lambda s: sp.Symbol("ω_1", real=True) * s.x + sp.Symbol("ω_2", real=True)),
    Case("l_subscript_digits", "z = x_{10} + x_1", {"x_10": 2, "x_1": 3}, lambda s: s.x_10 + s.x_1),
    Case("l_cdot_times", "z = 2 \\cdot x \\times y", XY, lambda s: 2 * s.x * s.y),
    Case("l_greek_commands", "z = \\alpha \\beta + \\theta^2", {"α": 0.5, "β": 2, "θ": 1.5},
         lambda s: s.α * s.β + s.θ**2),
    Case("l_omega", "z = \\omega x + \\lambda", {"ω": 0.5, "x": 2, "λ": 0.1},
         lambda s: s.ω * s.x + s.λ),
    Case("l_functions", "z = \\sin x + \\cos(y) + \\exp(x) + \\ln y", XY,
         lambda s: sp.sin(s.x) + sp.cos(s.y) + sp.exp(s.x) + sp.log(s.y)),
    Case("l_left_right", "z = \\left( x + y \\right)^2", XY, lambda s: (s.x + s.y) ** 2),
    Case("l_left_right_bars", "z = \\left| x - y \\right|", XY, lambda s: sp.Abs(s.x - s.y)),
    Case("l_loss_from_notes", "loss = -\\log (1-\\hat{y})", {"y_hat": 0.3},
         lambda s: -sp.log(1 - s.y_hat)),
    Case("l_loss_bare_log", "loss = -y \\log \\hat{y}", {"y": 1, "y_hat": 0.3},
         lambda s: -s.y * sp.log(s.y_hat)),
    Case("l_pi", "z = \\pi x^2", {"x": 0.5}, lambda s: sp.pi * s.x**2),
    Case("l_spacing", "z = x \\, y \\; + \\! 1", XY, lambda s: s.x * s.y + 1),
    Case("l_double_dollars", "$$z = x^2$$", {"x": 1.5}, lambda s: s.x**2),
    Case("l_max", "z = \\max(x, y) + \\min(x, y)", XY,
         lambda s: sp.Max(s.x, s.y) + sp.Min(s.x, s.y)),
    Case("l_bar_accent", "z = \\bar{x}^2 + \\tilde y", {"x_bar": 0.5, "y_tilde": 2},
         lambda s: s.x_bar**2 + s.y_tilde),
]  # fmt: skip

STATEMENTS = [
    Case("s_latex_line_breaks", "u = 2x \\\\ v = xy \\\\ z = u+v", {"x": 3, "y": 6},
         lambda s: 2 * s.x + s.x * s.y),
    Case("s_semicolons", "a = x + w; b = w + 1; y = a b", {"x": 1.5, "w": 0.5},
         lambda s: (s.x + s.w) * (s.w + 1)),
    Case("s_fullwidth_semicolons", "a = x + w；y = a^2", {"x": 1.5, "w": 0.5},
         lambda s: (s.x + s.w) ** 2),
    Case("s_commas_from_notes", "$a=x+w , b=w+1, y=a∗b$", {"x": 1.5, "w": 0.5},
         lambda s: (s.x + s.w) * (s.w + 1)),
    Case("s_dollars_per_line", "$a = x + w$\n$y = a^2$", {"x": 1.5, "w": 0.5},
         lambda s: (s.x + s.w) ** 2),
    Case("s_comma_inside_max_is_no_separator", "a = max(x, y), z = 2a", XY,
         lambda s: 2 * sp.Max(s.x, s.y)),
    Case("s_new_lines_and_comment", "# the notes' network\nh = σ(w x + b)  # hidden\nL = (h - t)²",
         {"w": 0.5, "x": 1.5, "b": -0.2, "t": 1},
         lambda s: (sigmoid(s.w * s.x + s.b) - s.t) ** 2),
    Case("s_definition_chain", "f(x) = x^2; g(x) = 2f(x) + x", {"x": 1.5},
         lambda s: 2 * s.x**2 + s.x),
]  # fmt: skip

CASES = [*UNICODE, *FUNCTIONS, *JUXTAPOSITION, *LATEX, *STATEMENTS]


@pytest.fixture(scope="module")
def compiled() -> dict[str, MathCompilation]:
    return {case.id: compile_math(case.text, case.inputs, LIMITS) for case in CASES}


@pytest.fixture(scope="module")
def executed(compiled: dict[str, MathCompilation]) -> dict[str, dict[str, Any]]:
    return execute(CASES, compiled)


def test_at_least_eighty_forms_each_checked_against_sympy() -> None:
    assert len(CASES) >= 80
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_value_and_every_partial_derivative_match_sympy(
    case: Case, compiled: dict[str, MathCompilation], executed: dict[str, dict[str, Any]]
) -> None:
    assert_matches_sympy(case, compiled[case.id], executed[case.id])


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_compiled_code_uses_only_allowed_constructs(
    case: Case, compiled: dict[str, MathCompilation]
) -> None:
    assert not only_allowed_constructs(compiled[case.id].code)


READ_AS = {
    "u_sigma_is_sigmoid": ("y = σ(x)",),
    "u_middle_dot": ("z = 2·x + x·y",),
    "u_superscript_three_product": ("z = x³·y",),
    "u_fullwidth_equals_parens": ("y = (x + 1)·(x - 1)",),
    "u_pi_times": ("A = π·r²",),
    "f_definition": ("f(x) = x³ - 2·x",),
    "f_definition_then_use": ("f(x) = x²", "g = 3·f(x) + f(x)²"),
    "f_sin_x_cos_y": ("z = sin(x) + cos(y)",),
    "f_sin_squared": ("y = sin(x)² + cos(x)²·x",),
    "f_abs_bars": ("z = |x - y|",),
    "f_e_power_and_exp": ("y = e^x + exp(2·x)",),
    "j_powers_with_space": ("z = x²·y³",),
    "j_free_letters": ("z = 3·a + a·b",),
    "j_subscripts_found": ("y = 2·a_0² + 2·a_1",),
    "j_exponent_number_space": ("z = e²·x",),
    "l_sigmoid_from_notes": ("σ(x) = 1/(1 + e^(-x))",),
    "l_hat_y": ("ŷ = w·x + b",),
    "l_sqrt_n": ("z = x^(1/3) + y^(1/4)",),
    "l_loss_bare_log": ("loss = -y·log(ŷ)",),
    "s_latex_line_breaks": ("u = 2·x", "v = x·y", "z = u + v"),
    "s_commas_from_notes": ("a = x + w", "b = w + 1", "y = a·b"),
}


@pytest.mark.parametrize(("case_id", "lines"), READ_AS.items(), ids=list(READ_AS))
def test_read_as_echoes_how_the_formula_was_read(
    case_id: str, lines: tuple[str, ...], compiled: dict[str, MathCompilation]
) -> None:
    assert compiled[case_id].read_as == lines


def test_free_variables_are_found_in_order_and_default_to_one() -> None:
    result = compile_math("z = 3a + ab + 2a_0^2 + θ", {}, LIMITS)
    assert result.defaulted == ("a", "b", "a_0", "θ")


def test_sigma_before_a_paren_is_sigmoid_not_a_product() -> None:
    code = compile_math("y = σ(x)", {"x": 0.5}, LIMITS).code
    assert "y = torch.sigmoid(x)\n" in code and "σ" not in code


def test_hat_y_is_the_python_name_y_hat() -> None:
    code = compile_math("\\hat{y} = 2x", {}, LIMITS).code
    assert "y_hat = 2 * x\n" in code and code.endswith("y_hat.backward()\n")


def test_max_with_a_constant_wraps_it_in_a_tensor() -> None:
    code = compile_math("z = max(x, 0)", {"x": 1}, LIMITS).code
    assert "z = torch.maximum(x, torch.tensor(0.0))\n" in code


def test_statements_on_one_line_map_back_to_that_line() -> None:
    result = compile_math("u = 2x; v = xy\nz = u + v", {"x": 3, "y": 6}, LIMITS)
    lines = result.code.splitlines()
    assert [result.line_map[n] for n in (4, 5, 6, 7)] == [1, 1, 2, 2]
    assert lines[3:6] == ["u = 2 * x", "v = x * y", "z = u + v"]
