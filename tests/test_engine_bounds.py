"""The engine's bounds on single expensive operations (issue 12), in-process.

Each class of weakness is shown by its example and checked at the mechanism: container nesting
as containers are built, walks over shared sublists, sizes before allocating (shown by sizes that
could not be allocated at all: a post-check would have met torch's own out-of-memory error
first), a backward sized from its graph, attribute assignment only on tensors, resource
exhaustion as a refusal, text without heap addresses, and recording that changes nothing.
Property tests cover container nesting and big integers at their exact boundaries.
"""

from __future__ import annotations

import dataclasses
import operator
import time
import tracemalloc
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.graphsize import NODE_ELEMENTS, GraphSizes
from app.engine.records import Run
from app.engine.run import run_program
from app.lang.errors import LimitExceeded, NotAllowed, ProgramError
from app.lang.parse import parse
from app.settings import Limits

DEFAULTS = Limits.defaults()


def run(source: str, record: bool = False, **limits: Any) -> Run:
    chosen = dataclasses.replace(DEFAULTS, **limits)
    return run_program(parse(source, chosen), "cpu", chosen, record=record)


def refusal(source: str, **limits: Any) -> ProgramError:
    with pytest.raises(ProgramError) as caught:
        run(source, **limits)
    return caught.value


def limit_of(source: str, **limits: Any) -> str:
    error = refusal(source, **limits)
    assert isinstance(error, LimitExceeded), error
    return error.limit


def printed(result: Run) -> str:
    assert result.error is None, result.error
    return "".join(step.output for step in result.steps)


def quickly(source: str, seconds: float = 1.0, **limits: Any) -> str:
    start = time.perf_counter()
    name = limit_of(source, **limits)
    assert time.perf_counter() - start < seconds, f"{name} took too long"
    return name


# --- class 2 and 4: nesting ------------------------------------------------------------------
DEEP = [
    pytest.param("t = ()\nfor i in range(300):\n    t = (t,)", id="tuple-display"),
    pytest.param("t = ()\nfor i in range(300):\n    t = (t, i)\nh = t in [t]", id="tuple-pair"),
    pytest.param("l = []\nfor i in range(300):\n    l = [l]", id="list-display"),
    pytest.param("p = 1\nfor i in range(300):\n    for p in zip([p]):\n        pass", id="zip"),
    pytest.param(
        "p = 1\nfor i in range(300):\n    for p in enumerate([p]):\n        pass", id="enumerate"
    ),  # fmt: skip
    pytest.param("t = 1\nfor i in range(300):\n    t = tuple([t])", id="tuple-builtin"),
    pytest.param(
        "l = []\nfor i in range(300):\n    m = []\n    m.append(l)\n    l = m", id="append"
    ),
    pytest.param(
        "l = []\nfor i in range(300):\n    m = [0]\n    m[0] = l\n    l = m", id="setitem"
    ),
    pytest.param(
        "l = []\nfor i in range(300):\n    m = []\n    m.insert(0, l)\n    l = m", id="insert"
    ),  # fmt: skip
    pytest.param("t = ()\nfor i in range(300):\n    t = (t,) + (1,)", id="concat"),
    pytest.param("t = ()\nfor i in range(300):\n    t = (t,) * 2", id="repeat"),
    pytest.param(
        "s = torch.nn.Sequential()\nfor i in range(1200):\n    s = torch.nn.Sequential(s)",
        id="sequential",
    ),
]


@pytest.mark.parametrize("source", DEEP)
def test_containers_nested_past_the_limit_are_refused_as_they_are_built(source: str) -> None:
    error = refusal(source)
    assert isinstance(error, LimitExceeded) and error.limit == "max_container_depth", error
    assert error.span is not None and error.span.line >= 3


def test_a_tuple_300000_deep_never_reaches_the_hash_that_crashed_a_worker() -> None:
    source = "t = ()\nfor i in range(300000):\n    t = (t,)\nt()"
    assert quickly(source, max_loop_iterations=10**6, max_statements=10**6) == (
        "max_container_depth"
    )


def test_nesting_up_to_the_limit_runs_and_prints_as_python_does() -> None:
    result = run("t = 0\nfor i in range(99):\n    t = (t,)\nprint(t)")
    expected: Any = 0
    for _ in range(99):
        expected = (expected,)
    assert printed(result) == f"{expected}\n"


