"""Parity: every corpus program gives, through the API, what real Python with `import torch` gives.

The expectation is never written here: tests/oracle.py runs the same source with real `exec` in a
subprocess, and the API's answer must agree with it field by field (values, grads, requires_grad,
is_leaf, grad_fn, ..., error type/message/line, printed output and warnings). Each program runs on
every device this machine has: the CPU always, CUDA where present (skipped cleanly where not).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.conftest import RunApi
from tests.oracle import normalise_output, run_programs

CORPUS = Path(__file__).resolve().parent / "corpus" / "parity"
PROGRAMS = sorted(CORPUS.glob("*.py"))
TENSOR_FIELDS = (
    "value", "grad", "shape", "dtype", "device", "requires_grad", "is_leaf", "grad_fn",
    "retains_grad", "version",
)  # fmt: skip
DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param(
        "cuda:0",
        id="cuda",
        marks=[
            pytest.mark.cuda,
            pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here"),
        ],
    ),
]

Answers = dict[str, dict[str, Any]]


@pytest.fixture(scope="session")
def real_torch() -> Callable[[str], Answers]:
    """The oracle's answers for the whole corpus, one subprocess per device, computed once."""
    cache: dict[str, Answers] = {}

    def answers(device: str) -> Answers:
        if device not in cache:
            programs = [(path.stem, path.read_text()) for path in PROGRAMS]
            cache[device] = run_programs(programs, device)
        return cache[device]

    return answers


def _exact(value: Any) -> str:
    """A spelling that tells 1 from 1.0 from True, and 0.0 from -0.0."""
    return json.dumps(value)


def _short(value: Any, limit: int = 400) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _api_view(data: dict[str, Any]) -> dict[str, Any]:
    """The API's answer in the oracle's shape."""
    error = data["error"]
    return {
        "tensors": data["tensors"],
        "error": None if error is None else {k: error[k] for k in ("type", "message", "line")},
        "output": "".join(step["output"] for step in data["steps"]),
        "warnings": [warning for step in data["steps"] for warning in step["warnings"]],
    }


def _rounded(summary: dict[str, Any]) -> dict[str, Any]:
    # the mean of many float32 values, summed in float64 in another order, agrees to ~1e-12
    return {name: round(_floats(value), 9) for name, value in summary.items()}


def _floats(values: Any) -> Any:
    """JSON's "nan", "inf", "-inf" strings back to floats."""
    if isinstance(values, list):
        return [_floats(value) for value in values]
    return float(values) if isinstance(values, str) else values


def _summary(values: Any) -> dict[str, float]:
    """Python's full values reduced as the API reduces a tensor too large to send."""
    data = torch.tensor(_floats(values))
    data = data.to(torch.uint8) if data.dtype == torch.bool else data
    mean = data.to(torch.float64).mean().item()
    return _rounded({"min": data.min().item(), "max": data.max().item(), "mean": mean})


def _differences(api: dict[str, Any], real: dict[str, Any]) -> list[str]:
    """Every field where the API and real Python disagree, as 'field: API … vs Python …'."""
    found: list[str] = []

    def differ(field: str, got: Any, want: Any) -> None:
        if _exact(got) != _exact(want):
            found.append(f"{field}: API {_short(got)} vs Python {_short(want)}")

    differ("tensor names (in order)", list(api["tensors"]), list(real["tensors"]))
    for name, want in real["tensors"].items():
        got = api["tensors"].get(name)
        if got is not None and got.get("truncated"):
            # too large to send (max_value_elements): the API sends min, max and mean instead of
            # the values, and no gradient values; the values are compared through that summary
            differ(f"tensors[{name!r}].summary", _rounded(got["summary"]), _summary(want["value"]))
            for field in TENSOR_FIELDS[2:]:
                differ(f"tensors[{name!r}].{field}", got[field], want[field])
        elif got is not None:
            for field in TENSOR_FIELDS:
                differ(f"tensors[{name!r}].{field}", got[field], want[field])
    differ("error", api["error"], real["error"])
    differ("output", normalise_output(api["output"]), normalise_output(real["output"]))
    differ("warnings", api["warnings"], real["warnings"])
    return found


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_api_agrees_with_real_torch(
    path: Path, device: str, run_api: RunApi, real_torch: Callable[[str], Answers]
) -> None:
    real = real_torch(device)[path.stem]
    status, data = run_api(path.read_text(), device=device)
    if real["error"] is not None and real["error"]["type"] in {"SyntaxError", "IndentationError"}:
        # Python refuses the text before anything runs; the API refuses it with the same words
        # at the same line (a note's typo, kept as the student pasted it)
        got = (status, data.get("kind"), data.get("detail"), data.get("line"))
        assert got == (422, "syntax", real["error"]["message"], real["error"]["line"]), got
        return
    assert status == 200, f"{path.name} on {device}: the API answered {status}: {data}"
    differences = _differences(_api_view(data), real)
    assert not differences, f"{path.name} on {device} disagrees with real torch:\n" + "\n".join(
        f"  - {difference}" for difference in differences
    )


def test_corpus_is_large_and_has_many_errors(real_torch: Callable[[str], Answers]) -> None:
    answers = real_torch("cpu")
    assert len(PROGRAMS) >= 100
    assert set(answers) == {path.stem for path in PROGRAMS}
    errors = {name: answer["error"] for name, answer in answers.items() if answer["error"]}
    assert len(errors) >= 25, f"only {len(errors)} corpus programs end in an error"
    # an error's line is always a line of the program itself, as in Python's traceback
    lines = {path.stem: len(path.read_text().splitlines()) for path in PROGRAMS}
    for name, error in errors.items():
        assert error["line"] is not None and 1 <= error["line"] <= lines[name], (name, error)
