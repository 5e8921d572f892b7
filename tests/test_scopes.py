"""`global`, `nonlocal` and `del` targets: what CPython's compiler refuses, the language refuses
with the same message and position, and what it compiles the language accepts. CPython itself
is the oracle: each case is compiled here with `compile()`."""

from __future__ import annotations

import pytest
import torch

from app.engine.library import GENERATOR_STATE_ELEMENTS
from app.lang.errors import ProgramError
from app.lang.parse import parse
from app.settings import Limits

CASES = [
    pytest.param("nonlocal x", id="nonlocal-at-top"),
    pytest.param("global x\nx = 1", id="global-at-top"),
    pytest.param("def f():\n    nonlocal x\n", id="no-binding"),
    pytest.param("def f(x):\n    global x\n", id="parameter-and-global"),
    pytest.param("def f():\n    x = 1\n    def g(x):\n        nonlocal x\n", id="param-nonlocal"),
    pytest.param("def f(x):\n    def g():\n        nonlocal x\n        x = 1\n", id="binds-param"),
    pytest.param("def f():\n    print(x)\n    global x\n", id="used-before-global"),
    pytest.param("def f():\n    x = 1\n    global x\n", id="assigned-before-global"),
    pytest.param("def f():\n    x = 1\n    nonlocal x\n", id="assigned-before-nonlocal"),
    pytest.param(
        "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
        id="nonlocal-and-global",
    ),
    pytest.param(
        "x = 1\ndef f():\n    global x\n    def g():\n        nonlocal x\n", id="global-hides"
    ),
    pytest.param("class A:\n    x = 1\n    def m(self):\n        nonlocal x\n", id="class-scope"),
    pytest.param(
        "def f():\n    x = 1\n    class A:\n        def m(self):\n            nonlocal x\n",
        id="through-local-class",
    ),
    pytest.param("def f():\n    del x\n    x = 1\n", id="del-makes-local"),
    pytest.param("del (a, *b)", id="del-starred"),
    pytest.param("def f():\n    lambda: 1\n    global y\n", id="lambda-before-global"),
]


def _compiled(source: str) -> str | None:
    try:
        compile(source, "<program>", "exec")
    except SyntaxError as error:
        return f"{error.msg} @{error.lineno}:{(error.offset or 1) - 1}"
    return None


def _checked(source: str) -> str | None:
    try:
        parse(source, Limits.defaults())
    except ProgramError as error:
        assert error.span is not None
        return f"{error} @{error.span.line}:{error.span.col}"
    return None


@pytest.mark.parametrize("source", CASES)
def test_scope_errors_are_cpythons(source: str) -> None:
    assert _checked(source) == _compiled(source)


def test_generator_state_size_is_torchs() -> None:
    assert GENERATOR_STATE_ELEMENTS == len(torch.Generator().get_state())
