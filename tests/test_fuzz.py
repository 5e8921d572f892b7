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
