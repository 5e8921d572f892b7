"""A worker's answer as JSON (app/service/worker.py `_json`): orjson's bytes must say exactly
what the json module's say, and what orjson refuses must still be answered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.pipeline import RunRequest, execute, payload
from app.service.worker import _json
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
