"""A worker's answer as JSON (app/service/worker.py `_json`): orjson's bytes must say exactly
what the json module's say, and what orjson refuses must still be answered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from app.engine.snapshot import json_safe, values_of
from app.pipeline import RunRequest, execute, payload
from app.service.worker import _answer_json, _json
from app.settings import Settings

CORPUS = sorted((Path(__file__).parent / "corpus" / "graph").glob("*.py"))


def _reference(content: Any) -> Any:
    return json.loads(json.dumps(content, allow_nan=False))


@pytest.mark.parametrize("path", CORPUS[::4], ids=lambda path: path.stem)
def test_answers_with_graphs_and_pictures_say_what_the_json_module_says(path: Path) -> None:
    request = RunRequest(source=path.read_text(), formats=("graph", "svg", "dot"))
    content = payload(execute(request, Settings()))
    assert content["svg"].startswith("<svg")
    assert json.loads(_json(content)) == _reference(content)


def test_what_orjson_refuses_goes_through_the_json_module() -> None:
    content = {"output": "lone \udc80 surrogate", "big": 2**70, "text": "数 <b>&</b>"}
    encoded = _json(content)
    assert encoded.isascii()  # escaped by the json module: \\udc80, \\u6570
    assert json.loads(encoded) == content


def test_non_ascii_text_travels_as_utf8() -> None:
    content = {"label": "梯度 ∂ → x²", "value": -0.0, "small": 1e-12, "inf": "inf"}
    encoded = _json(content)
    assert "梯度 ∂ → x²".encode() in encoded
    assert json.loads(encoded) == content


@pytest.mark.parametrize("path", CORPUS[1::4], ids=lambda path: path.stem)
def test_the_graph_written_from_its_records_is_the_same_bytes(path: Path) -> None:
    """The worker lets orjson write the graph's records (`payload(records=True)`): the bytes
    must be those of the converted answer, for every kind of record the corpus makes."""
    outcome = execute(RunRequest(source=path.read_text(), formats=("graph",)), Settings())
    assert _answer_json(outcome, payload) == _json(payload(outcome))


def test_a_graph_orjson_refuses_is_answered_through_the_json_module() -> None:
    source = 'import torch\nx = torch.tensor(1., requires_grad=True)\nprint("\\udc80")\n'
    source += "y = x * 2\ny.backward()\n"
    outcome = execute(RunRequest(source=source, formats=("graph",)), Settings())
    encoded = _answer_json(outcome, payload)
    assert encoded.isascii() and json.loads(encoded) == _reference(payload(outcome))


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.randn(5, 7),
        lambda: torch.randn(3, 4, 5),
        lambda: torch.randn(2, 3, 2, 2, 2, 2),  # deeper than the summed nesting: torch checks
        lambda: torch.full((6, 6), 3e38),  # finite values whose sum overflows
        lambda: torch.zeros(0, 4),
        lambda: torch.randn(40, 40).half(),
    ],
)
@pytest.mark.parametrize("odd", [None, float("inf"), float("-inf"), float("nan")])
def test_every_value_json_cannot_hold_is_spelled_whatever_the_tensor_shape(
    make: Any, odd: float | None
) -> None:
    tensor = make()
    if odd is not None and tensor.numel():
        tensor.view(-1)[tensor.numel() // 2] = odd
    values, truncated, _ = values_of(tensor, 10**6)
    flat = list(_leaves(values))
    expected = [json_safe(v) for v in tensor.reshape(-1).tolist()]
    assert not truncated and flat == expected
    json.dumps(values, allow_nan=False)  # raises if a bare inf or nan is left


def _leaves(values: Any) -> Any:
    for value in values:
        if isinstance(value, list):
            yield from _leaves(value)
        else:
            yield value
