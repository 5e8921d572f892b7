"""Math notation through the API: the notes' first example, real Python parity, clean refusals."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import RunApi


def _run_in_real_python(code: str) -> dict[str, float]:
    """Test-only: run the compiled code with real exec in a subprocess."""
    script = (
        "import json, sys\n"
        "namespace = {}\n"
        "exec(sys.stdin.read(), namespace)\n"
        "print(json.dumps({k: [v.item(), None if v.grad is None else v.grad.item()]"
        " for k, v in namespace.items() if k in ('x', 'y', 'z')}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=code, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_seed_in_math_mode_gives_24_8_3_and_code_that_runs_in_python(run_api: RunApi) -> None:
    status, data = run_api("z = 2x + xy", mode="math", inputs={"x": 3, "y": 6})
    assert status == 200 and data["ok"] is True
    tensors = data["tensors"]
    assert (tensors["z"]["value"], tensors["x"]["grad"], tensors["y"]["grad"]) == (24.0, 8.0, 3.0)
    real = _run_in_real_python(data["code"])
    assert real == {"x": [3.0, 8.0], "y": [6.0, 3.0], "z": [24.0, None]}


def test_math_steps_point_back_at_the_typed_lines(run_api: RunApi) -> None:
    status, data = run_api("u = 2x\nv = xy\n\nz = u + v", mode="math", inputs={"x": 3, "y": 6})
    assert status == 200
    by_source = {step["source"]: step["source_line"] for step in data["steps"]}
    assert by_source["u = 2 * x"] == 1 and by_source["z = u + v"] == 4
    assert data["tensors"]["x"]["grad"] == 8.0


def test_missing_input_defaults_to_one_and_says_so(run_api: RunApi) -> None:
    status, data = run_api("z = x*k", mode="math", inputs={"x": 2})
    assert status == 200
    assert data["tensors"]["k"]["value"] == 1.0 and data["tensors"]["k"]["grad"] == 2.0
    assert any("k" in note and "1.0" in note for note in data["notes"])


def test_vector_input_sums_before_backward_and_says_so(run_api: RunApi) -> None:
    status, data = run_api("y = x^2", mode="math", inputs={"x": [1, 2, 3]})
    assert status == 200
    assert data["tensors"]["x"]["grad"] == [2.0, 4.0, 6.0]
    assert any("sum" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("source", "col"),
    [
        pytest.param("z = 2x +", 7, id="dangling-operator"),
        pytest.param("z = (x", 4, id="unbalanced-paren"),
        pytest.param("z = x$y", 5, id="bad-character"),
        pytest.param("z = foo(x)", 4, id="unknown-function"),
    ],
)
def test_malformed_math_is_a_422_naming_the_position(
    run_api: RunApi, source: str, col: int
) -> None:
    status, data = run_api(source, mode="math", inputs={"x": 1, "y": 2})
    assert status == 422
    assert data["kind"] == "syntax"
    assert data["line"] == 1 and data["col"] == col


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n  \n", id="blank-lines"),
        pytest.param("z = " + "(" * 10_000 + "x" + ")" * 10_000, id="10000-parens"),
    ],
)
def test_empty_and_absurd_math_is_a_clean_4xx(run_api: RunApi, source: str) -> None:
    status, data = run_api(source, mode="math", inputs={"x": 1})
    assert status == 422
    assert data["kind"] in ("syntax", "limit")
    assert data["detail"]


def test_the_answer_echoes_how_the_formula_was_read(run_api: RunApi) -> None:
    status, data = run_api("y = σ(x)", mode="math", inputs={"x": 0.5})
    assert status == 200
    assert data["read_as"] == ["y = σ(x)"] and "read as: y = σ(x)" in data["notes"]
    assert "y = torch.sigmoid(x)" in data["code"].splitlines()
    assert data["tensors"]["y"]["grad_fn"] == "SigmoidBackward0"


def test_the_notes_sigmoid_in_latex_runs_as_written(run_api: RunApi) -> None:
    source = "$\\sigma(x) = \\frac{1}{1+e^{-x}}$"
    status, data = run_api(source, mode="math", inputs={"x": 0})
    assert status == 200 and data["read_as"] == ["σ(x) = 1/(1 + e^(-x))"]
    assert (data["tensors"]["σ"]["value"], data["tensors"]["x"]["grad"]) == (0.5, 0.25)
    assert data["steps"][-1]["source_line"] == 1


def test_free_variables_found_in_the_formula_are_reported(run_api: RunApi) -> None:
    status, data = run_api("z = 3a + ab", mode="math", inputs={})
    assert status == 200
    assert data["read_as"] == ["z = 3·a + a·b"]
    assert "a was not given and defaults to 1.0" in data["notes"]
    assert (data["tensors"]["a"]["grad"], data["tensors"]["b"]["grad"]) == (4.0, 1.0)


def test_refusal_says_what_to_write_in_english_and_chinese(run_api: RunApi) -> None:
    status, data = run_api("y = g(x)", mode="math", inputs={"x": 1})
    assert status == 422
    detail = data
    assert (detail["kind"], detail["line"], detail["col"]) == ("syntax", 1, 4)
    assert detail["hints"]["en"] == detail["detail"] and "'g(' is not a known" in detail["detail"]
    assert "不是已知函数" in detail["hints"]["zh"]


def test_max_abs_and_unicode_run_in_the_interpreter(run_api: RunApi) -> None:
    status, data = run_api("y = max(x, 0) + |x − 1| + x²", mode="math", inputs={"x": [-2, 0.5, 3]})
    assert status == 200 and data["ok"] is True, data
    assert data["read_as"] == ["y = max(x, 0) + |x - 1| + x²"]
    assert data["tensors"]["y"]["value"] == [7.0, 1.25, 14.0]
    assert data["tensors"]["x"]["grad"] == [-5.0, 1.0, 8.0]  # max' + sign(x - 1) + 2x