def test_a_list_deepened_through_an_alias_is_refused_when_walked() -> None:
    source = (
        "root = []\ncur = root\nfor i in range(3000):\n    nxt = []\n    cur.append(nxt)\n"
        "    cur = nxt\nprint(root)"
    )
    assert quickly(source) == "max_container_depth"


def test_tensor_dimensions_are_bounded() -> None:
    assert limit_of("y = torch.zeros(1).view([1] * 1500)") == "max_tensor_dims"
    assert limit_of("y = torch.zeros([1] * 40)") == "max_tensor_dims"
    result = run("y = torch.zeros(1).view([1] * 32)")
    assert result.error is None and result.tensors["y"].shape == [1] * 32


# --- class 5: attribute assignment --------------------------------------------------------------
SHARED_ASSIGNMENTS = [
    pytest.param("torch.nn.Linear.grad = 'x'", id="class"),
    pytest.param("L = torch.nn.Linear\nL.grad = torch.ones(10)", id="class-by-name"),
    pytest.param("from torch.nn import Linear\nLinear.weight = 1", id="class-imported"),
    pytest.param("torch.ones.grad = 1", id="builtin-function"),
    pytest.param("def f():\n    pass\nf.grad = 1", id="program-function"),
    pytest.param("net = torch.nn.Linear(2, 2)\nnet.grad = torch.ones(10)", id="module-instance"),
    pytest.param(
        "net = torch.nn.Linear(2, 2)\nnet.weight = torch.nn.Parameter(torch.ones(1))",
        id="module-weight",
    ),  # fmt: skip
    pytest.param(
        "x = torch.ones(1, requires_grad=True)\nopt = torch.optim.SGD([x], lr=1.0)\nopt.step = 1",
        id="optimizer-method",
    ),
    pytest.param(
        "x = torch.ones(1, requires_grad=True)\ny = x * 2\ny.grad_fn.name = 1",
        id="grad-fn-attribute",
    ),  # fmt: skip
    pytest.param("print.grad = 1", id="print"),
    pytest.param(
        "net = torch.nn.Sequential(torch.nn.ReLU())\nnet[0] = torch.nn.Tanh()", id="sequential-item"
    ),  # fmt: skip
]


@pytest.mark.parametrize("source", SHARED_ASSIGNMENTS)
def test_attributes_are_set_only_on_the_runs_own_tensors(source: str) -> None:
    assert isinstance(refusal(source), NotAllowed)
    assert not hasattr(torch.nn.Linear, "grad")
    assert "grad" not in vars(torch.nn.Linear)


def test_tensor_attributes_and_plain_values_behave_as_in_python() -> None:
    result = run(
        "x = torch.ones(2)\nx.requires_grad = True\nx.grad = torch.ones(2)\nprint(x.grad)\n"
    )
    assert printed(result) == "tensor([1., 1.])\n"
    failed = run("n = None\nn.grad = 1")
    assert failed.error is not None and failed.error.type == "AttributeError"


def test_grad_fn_metadata_is_a_read_only_copy() -> None:
    leaf = "x = torch.tensor(1., requires_grad=True)\ny = x * 2\n"
    assert isinstance(refusal(leaf + "m = y.grad_fn.metadata\nm['t'] = torch.ones(10)"),
                      NotAllowed)  # fmt: skip
    # a param group made of it is no dict, so no `fused=True` reaches the optimizer
    result = run(leaf + "opt = torch.optim.SGD([y.grad_fn.metadata], lr=0.1)")
    assert result.error is not None and result.error.type == "TypeError"
    assert printed(run(leaf + "print(len(y.grad_fn.metadata))")) == "0\n"


