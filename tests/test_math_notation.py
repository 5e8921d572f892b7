"""Math notation → PyTorch source: the emitted code runs under real Python + torch (one
subprocess for the whole table) and its values and gradients match sympy, built by hand here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sympy as sp

from app.lang.errors import LimitExceeded, ProgramError, ProgramSyntaxError
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

CASES = [
    Case("seed", "z = 2x + xy", {"x": 3, "y": 6}, lambda s: 2 * s.x + s.x * s.y),
    Case("quadratic", "y = x^2 + 3x + 1", {"x": 2}, lambda s: s.x**2 + 3 * s.x + 1),
    Case("cubic", "y = 2x^3 - 4x^2 + x - 7", {"x": 1.5},
         lambda s: 2 * s.x**3 - 4 * s.x**2 + s.x - 7),
    Case("two_var_poly", "z = x^2*y + x*y^2 - 3xy", {"x": 1.2, "y": -0.7},
         lambda s: s.x**2 * s.y + s.x * s.y**2 - 3 * s.x * s.y),
    Case("product_of_sums", "z = (x + 1)(x - 1)", {"x": 3}, lambda s: (s.x + 1) * (s.x - 1)),
    Case("three_factors", "z = (x + y)(x - y)(2x + y)", {"x": 1.5, "y": 0.5},
         lambda s: (s.x + s.y) * (s.x - s.y) * (2 * s.x + s.y)),
    Case("coefficient_paren", "z = 2(x + y) - 3(x - 2y)", {"x": 1, "y": 2},
         lambda s: 2 * (s.x + s.y) - 3 * (s.x - 2 * s.y)),
    Case("space_juxtaposition", "z = x y + 3xy", {"x": 2, "y": -1},
         lambda s: s.x * s.y + 3 * s.x * s.y),
    Case("unary_minus_power", "z = -x^2 + y", {"x": 3, "y": 1}, lambda s: -(s.x**2) + s.y),
    Case("negative_exponent", "z = 2^-1 * x + x^-2", {"x": 1.5},
         lambda s: sp.Rational(1, 2) * s.x + s.x**-2),
    Case("right_assoc_power", "z = x^y^2", {"x": 1.5, "y": 1.2}, lambda s: s.x ** (s.y**2)),
    Case("variable_exponent", "z = x^y", {"x": 2, "y": 3}, lambda s: s.x**s.y),
    Case("star_star", "z = x**2 + y**x", {"x": 1.3, "y": 2.2}, lambda s: s.x**2 + s.y**s.x),
    Case("quotient", "z = (x + 1)/(x - 1)", {"x": 3}, lambda s: (s.x + 1) / (s.x - 1)),
    Case("quotient_chain", "z = x / y / 2", {"x": 3, "y": 4}, lambda s: s.x / s.y / 2),
    Case("design_example", "y = sin(x)^2 + e^x", {"x": 0.7},
         lambda s: sp.sin(s.x) ** 2 + sp.exp(s.x)),
    Case("trig_product", "z = sin(x)cos(y)", {"x": 0.3, "y": 1.1},
         lambda s: sp.sin(s.x) * sp.cos(s.y)),
    Case("tan_and_sin", "z = tan(x) + 2sin(x)", {"x": 0.4},
         lambda s: sp.tan(s.x) + 2 * sp.sin(s.x)),
    Case("softplus", "z = log(exp(x) + 1)", {"x": 0.5}, lambda s: sp.log(sp.exp(s.x) + 1)),
    Case("ln_alias", "z = ln(x^2 + 1)", {"x": 2}, lambda s: sp.log(s.x**2 + 1)),
    Case("e_powers", "z = e^(2x) + e^-x", {"x": 0.3}, lambda s: sp.exp(2 * s.x) + sp.exp(-s.x)),
    Case("constants", "z = e*x + pi*y", {"x": 1, "y": 2}, lambda s: sp.E * s.x + sp.pi * s.y),
    Case("hypot", "z = sqrt(x^2 + y^2)", {"x": 3, "y": 4}, lambda s: sp.sqrt(s.x**2 + s.y**2)),
    Case("abs", "z = abs(x - y)", {"x": 1, "y": 3}, lambda s: sp.Abs(s.x - s.y)),
    Case("tanh", "z = tanh(2x)", {"x": 0.3}, lambda s: sp.tanh(2 * s.x)),
    Case("sigmoid", "z = sigmoid(x*y)", {"x": 0.5, "y": -1.5}, lambda s: sigmoid(s.x * s.y)),
    Case("relu", "z = relu(x) + relu(-y)", {"x": 2, "y": 1}, lambda s: relu(s.x) + relu(-s.y)),
    Case("nested_trig_exp", "z = sin(cos(exp(x)))", {"x": 0.2},
         lambda s: sp.sin(sp.cos(sp.exp(s.x)))),
    Case("nested_sqrt_log", "z = sqrt(log(x + 2))", {"x": 1}, lambda s: sp.sqrt(sp.log(s.x + 2))),
    Case("folded_constants", "z = sin(pi/6) * x + e^2 * y", {"x": 2, "y": 1},
         lambda s: sp.sin(sp.pi / 6) * s.x + sp.E**2 * s.y),
    Case("multi_line", "u = 2x\nv = xy\nz = u + v", {"x": 3, "y": 6},
         lambda s: 2 * s.x + s.x * s.y),
    Case("comments_and_blank_lines", "# a comment\nu = x^2\n\nz = sin(u) + u  # trailing",
         {"x": 0.9},
         lambda s: sp.sin(s.x**2) + s.x**2),
    Case("reassigned_intermediate", "u = x + 1\nu = u*u\nz = u/2", {"x": 1.5},
         lambda s: (s.x + 1) ** 2 / 2),
    Case("greek", "z = αβ + θ^2", {"α": 0.5, "β": 2, "θ": 1.5}, lambda s: s.α * s.β + s.θ**2),
    Case("subscripts", "y = w1 x_1 + w2 x_2 + b",
         {"w1": 0.5, "x_1": 2, "w2": -1, "x_2": 3, "b": 0.1},
         lambda s: s.w1 * s.x_1 + s.w2 * s.x_2 + s.b),
    Case("multi_letter_input", "z = xy^2 + 1/xy", {"xy": 2}, lambda s: s.xy**2 + 1 / s.xy),
    Case("defaulted_leaf", "z = x*k + k^2", {"x": 2}, lambda s: s.x * s.k + s.k**2),
    Case("func_coefficients", "z = 2sin(x) + 3x cos(x)", {"x": 0.6},
         lambda s: 2 * sp.sin(s.x) + 3 * s.x * sp.cos(s.x)),
    Case("quotient_variable_exponents", "z = x^y / (1 + y^x)", {"x": 1.5, "y": 0.8},
         lambda s: s.x**s.y / (1 + s.y**s.x)),
    Case("redundant_parens", "z = ((((x + 1))))^2", {"x": 2}, lambda s: (s.x + 1) ** 2),
    Case("decimals", "z = 0.5x^2 + .25x - 1.5", {"x": 2},
         lambda s: sp.Rational(1, 2) * s.x**2 + sp.Rational(1, 4) * s.x - sp.Rational(3, 2)),
    Case("log_sigmoid", "z = log(sigmoid(x))", {"x": -0.5}, lambda s: sp.log(sigmoid(s.x))),
    Case("unary_plus_minus", "z = +x - -y", {"x": 1, "y": 2}, lambda s: s.x + s.y),
    Case("logistic_loss", "p = sigmoid(w x + b)\nL = -(y log(p) + (1 - y) log(1 - p))",
         {"w": 0.8, "x": 1.5, "b": -0.3, "y": 0.3},
         lambda s: -(s.y * sp.log(sigmoid(s.w * s.x + s.b))
                     + (1 - s.y) * sp.log(1 - sigmoid(s.w * s.x + s.b)))),
    Case("square_over_two", "z = (x + y)^2 / 2", {"x": 1, "y": 2}, lambda s: (s.x + s.y) ** 2 / 2),
    Case("exp_of_function", "z = e^sin(x)", {"x": 0.4}, lambda s: sp.exp(sp.sin(s.x))),
    Case("parenthesized_exponent_product", "z = x^(2)y", {"x": 1.5, "y": 2},
         lambda s: s.x**2 * s.y),
    Case("constant_intermediate", "c = cos(pi/3)\nz = c*x + sin(c)*x", {"x": 2},
         lambda s: sp.cos(sp.pi / 3) * s.x + sp.sin(sp.cos(sp.pi / 3)) * s.x),
    Case("odd_powers_of_negatives", "z = (-x)^3 + -x^3", {"x": 1.3}, lambda s: 2 * (-(s.x**3))),
    Case("tiny_mlp", "h = tanh(w1 x + b1)\no = w2 h + b2\nL = (o - t)^2",
         {"x": 0.5, "w1": 0.3, "b1": 0.1, "w2": -0.7, "b2": 0.2, "t": 1},
         lambda s: (s.w2 * sp.tanh(s.w1 * s.x + s.b1) + s.b2 - s.t) ** 2),
    Case("vector_polynomial", "y = x^2 + 2x", {"x": [1, 2, 3]}, lambda s: s.x**2 + 2 * s.x),
    Case("vector_affine", "y = a*x + b", {"x": [1, -2], "a": 2, "b": 0.5},
         lambda s: s.a * s.x + s.b),
    Case("vector_times_vector", "z = sin(x)*y", {"x": [0.1, 0.2], "y": [1, 2]},
         lambda s: sp.sin(s.x) * s.y),
    Case("vector_multi_line", "u = exp(x)\nz = u^2 + w", {"x": [0.1, 0.5], "w": 1},
         lambda s: sp.exp(s.x) ** 2 + s.w),
    Case("vector_relu_abs", "z = relu(x) + abs(x)", {"x": [-1.5, 2.0]},
         lambda s: relu(s.x) + sp.Abs(s.x)),
]  # fmt: skip


@pytest.fixture(scope="session")
def compiled() -> dict[str, MathCompilation]:
    return {case.id: compile_math(case.text, case.inputs, LIMITS) for case in CASES}


@pytest.fixture(scope="session")
def executed(compiled: dict[str, MathCompilation]) -> dict[str, dict[str, Any]]:
    return execute(CASES, compiled)


def test_at_least_forty_expressions() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_value_and_gradients_match_sympy(
    case: Case, compiled: dict[str, MathCompilation], executed: dict[str, dict[str, Any]]
) -> None:
    assert_matches_sympy(case, compiled[case.id], executed[case.id])


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_emitted_code_uses_only_allowed_constructs(
    case: Case, compiled: dict[str, MathCompilation]
) -> None:
    code = compiled[case.id].code
    assert code.startswith("import torch\n")
    assert not only_allowed_constructs(code)


def test_seed_program_exact_code_and_gradients(executed: dict[str, dict[str, Any]]) -> None:
    result = compile_math("z = 2x + xy", {"x": 3, "y": 6}, LIMITS)
    assert result.code == (
        "import torch\n"
        "x = torch.tensor(3.0, requires_grad=True)\n"
        "y = torch.tensor(6.0, requires_grad=True)\n"
        "z = 2 * x + x * y\n"
        "z.backward()\n"
    )
    assert (result.output, result.defaulted, result.summed) == ("z", (), False)
    assert executed["seed"] == {"value": [24.0], "grads": {"x": [8.0], "y": [3.0]}}


def test_missing_input_defaults_to_one_and_is_reported() -> None:
    result = compile_math("z = x*k", {"x": 2}, LIMITS)
    assert result.defaulted == ("k",)
    assert "k = torch.tensor(1.0, requires_grad=True)\n" in result.code


def test_line_map_points_back_at_math_lines() -> None:
    result = compile_math("u = 2x\n\nv = xy\nz = u + v", {"x": 3, "y": 6}, LIMITS)
    lines = result.code.splitlines()
    assert result.line_map == {4: 1, 5: 3, 6: 4, 7: 4}
    assert [lines[n - 1].split(" ")[0] for n in (4, 5, 6)] == ["u", "v", "z"]
    assert lines[6] == "z.backward()"


def test_vector_inputs_sum_before_backward() -> None:
    result = compile_math("y = a*x + b", {"x": [1, 2], "a": 2, "b": 0}, LIMITS)
    assert result.summed
    assert "x = torch.tensor([1.0, 2.0], requires_grad=True)\n" in result.code
    assert result.code.endswith("y.sum().backward()\n")


def test_vector_input_the_output_does_not_use_keeps_it_scalar() -> None:
    result = compile_math("u = 2x\nz = y^2", {"x": [1, 2], "y": 3}, LIMITS)
    assert not result.summed
    assert result.code.endswith("z.backward()\n")


def test_unused_inputs_are_ignored_and_leaves_keep_first_appearance_order() -> None:
    result = compile_math("z = y + x + q", {"x": 1, "y": 2, "unused": "not even a number"}, LIMITS)
    leaf_lines = [line.split(" ")[0] for line in result.code.splitlines() if "tensor(" in line]
    assert leaf_lines == ["y", "x", "q"]
    assert "unused" not in result.code


@pytest.mark.parametrize(
    ("text", "inputs", "line"),
    [
        ("z = -x^2", {}, "z = -x ** 2"),
        ("z = (-x)^2", {}, "z = (-x) ** 2"),
        ("z = 2^-x", {}, "z = 2 ** -x"),
        ("z = x^y^w", {}, "z = x ** y ** w"),
        ("z = (x^y)^w", {}, "z = (x ** y) ** w"),
        ("z = x - (y - w)", {}, "z = x - (y - w)"),
        ("z = x/(y*w)", {}, "z = x / (y * w)"),
        ("z = e^x + ln(x)", {}, "z = torch.exp(x) + torch.log(x)"),
        ("z = pi x + e", {}, "z = 3.141592653589793 * x + 2.718281828459045"),
        ("z = αβ", {"α": 1, "β": 2}, "z = α * β"),
        ("z = xy", {"xy": 1}, "z = xy"),
        ("z = 3xy", {"x": 1, "y": 2}, "z = 3 * x * y"),
        ("z = 2sin(x)", {}, "z = 2 * torch.sin(x)"),
        ("z = sin(-pi/2) x", {}, "z = -1.0 * x"),
        ("z = x 007", {}, None),
    ],
    ids=["neg_pow", "pow_of_neg", "signed_exponent", "right_assoc", "left_grouped", "sub_group",
         "div_group", "exp_ln", "constants", "greek", "input_xy", "three_factor", "coeff_func",
         "folded_negative", "number_after_name"],
)  # fmt: skip
def test_emitted_expression(text: str, inputs: dict[str, Any], line: str | None) -> None:
    if line is None:
        with pytest.raises(ProgramSyntaxError):
            compile_math(text, inputs, LIMITS)
        return
    assert line in compile_math(text, inputs, LIMITS).code.splitlines()


DEEP = "z = " + "(" * 10_000 + "x" + ")" * 10_000
ROOMY = replace(LIMITS, max_source_chars=100_000)


def _error_case(id: str, text: str, col: int | None, inputs: Any = None, **kw: Any) -> Any:
    inputs = {"x": 1.0} if inputs is None else inputs
    exc = kw.get("exc", ProgramSyntaxError)
    line = kw.get("line", None if col is None else 1)
    return pytest.param(
        text, inputs, kw.get("limits", LIMITS), exc, line, col, kw.get("says", ""), id=id
    )


ERRORS = [
    _error_case("dangling_operator", "z = 2x +", 7, says="'+' needs something after it"),
    _error_case("unclosed_paren", "z = (x", 4, says="unclosed '('"),
    _error_case("unmatched_paren", "z = x)", 5, says="unmatched ')'"),
    _error_case("unexpected_character", "z = x$y", 5, says="unexpected character '$'"),
    _error_case("unknown_function", "z = foo(x)", 4, says="unknown function 'foo'"),
    _error_case("unknown_function_sinh", "z = sinh(x)", 4, says="unknown function 'sinh'"),
    _error_case("empty_program", "", None, says="empty"),
    _error_case("only_blank_and_comments", "\n   \n# just a note\n\t\n", None, says="empty"),
    _error_case("deep_parens", DEEP, 64, limits=ROOMY, exc=LimitExceeded, says="max_ast_depth"),
    _error_case("deep_parens_huge_limit", DEEP, 104, exc=LimitExceeded, says="max_ast_depth",
                limits=replace(LIMITS, max_source_chars=100_000, max_ast_depth=10**6)),
    _error_case("deep_parens_too_long", DEEP, None, exc=LimitExceeded, says="max_source_chars"),
    _error_case("deep_unary_minus", "z = " + "-" * 5000 + "x", 64, exc=LimitExceeded),
    _error_case("long_sum", "z = " + " + ".join(["x"] * 100), None, exc=LimitExceeded,
                line=1, says="max_ast_depth"),
    _error_case("bare_expression", "2x", 0, says="write it as an assignment, e.g. z = 2x"),
    _error_case("error_on_third_line", "u = 2x\n\nz = u +* 3", 7, line=3, says="cannot follow"),
    _error_case("function_glued_to_name", "z = sinx", 4, says="write sin(x)"),
    _error_case("function_without_parens_ambiguous", "z = sin x^2", 9, says="sin(x^2)"),
    _error_case("name_glued_to_function", "z = xsin(x)", 5, says="x*sin(...)"),
    _error_case("constant_glued_to_name", "z = xe", 5, says="x*e"),
    _error_case("unknown_word", "z = grad", 4, {}, says="g*r*a*d"),
    _error_case("word_with_e", "z = rate * x", 7, says="r*a*t*e"),
    _error_case("glued_known_names", "z = xyw", 4, {"xy": 1, "w": 2}, says="xy*w"),
    _error_case("digits_inside_run", "z = x2y", 4, {"x2": 1, "y": 1}, says="x2*y"),
    _error_case("ambiguous_exponent", "z = e^2x", 7, says="ambiguous exponent"),
    _error_case("ambiguous_division", "z = 1/2x", 7, says="ambiguous"),
    _error_case("number_after_factor", "z = (x + 1)2", 11, says="*2"),
    _error_case("scientific_notation", "z = 2e3 * x", 5, says="scientific"),
    _error_case("keyword_target", "if = 2x", 0, says="reserved"),
    _error_case("keyword_in_expression", "z = lambda * x", 4, says="reserved"),
    _error_case("underscore_target", "_z = x", 0, says="'_'"),
    _error_case("underscore_in_expression", "z = __class__", 4, says="'_'"),
    _error_case("torch_target", "torch = x", 0, says="reserved"),
    _error_case("function_name_target", "sin = x", 0, says="function"),
    _error_case("leaf_reassigned", "x = 2x", 0, says="used before it is assigned"),
    _error_case("two_equals", "z = x = 2", 6, says="only one '='"),
    _error_case("nothing_after_equals", "z = ", 2, says="nothing after '='"),
    _error_case("target_not_a_name", "2z = x", 0, says="one name"),
    _error_case("constant_output", "z = 2 + pi", 0, says="does not depend on any variable"),
    _error_case("empty_parens", "z = x()", 6, says="empty parentheses"),
    _error_case("log_of_zero_constant", "z = log(0) * x", 4, says="no finite real value"),
    _error_case("huge_integer", "z = x * 1" + "0" * 2000, 8, exc=LimitExceeded,
                says="max_int_bits"),
    _error_case("input_string", "z = 2x", None, {"x": "abc"}, says="'x'"),
    _error_case("input_nan", "z = 2x", None, {"x": float("nan")}, says="'x' must be a finite"),
    _error_case("input_inf", "z = 2x", None, {"x": float("inf")}, says="'x' must be a finite"),
    _error_case("input_bool", "z = 2x", None, {"x": True}, says="'x'"),
    _error_case("input_nested_list", "z = 2x", None, {"x": [[1, [2]]]}, says="'x'"),
    _error_case("input_matrix", "z = 2x", None, {"x": [[1, 2], [3, 4]]}, says="'x'"),
    _error_case("input_empty_list", "z = 2x", None, {"x": []}, says="'x'"),
    _error_case("input_huge_int", "z = 2x", None, {"x": 10**400}, says="'x'"),
    _error_case("input_name_digit", "z = 2x", None, {"x": 1, "2x": 1}, says="'2x'"),
    _error_case("input_name_underscore", "z = 2x", None, {"x": 1, "_x": 1}, says="'_x'"),
    _error_case("input_name_keyword", "z = 2x", None, {"x": 1, "lambda": 1}, says="'lambda'"),
    _error_case("input_name_torch", "z = 2x", None, {"x": 1, "torch": 1}, says="'torch'"),
    _error_case("input_name_function", "z = 2x", None, {"x": 1, "exp": 1}, says="'exp'"),
    _error_case("source_too_long", "z = x" + " " * LIMITS.max_source_chars, None,
                exc=LimitExceeded, says="max_source_chars"),
    _error_case("list_too_long", "z = 2x", None, {"x": [1.0] * 5}, exc=LimitExceeded,
                limits=replace(LIMITS, max_tensor_elements=4), says="max_tensor_elements"),
    _error_case("too_many_nodes", "z = x + x + x + x", None, exc=LimitExceeded,
                limits=replace(LIMITS, max_ast_nodes=12), line=1, says="max_ast_nodes"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "inputs", "limits", "exc", "line", "col", "says"), ERRORS)
def test_malformed_math_is_refused_with_a_location(
    text: str,
    inputs: dict[str, Any],
    limits: Limits,
    exc: type[ProgramError],
    line: int | None,
    col: int | None,
    says: str,
) -> None:
    with pytest.raises(exc) as raised:
        compile_math(text, inputs, limits)
    error = raised.value
    assert says in error.message
    if line is None:
        assert error.span is None
        return
    assert error.span is not None and error.span.line == line
    if col is not None:
        assert error.span.col == col
    assert error.to_dict()["line"] == line
