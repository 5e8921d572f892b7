"""Every named limit of app.settings.Limits, through a real server started with small limits.

Each limit is shown twice: a program over it is refused with a 422 whose detail names the limit
and its configured value, and a program just under it runs (200). The limits are set through
PLAYGROUND_* environment variables, the way an operator would set them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import httpx
import pytest

from app.settings import Limits
from tests.conftest import RunApi
from tests.servers import serve

# Small limits, so that every one of them is reached by a short, fast program.
TIGHT = {
    "max_source_chars": "400",
    "max_ast_nodes": "120",
    "max_ast_depth": "20",
    "max_statements": "60",
    "max_loop_iterations": "40",
    "max_ops": "300",
    "max_tensor_elements": "1000",
    "max_live_elements": "2500",
    "max_allocated_elements": "6000",
    "max_int_bits": "64",
    "max_sequence_len": "50",
    "max_output_chars": "120",
    "max_backward_calls": "3",
    "max_call_depth": "5",
    "max_run_seconds": "30",
    "max_value_elements": "8",
    "max_container_depth": "16",  # the 15 nested lists of max_ast_depth's accepted program
    "max_tensor_dims": "4",
    "max_backward_elements": "60000",
    # the worker's address-space cap as deployed (a run past it: tests/test_service.py, and
    # MemoryError inside a run: tests/test_engine_bounds.py)
    "worker_memory_mb": "2048",
}
# Only the wall time is short; everything a long computation would hit first is out of reach.
CLOCK = {
    "max_run_seconds": "0.5",
    "max_statements": "100000000",
    "max_loop_iterations": "100000000",
    "max_ops": "100000000",
    "max_allocated_elements": "1000000000000",
}


def post(url: str, source: str) -> tuple[int, dict[str, Any]]:
    response = httpx.post(f"{url}/api/v1/run", json={"source": source}, timeout=60)
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("tight"), TIGHT) as server:
        yield server.url


@pytest.fixture(scope="module")
def clock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("clock"), CLOCK) as server:
        yield server.url


def configured(settings: dict[str, str], name: str) -> int | float:
    return float(settings[name]) if "." in settings[name] else int(settings[name])


def assert_limit(status: int, body: dict[str, Any], name: str, value: int | float) -> None:
    assert status == 422, body
    detail = body
    assert detail["kind"] == "limit", detail
    assert detail["limit"] == name, detail
    assert detail["value"] == value, detail
    assert name in detail["detail"] and str(value) in detail["detail"], detail


def assert_runs(status: int, body: dict[str, Any]) -> None:
    assert status == 200, body
    assert body["ok"] is True, body["error"]


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


LEAF = "x = torch.tensor(1., requires_grad=True)"
TEN_ADDS = "    n = n + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1"

# (limit, a program over it, a program just under it), against the TIGHT settings above.
REFUSED_AND_ACCEPTED = [
    pytest.param(
        "max_source_chars",
        "x = 1\n" + "#" * 395,  # 401 characters
        "x = 1\n" + "#" * 394,  # 400 characters
        id="max_source_chars",
    ),
    pytest.param("max_ast_nodes", "x = 1\n" * 40, "x = 1\n" * 25, id="max_ast_nodes"),
    pytest.param(
        "max_ast_depth",
        "x = " + "[" * 25 + "]" * 25,
        "x = " + "[" * 15 + "]" * 15,
        id="max_ast_depth",
    ),
    pytest.param(
        "max_statements",
        lines("for i in range(30):", "    a = 1", "    b = 2", "    c = 3"),
        lines("for i in range(19):", "    a = 1", "    b = 2", "    c = 3"),
        id="max_statements",
    ),
    pytest.param(
        "max_loop_iterations",
        lines("for i in range(41):", "    pass"),
        lines("for i in range(40):", "    pass"),
        id="max_loop_iterations",
    ),
    pytest.param(
        "max_ops",
        lines("n = 0", "for i in range(35):", TEN_ADDS),
        lines("n = 0", "for i in range(20):", TEN_ADDS),
        id="max_ops",
    ),
    pytest.param(
        "max_tensor_elements",
        "x = torch.ones(1001)",
        "x = torch.ones(1000)",
        id="max_tensor_elements",
    ),
    pytest.param(
        "max_live_elements",
        lines("a = torch.ones(1000)", "b = torch.ones(1000)", "c = torch.ones(1000)"),
        lines("a = torch.ones(1000)", "b = torch.ones(1000)", "c = torch.ones(500)"),
        id="max_live_elements",
    ),
    pytest.param(
        "max_allocated_elements",
        lines("for i in range(7):", "    a = torch.ones(1000)"),
        lines("for i in range(5):", "    a = torch.ones(1000)"),
        id="max_allocated_elements",
    ),
    pytest.param("max_int_bits", "n = 2**64", "n = 2**63", id="max_int_bits"),
    pytest.param("max_sequence_len", "s = 'a' * 51", "s = 'a' * 50", id="max_sequence_len"),
    pytest.param(
        "max_output_chars",
        lines("print('a' * 49)", "print('a' * 49)", "print('a' * 49)"),
        lines("print('a' * 49)", "print('a' * 49)"),
        id="max_output_chars",
    ),
    pytest.param(
        "max_call_depth",
        "def f(n):\n    return 0 if n == 0 else f(n - 1)\nf(5)",
        "def f(n):\n    return 0 if n == 0 else f(n - 1)\nf(4)",
        id="max_call_depth",
    ),
    pytest.param(
        "max_container_depth",
        lines("t = 1", "for i in range(17):", "    t = (t, i)"),
        lines("t = 1", "for i in range(16):", "    t = (t, i)"),
        id="max_container_depth",
    ),
    pytest.param(
        "max_tensor_dims",
        "x = torch.ones(1).view(1, 1, 1, 1, 1)",
        "x = torch.ones(1).view(1, 1, 1, 1)",
        id="max_tensor_dims",
    ),
    pytest.param(
        # x[i] is a view, but its backward writes a gradient as large as x: each select
        # weighs 10,000 (its node) + 1,000 (its gradient), each add 10,000 + 2, the leaf's
        # node 10,000: 3 selects 63,004, 2 selects 42,002
        "max_backward_elements",
        lines("x = torch.ones(1000, requires_grad=True)", "s = x[0] + x[1] + x[2]", "s.backward()"),
        lines("x = torch.ones(1000, requires_grad=True)", "s = x[0] + x[1]", "s.backward()"),
        id="max_backward_elements",
    ),  # fmt: skip
    pytest.param(
        "max_backward_calls",
        LEAF + "\ny = x * 2\n" + "y.backward(retain_graph=True)\n" * 4,
        LEAF + "\ny = x * 2\n" + "y.backward(retain_graph=True)\n" * 3,
        id="max_backward_calls",
    ),
]


@pytest.mark.parametrize(("limit", "over", "under"), REFUSED_AND_ACCEPTED)
def test_limit_refuses_over_and_accepts_under(
    tight: str, limit: str, over: str, under: str
) -> None:
    status, body = post(tight, over)
    assert_limit(status, body, limit, configured(TIGHT, limit))
    assert_runs(*post(tight, under))


def test_max_run_seconds_stops_a_loop_of_matmuls(clock: str) -> None:
    a = "a = torch.ones(300, 300)"
    status, body = post(clock, lines(a, "while True:", "    b = a @ a"))
    assert_limit(status, body, "max_run_seconds", configured(CLOCK, "max_run_seconds"))
    assert body["line"] == 3
    assert_runs(*post(clock, lines(a, "b = a @ a")))


def test_max_value_elements_truncates_values_without_refusing(tight: str) -> None:
    # Not a refusal: values above the cap come back as null with a summary.
    status, body = post(tight, "x = torch.arange(9.)\ny = torch.arange(8.)\n")
    assert_runs(status, body)
    x, y = body["tensors"]["x"], body["tensors"]["y"]
    assert x["value"] is None and x["truncated"] is True
    assert x["summary"] == {"min": 0.0, "max": 8.0, "mean": 4.0}
    assert y["value"] == [float(i) for i in range(8)] and y["truncated"] is False


def test_every_limit_has_a_test() -> None:
    tested = {param.values[0] for param in REFUSED_AND_ACCEPTED}
    tested |= {"max_run_seconds", "max_value_elements", "worker_memory_mb"}
    assert tested == {field.name for field in fields(Limits)}
    assert set(TIGHT) == tested


def test_huge_power_is_refused_by_int_bits_not_by_the_clock(clock: str, run_api: RunApi) -> None:
    # The request must complete at once; the limit that stops it is the integer size, computed
    # before the power is, not the wall time of the run.
    status, body = post(clock, "n = 2**10**10")
    assert_limit(status, body, "max_int_bits", Limits.defaults().max_int_bits)
    assert (body["line"], body["col"]) == (1, 4)
    status, body = run_api("n = 2**10**10")
    assert_limit(status, body, "max_int_bits", Limits.defaults().max_int_bits)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("n = 10**10**10", id="ten-pow"),
        pytest.param("n = pow(2, 10**10)", id="pow-builtin"),
        pytest.param("n = 1 << 10**10", id="shift"),
        pytest.param("n = 2**4096 * 2**4096", id="mult"),
    ],
)
def test_other_huge_integers_name_max_int_bits(run_api: RunApi, source: str) -> None:
    status, body = run_api(source)
    assert_limit(status, body, "max_int_bits", Limits.defaults().max_int_bits)