# --- class 6: single expensive calls ------------------------------------------------------------
EXPENSIVE = [
    pytest.param("x = round(1, -10**7)", "max_int_bits", id="round-int"),
    pytest.param("x = round(10**1000, -10**6)", "max_int_bits", id="round-big-int"),
    pytest.param(
        "q = [0] * 10\nl = [[0] * 10] * 100000\nn = l.count(q)",
        "max_sequence_len",
        id="count-copies",
    ),  # fmt: skip
    pytest.param(
        "q = [0] * 10\nl = [[0] * 10] * 100000\nn = l.index(q)",
        "max_sequence_len",
        id="index-copies",
    ),  # fmt: skip
    pytest.param(
        "q = [1] * 10\nl = [[0] * 10] * 100000\nn = q in l", "max_sequence_len", id="in-copies"
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nb = [1]\nfor i in range(60):\n    a = [a, a]\n    b = [b, b]\nc = a == b",
        "max_sequence_len",
        id="compare-dag",
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nfor i in range(60):\n    a = [a, a]\nprint(a)", "max_sequence_len", id="print-dag"
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nfor i in range(60):\n    a = [a, a]\ns = repr(a)",
        "max_sequence_len",
        id="repr-dag",
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nfor i in range(60):\n    a = [a, a]\ns = str(a)", "max_sequence_len", id="str-dag"
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nfor i in range(60):\n    a = [a, a]\ns = f'{a}'",
        "max_sequence_len",
        id="fstring-dag",
    ),  # fmt: skip
    pytest.param(
        "a = [1]\nfor i in range(60):\n    a = [a, a]\ns = sorted([a, a])",
        "max_sequence_len",
        id="sorted-dag",
    ),  # fmt: skip
    pytest.param(
        "l = [[1]] * 100000\nm = [l] * 2\ns = sum(m, [])", "max_sequence_len", id="sum-lists-long"
    ),  # fmt: skip
    pytest.param(
        "t = torch.tensor([[0.] * 15000] * 15000)", "max_tensor_elements", id="tensor-nested"
    ),  # fmt: skip
    pytest.param(
        # unbounded, its backward writes 4,000 gradients of 10⁶ elements (tens of seconds)
        "x = torch.ones(10**6, requires_grad=True)\ns = x[0]\nfor i in range(1000):\n"
        "    s = s + x[i] + x[i + 1] + x[i + 2] + x[i + 3]\ns.backward()",
        "max_backward_elements",
        id="select-chain-backward",
    ),
]


@pytest.mark.parametrize(("source", "name"), EXPENSIVE)
def test_an_expensive_single_call_is_refused_before_it_starts(source: str, name: str) -> None:
    assert quickly(source, seconds=2.0) == name


def test_sum_of_lists_gives_pythons_list_in_one_pass() -> None:
    result = run("l = [[1, 2]] * 30000\ns = sum(l, [])\nprint(len(s), s[:4])\n"
                 "print(sum([(1,), (2,)], ()))")  # fmt: skip
    assert printed(result) == "60000 [1, 2, 1, 2]\n(1, 2)\n"
    failed = run("s = sum([[1], (2,)], [])")
    assert failed.error is not None and failed.error.type == "TypeError"


def test_a_backward_under_the_bound_gives_torchs_gradient() -> None:
    result = run("x = torch.ones(1000, requires_grad=True)\ns = x[0] + x[1] * 3\ns.backward()")
    grad = torch.zeros(1000)
    grad[0], grad[1] = 1.0, 3.0
    assert result.error is None
    assert result.namespace["x"].grad.equal(grad)


# --- class 7: sizes before allocating -----------------------------------------------------------
# Each would allocate 10¹² elements (4 TB): were it attempted, torch's own out-of-memory error
# (worker_memory_mb) would come first, not max_tensor_elements.
BEFORE_ALLOCATING = [
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = sum([a, b])", id="sum-builtin"
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = pow(a, b)", id="pow-builtin"
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = torch.normal(a, b)",
        id="normal-broadcast",
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = max([a, b])", id="max-builtin"
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = sorted([a, b])",
        id="sorted-builtin",
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = a in [b]", id="in-list"
    ),  # fmt: skip
    pytest.param(
        "a = torch.ones(10**6, 1)\nb = torch.ones(1, 10**6)\nc = [b].count(a)", id="count-list"
    ),  # fmt: skip
    pytest.param(
        "x = torch.ones(10**6, 1)\nm = torch.ones(10**6, dtype=torch.bool)\n"
        "i = torch.zeros(10**6, 1, dtype=torch.long)\ny = x[m, i]",
        id="bool-and-int-index",
    ),
]


@pytest.mark.parametrize("source", BEFORE_ALLOCATING)
def test_a_broadcast_through_a_builtin_is_sized_before_allocating(source: str) -> None:
    limits = {"max_live_elements": 10**7}
    assert quickly(source, **limits) == "max_tensor_elements"


