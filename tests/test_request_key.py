"""The request's key (app/service/runner.py `request_key`): the answer cache's key and the
message a worker reads back into the same request, whatever text the program holds."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from app.pipeline import RunRequest
from app.service.runner import request_key


def _fields(request: RunRequest) -> dict[str, object]:
    return {field.name: getattr(request, field.name) for field in fields(RunRequest)}


@pytest.mark.parametrize(
    "source",
    ["x = 1\n", "# 中文 ∂ × é\nx = 1\n", "s = '\ud800'\n", "s = 'a\\u0000b\x7f'\n"],
    ids=["ascii", "other-scripts", "lone-surrogate", "control-characters"],
)
def test_the_worker_reads_back_the_request_it_was_sent(source: str) -> None:
    request = RunRequest(source=source, formats=("svg",), unfold=("g0",))
    key = request_key(_fields(request))
    read = json.loads(key.encode())
    assert read["source"] == source and read["formats"] == ["svg"] and read["unfold"] == ["g0"]
    assert request_key(_fields(request)) == key  # the same request, the same key


def test_requests_that_differ_have_different_keys_and_field_order_does_not_matter() -> None:
    one, other = RunRequest(source="x = 1\n"), RunRequest(source="x = 2\n")
    assert request_key(_fields(one)) != request_key(_fields(other))
    reordered = dict(reversed(list(_fields(one).items())))
    assert request_key(reordered) == request_key(_fields(one))
