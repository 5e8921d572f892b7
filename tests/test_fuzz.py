"""Fuzzing the service: programs from the language's grammar, arbitrary text and bytes, and API
requests generated from the OpenAPI schema. No input may produce a 5xx or cost a request.

The number of cases is a knob: FUZZ_EXAMPLES (default 2,500 per property; the four properties
and the schema run together make well over 10,000 cases). `FUZZ_EXAMPLES=20000 make test` for a
long run.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.settings import Limits

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2500"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a red CI can be reproduced
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- programs from the grammar --------------------------------------------------------------
NAMES = st.sampled_from(["x", "y", "z", "w", "u", "loss", "open", "α"])
NUMBERS = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(-4, 4, allow_nan=False).map(lambda f: f"{f:.2f}"),
    st.sampled_from(["1e308", "2**70", "10**5", "0.0", "-0.0"]),
)
SHAPES = st.sampled_from(["()", "(2,)", "(3,)", "(2, 3)", "(3, 2)", "(1, 3)", "(1000, 1000)"])
LEAVES = st.one_of(
    st.builds(
        "torch.tensor({}, requires_grad=True)".format, st.floats(-3, 3).map(lambda f: f"{f:.1f}")
    ),
    st.builds("torch.ones({}, requires_grad=True)".format, SHAPES),
    st.builds("torch.randn{}".format, SHAPES),
    st.builds("torch.zeros{}".format, SHAPES),
    st.builds("torch.arange({})".format, st.integers(-3, 10**7)),
)
METHODS = st.sampled_from(
    ["sum()", "mean()", "exp()", "sin()", "detach()", "grad", "data", "t()", "T", "shape",
     "grad_fn", "is_leaf", "requires_grad", "item()", "tolist()", "retain_grad()", "zero_()",
     "backward()", "backward(retain_graph=True)", "clone()", "view(-1)", "relu()", "norm()",
     "__class__", "numpy()", "register_hook(print)"]
)  # fmt: skip
INDICES = st.sampled_from(["0", "-1", ":", "0, 0", "None", "x > 0"])
OPERATORS = st.sampled_from(["+", "-", "*", "/", "**", "@", "//", "%", "<", "==", "and", "or"])


def _expressions() -> st.SearchStrategy[str]:
    atoms = st.one_of(NAMES, NUMBERS, LEAVES)
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.builds("({} {} {})".format, inner, OPERATORS, inner),
            st.builds("{}.{}".format, inner, METHODS),
            st.builds("torch.{}({})".format, st.sampled_from(["exp", "sum", "tanh", "cat"]), inner),
            st.builds("-{}".format, inner),
            st.builds("{}[{}]".format, inner, INDICES),
            st.builds("[{}, {}]".format, inner, inner),
        ),
        max_leaves=8,
    )  # fmt: skip


EXPRESSIONS = _expressions()
STATEMENTS = st.one_of(
    st.builds("{} = {}".format, NAMES, EXPRESSIONS),
    st.builds("{} += {}".format, NAMES, EXPRESSIONS),
    st.builds("{}".format, EXPRESSIONS),
    st.builds("print({})".format, EXPRESSIONS),
    st.builds("for i in range({}):\n    {} = {}".format, st.integers(-1, 20), NAMES, EXPRESSIONS),
    st.builds("if {}:\n    {} = {}\nelse:\n    pass".format, EXPRESSIONS, NAMES, EXPRESSIONS),
    st.builds("with torch.no_grad():\n    {} = {}".format, NAMES, EXPRESSIONS),
    st.just("x = torch.tensor(3., requires_grad=True)"),
    st.just("z = x * x\nz.backward()"),
)
PROGRAMS = st.lists(STATEMENTS, min_size=1, max_size=8).map("\n".join)


# --- the engine's bounds (issue 12): fragments that nest, share, size, assign and print ---------
VALUES = st.sampled_from(["t", "l", "x", "w", "net", "s", "0", "torch.nn.Linear", "print"])
FRAGMENTS = st.one_of(
    st.builds("for i in range({}):\n    t = ({}, t)".format, st.sampled_from(["50", "150", "3000"]),
              VALUES),
    st.builds("for i in range({}):\n    l = [l, l]".format, st.sampled_from(["10", "40", "70"])),
    st.builds("for i in range({}):\n    u = []\n    u.append(l)\n    l = u".format,
              st.sampled_from(["20", "120"])),
    st.builds("for i in range({}):\n    for t in zip([t]):\n        pass".format,
              st.sampled_from(["20", "120"])),
    st.builds("for i in range({}):\n    net = torch.nn.Sequential(net)".format,
              st.sampled_from(["5", "150"])),
    st.builds("{}.{} = {}".format, VALUES, st.sampled_from(["grad", "data", "weight", "x"]),
              VALUES),
    st.builds("{}[0] = {}".format, VALUES, VALUES),
    st.builds("y = {}({}, {})".format, st.sampled_from(["sum", "pow", "max", "min", "round"]),
              st.sampled_from(["[x, w]", "x", "l", "10**9", "7"]),
              st.sampled_from(["w", "[]", "-10**7", "-3", "2"])),
    st.builds("y = {} {} {}".format, VALUES, st.sampled_from(["==", "<", "in", "+", "*", "%"]),
              VALUES),
    st.builds("print({})".format, VALUES),
    st.builds("s = f'{{{}}}' * 3".format, VALUES),
    st.builds("y = {}.count({})".format, st.sampled_from(["l", "t", "[l] * 1000"]), VALUES),
    st.builds("x = torch.ones({}).view({})".format, st.sampled_from(["1", "4", "10**6"]),
              st.sampled_from(["[1] * 40", "-1", "[1] * 1500", "2, 2"])),
    st.builds("y = torch.tensor([[0.] * {}] * {})".format, st.sampled_from(["3", "15000"]),
              st.sampled_from(["3", "15000"])),
    st.just("l += torch.ones(10**6)"),
    st.just("s = x[0]\nfor i in range(500):\n    s = s + x[i % 3] + x[0]\ns.backward()"),
    st.just("m = w.grad_fn.metadata\nm['k'] = x"),
)  # fmt: skip
PRELUDE = (
    "t = ()\nl = [1]\nx = torch.ones(10**6, requires_grad=True)\nw = x * 2\n"
    "net = torch.nn.ReLU()\ns = 'a' * 1000\n"
)
BOUNDED_PROGRAMS = st.lists(FRAGMENTS, min_size=1, max_size=5).map(
    lambda parts: PRELUDE + "\n".join(parts)
)


def _check(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code < 500, response.text
    body = response.json()  # always JSON, always strict (no NaN literals)
    json.dumps(body, allow_nan=False)
    return body


@FUZZ
@given(source=PROGRAMS)
def test_programs_from_the_grammar_are_answered_or_refused(http: httpx.Client, source: str) -> None:
    body = _check(http.post("/api/v1/run", json={"source": source, "formats": ["graph"]}))
    if "kind" in body:
        assert body["kind"] in {"not_allowed", "syntax", "limit"}, body
    else:
        assert isinstance(body["ok"], bool) and isinstance(body["steps"], list)


@FUZZ
@given(source=BOUNDED_PROGRAMS)
def test_programs_at_the_engines_bounds_are_answered_in_time(
    http: httpx.Client, source: str
) -> None:
    """Nesting, shared sublists, big sizes, shared objects: a result or a refusal naming its
    rule, within the wall-time limit and a second."""
    response = http.post("/api/v1/run", json={"source": source})
    body = _check(response)
    if "kind" in body:
        assert body["kind"] in {"not_allowed", "limit", "syntax"}, body  # `0.grad`
    assert response.elapsed.total_seconds() < Limits.defaults().max_run_seconds + 1, source


@FUZZ
@given(source=st.text(max_size=300))
def test_arbitrary_text_is_answered_or_refused(http: httpx.Client, source: str) -> None:
    # surrogates cannot travel as UTF-8; send them the way JSON escapes them
    payload = json.dumps({"source": source}).encode()
    response = http.post(
        "/api/v1/run", content=payload, headers={"content-type": "application/json"}
    )
    _check(response)


MATH_INPUTS = st.dictionaries(
    st.text(max_size=4),
    st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.lists(st.floats(-9, 9))),
    max_size=3,
)


@FUZZ
@given(source=st.text(max_size=120), inputs=MATH_INPUTS)
def test_arbitrary_math_is_answered_or_refused(
    http: httpx.Client, source: str, inputs: dict[str, Any]
) -> None:
    _check(http.post("/api/v1/run", json={"source": source, "mode": "math", "inputs": inputs}))


@FUZZ
@given(body=st.binary(max_size=400))
def test_arbitrary_bytes_are_a_4xx(http: httpx.Client, body: bytes) -> None:
    response = http.post("/api/v1/run", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text


def test_the_server_is_still_right_after_the_fuzzing(http: httpx.Client) -> None:
    source = (
        "x = torch.tensor(3., requires_grad=True)\ny = torch.tensor(6., requires_grad=True)\n"
        "z = 2*x + x*y\nz.backward()"
    )
    tensors = http.post("/api/v1/run", json={"source": source}).json()["tensors"]
    assert (tensors["x"]["grad"], tensors["y"]["grad"]) == (8.0, 3.0)


# --- requests generated from the OpenAPI schema ----------------------------------------------
@pytest.fixture(scope="session")
def api_schema(server_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{server_url}/openapi.json")


MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.mark.parametrize("mode", MODES, ids=[m.value for m in MODES])
@settings(
    max_examples=max(100, EXAMPLES // 5),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_requests_from_the_openapi_schema(
    api_schema: Any, server_url: str, mode: Any, data: st.DataObject
) -> None:
    """Valid and invalid requests for every operation: never a 5xx, and every answer matches
    the response schema the API documents."""
    case = data.draw(api_schema.as_strategy(generation_mode=mode))
    case.call_and_validate(
        base_url=server_url, checks=[not_a_server_error, response_schema_conformance]
    )