def test_extending_a_list_by_a_tensor_is_sized_first() -> None:
    assert quickly("l = []\nl += torch.ones(10**6)") == "max_sequence_len"
    assert printed(run("l = [1]\nl += torch.ones(2)\nprint(len(l))")) == "3\n"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("s = 'a' * 100000\nt = f'" + "{s}" * 1500 + "'", id="fstring-1500"),
        pytest.param("s = 'a' * 100000\nprint(" + "s, " * 1500 + ")", id="print-1500"),
    ],
)
def test_long_text_is_counted_before_it_is_joined(source: str) -> None:
    tracemalloc.start()
    try:
        name = limit_of(source, max_source_chars=10**5, max_ast_nodes=10**5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert name in ("max_sequence_len", "max_output_chars")
    assert peak < 20 * 2**20  # the joined text would be 150 MB


# --- class 8: resource exhaustion is a refusal --------------------------------------------------
def test_memory_error_is_a_limit_not_a_result() -> None:
    error = refusal("l = [0] * 2**60", max_sequence_len=2**62)
    assert isinstance(error, LimitExceeded) and error.limit == "worker_memory_mb"
    assert error.value == DEFAULTS.worker_memory_mb and error.span is not None


def test_torchs_out_of_memory_is_a_limit_not_a_result() -> None:
    huge = {"max_tensor_elements": 10**15, "max_allocated_elements": 10**15}
    assert limit_of("x = torch.ones(2**45)", **huge) == "worker_memory_mb"


def test_recursion_error_is_a_limit_not_a_result() -> None:
    source = "t = 0\nfor i in range(9000):\n    t = [t]\ns = repr(t)"
    assert limit_of(source, max_container_depth=10**6) == ("max_container_depth")


# --- class 10: no addresses, recording changes nothing -------------------------------------------
def test_printed_text_has_no_heap_addresses() -> None:
    source = (
        "x = torch.ones(1, requires_grad=True)\ny = x * 2\ndef f():\n    pass\n"
        "print(print, torch.ones, y.grad_fn, x.sum, f, [len, print])\nprint(repr(print))\n"
        "print(str(f))\nprint(f'{f} {y.grad_fn!r}')\nprint('%s' % f)\ny.grad_fn\n"
        "print(y.grad_fn.next_functions)\n"
    )
    text = printed(run(source))
    assert "0x" not in text
    assert "<function print>" in text and "<MulBackward0 object>" in text
    assert "<built-in method sum of Tensor object>" in text
    assert printed(run("print('<a at 0x1f>')")) == "<a at 0x1f>\n"  # the program's own text


@pytest.mark.parametrize("keyword", ["", "grad_outputs="])
def test_recording_the_graph_does_not_change_a_batched_grad(keyword: str) -> None:
    source = (
        "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * x\n"
        f"g = torch.autograd.grad(y, x, {keyword}torch.eye(2), is_grads_batched=True)\nprint(g)\n"
    )
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    expected = torch.autograd.grad(x * x, x, torch.eye(2), is_grads_batched=True)
    plain, recorded = run(source), run(source, record=True)
    assert printed(plain) == printed(recorded) == f"{expected}\n"


# --- property tests -----------------------------------------------------------------------------
BUILDERS = {
    "tuple": "t = (t,)",
    "list": "t = [t, 1]",
    "append": "u = []\n    u.append(t)\n    t = u",
    "zip": "for t in zip([t]):\n        pass",
    "tuple-builtin": "t = tuple([t])",
}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(depth=st.integers(1, 12), builder=st.sampled_from(sorted(BUILDERS)))
def test_nesting_is_refused_exactly_past_the_limit(depth: int, builder: str) -> None:
    """Nesting `depth` times around 0 makes a value of that depth; the limit is 6."""
    source = f"t = 0\nfor i in range({depth}):\n    {BUILDERS[builder]}\nprint(len(str(t)) > 0)"
    if depth > 6:
        assert limit_of(source, max_container_depth=6) == "max_container_depth"
    else:
        assert printed(run(source, max_container_depth=6)) == "True\n"


INT_OPS = {"**": operator.pow, "<<": operator.lshift, "*": operator.mul, "round": round}


@settings(max_examples=120, deadline=None, derandomize=True)
@given(base=st.integers(-(2**70), 2**70), exponent=st.integers(-5000, 10**7),
       op=st.sampled_from(sorted(INT_OPS)))  # fmt: skip
def test_big_integers_are_exact_or_refused_before_they_are_computed(
    base: int, exponent: int, op: str
) -> None:
    expression = f"round({base}, {-exponent})" if op == "round" else f"({base}) {op} {exponent}"
    start = time.perf_counter()
    try:
        result = run(f"n = {expression}")
    except LimitExceeded as error:
        assert error.limit == "max_int_bits"
        # computed, the largest of these would take seconds (2**70 ** 10**7: 87 MB of digits)
        assert time.perf_counter() - start < 1.0
        return
    compute = INT_OPS[op]
    arguments = (base, -exponent) if op == "round" else (base, exponent)
    if result.error is not None:  # Python's own error (a negative shift count)
        with pytest.raises(ValueError, match=result.error.message):
            compute(*arguments)
        return
    assert result.namespace["n"] == compute(*arguments)


def test_a_chain_of_matrix_products_is_sized_by_its_multiply_adds() -> None:
    # four products of 1000 × 1000 matrices: a backward of 8·10⁹ multiply-adds
    chain = "a = torch.ones(1000, 1000, requires_grad=True)\ny = a\nfor i in range(4):\n"
    assert limit_of(chain + "    y = y @ a\ny.sum().backward()") == "max_backward_elements"
    result = run("a = torch.ones(1000, 1000, requires_grad=True)\ny = (a @ a).sum()\ny.backward()")
    a = torch.ones(1000, 1000, requires_grad=True)
    (a @ a).sum().backward()
    assert result.error is None and result.namespace["a"].grad.equal(a.grad)


def _exact(root: torch.Tensor) -> int:
    """A first walk: every node the root reaches, counted once."""
    return GraphSizes().elements([root.grad_fn], 10**12)


def test_a_graph_each_call_extends_is_bounded_without_walking_it_again() -> None:
    """Unrolled `create_graph=True` steps: each call's graph holds every earlier one."""
    sizes, x = GraphSizes(), torch.ones(3, requires_grad=True)
    h = x
    for _ in range(30):
        h = (h * 1.5).sin()
        counted = sizes.elements([h.grad_fn], 10**12)
        assert counted >= _exact(h)  # a bound: never less than the graph it sizes
    assert counted <= 2 * _exact(h) + 1_000 * NODE_ELEMENTS


def test_a_bound_past_the_limit_counts_the_calls_own_graph() -> None:
    """A big retained graph, then a call that reaches only a small part of it: the bound
    (everything known) is past the limit, the call's own graph is not, and it is not refused."""
    x = torch.ones(3, requires_grad=True)
    big = x
    for _ in range(60):
        big = big * 1.01
    middle = x * 2.0
    small = middle.sin()
    limit = _exact(big) + 3 * NODE_ELEMENTS  # room for the big graph and two nodes more
    sizes = GraphSizes()
    assert sizes.elements([big.grad_fn], limit) == _exact(big)
    beside = middle + 1  # two new nodes, and the known leaf x: the bound is under the limit
    assert _exact(beside) <= sizes.elements([beside.grad_fn], limit) <= limit
    # two more: the bound is past the limit, this call's graph is not
    assert sizes.elements([(small * 3).grad_fn], limit) == _exact(small * 3)


def test_graphs_the_program_dropped_never_add_up_to_a_refusal() -> None:
    """A training loop builds a fresh graph each step, joined to the last ones only by the
    parameters' leaves: the old graphs count towards a bound, never towards a refusal."""
    w = torch.ones(4, requires_grad=True)
    sizes, limit = GraphSizes(), 10 * NODE_ELEMENTS  # two steps' graphs fit, three do not
    for _ in range(50):
        loss = ((w * 2).tanh() * 3).sum()
        assert _exact(loss) <= sizes.elements([loss.grad_fn], limit) <= limit


def test_a_graph_that_grows_past_the_limit_through_known_nodes_is_refused() -> None:
    sizes, x = GraphSizes(), torch.ones(3, requires_grad=True)
    h, limit, refused_at = x, 40 * NODE_ELEMENTS, None
    for step in range(60):
        h = h * 1.01
        if sizes.elements([h.grad_fn], limit) > limit:
            refused_at = step
            break
    assert refused_at is not None and _exact(h) > limit
