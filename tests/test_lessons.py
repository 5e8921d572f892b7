"""Built-in lessons: well-formed in both languages, accepted by the API, each making its point.

Every lesson runs through the real API; the Python-mode ones also run with real `exec`
(tests/oracle.py), and the API's tensors, error, output and warnings must equal real Python's.
What each lesson teaches is asserted per lesson in CHECKS, a table keyed by lesson id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.lessons import LESSONS as CATALOG
from app.lessons import Lesson, find_lesson
from app.lessons.catalog import AUTOGRAD_LESSONS as LESSONS
from tests.conftest import RunApi
from tests.oracle import normalise_output, run_programs

Answer = dict[str, Any]
CJK = re.compile(r"[\u3400-\u9fff]")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A sentence ends in . ! or ? before a space or the end ("x.grad", "[2., 4.]", "..." do not).
EN_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?][\"')]*(?=\s|$)")
TOPICS = {
    "math-first", "z-2x-plus-xy", "retain-graph", "backward-twice", "detach",
    "jacobian-row-sums", "retain-grad", "accumulate-zero", "data-vs-detach",
    "requires-grad-propagation", "no-grad", "path-sums", "gradient-descent-step",
    "non-scalar-backward",
}  # fmt: skip
TENSOR_FIELDS = (
    "value", "grad", "shape", "dtype", "device", "requires_grad", "is_leaf", "grad_fn",
    "retains_grad", "version",
)  # fmt: skip
PYTHON_LESSONS = [lesson for lesson in LESSONS if lesson.mode == "python"]


def _id(lesson: Lesson) -> str:
    return lesson.id


def line_of(source: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th `needle` (comments ignored)."""
    hits = [
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if needle in line.split("#", 1)[0]
    ]
    return hits[occurrence - 1]


def non_scalar_fixes(lesson: Lesson) -> list[str]:
    """The lesson's program with its failing `y.backward()` replaced by each commented fix."""
    lines = lesson.source.splitlines()
    failing = line_of(lesson.source, "y.backward()") - 1
    fixes = [line.removeprefix("# ") for line in lines if line.startswith("# y.")]
    return ["\n".join([*lines[:failing], fix]) + "\n" for fix in fixes]


# ---------------------------------------------------------------- the catalog itself


def test_catalog_has_every_topic_and_opens_with_the_math_seed() -> None:
    assert len(LESSONS) >= 12
    assert all(isinstance(lesson, Lesson) for lesson in LESSONS)
    ids = [lesson.id for lesson in LESSONS]
    assert len(ids) == len(set(ids)), "lesson ids must be unique"
    assert set(ids) == TOPICS
    first = LESSONS[0]
    assert (first.id, first.mode) == ("math-first", "math")
    assert first.source.strip() == "z = 2x + xy"
    assert first.inputs == {"x": 3, "y": 6}
    assert find_lesson("detach") is not None and find_lesson("no-such-lesson") is None


@pytest.mark.parametrize("lesson", LESSONS, ids=_id)
def test_lesson_texts_in_both_languages(lesson: Lesson) -> None:
    assert SLUG.match(lesson.id)
    for texts in (lesson.title, lesson.explanation):
        assert set(texts) == {"en", "zh"}
        assert texts["en"].strip() and texts["zh"].strip()
        assert CJK.search(texts["zh"]), "the Chinese text has no Chinese characters"
        assert not CJK.search(texts["en"]), "the English text has Chinese characters"
    for language in ("en", "zh"):
        assert "\n" not in lesson.explanation[language], "one paragraph"
    sentences_en = len(EN_SENTENCE_END.findall(lesson.explanation["en"]))
    sentences_zh = lesson.explanation["zh"].count("。") + lesson.explanation["zh"].count("！")
    assert 2 <= sentences_en <= 5, sentences_en
    assert 2 <= sentences_zh <= 5, sentences_zh
    assert json.loads(json.dumps(lesson.to_json()))["id"] == lesson.id


@pytest.mark.parametrize("lesson", PYTHON_LESSONS, ids=_id)
def test_python_lesson_source_shape(lesson: Lesson) -> None:
    assert lesson.source.startswith("import torch\n") and lesson.source.endswith("\n")
    assert 4 <= len(lesson.source.splitlines()) <= 15
    assert "print(" in lesson.source
    assert not CJK.search(lesson.source), "comments in programs are in English"
    assert lesson.inputs == {}


# ---------------------------------------------------------------- through the API


@pytest.fixture(scope="module")
def answers(run_api: RunApi) -> dict[str, tuple[int, Answer]]:
    """Every lesson run once through the API, with the graph."""
    return {
        lesson.id: run_api(lesson.source, mode=lesson.mode, inputs=lesson.inputs, formats=["graph"])
        for lesson in LESSONS
    }


@pytest.fixture(scope="module")
def real_python() -> dict[str, Answer]:
    """The oracle's answers (real `exec`) for every Python-mode lesson and the non-scalar fixes."""
    programs = [(lesson.id, lesson.source) for lesson in PYTHON_LESSONS]
    fixes = non_scalar_fixes(_lesson("non-scalar-backward"))
    programs += [(f"non-scalar-backward-fix-{n}", fix) for n, fix in enumerate(fixes)]
    return run_programs(programs)


def _lesson(lesson_id: str) -> Lesson:
    lesson = find_lesson(lesson_id)
    assert lesson is not None
    return lesson


def outputs(data: Answer) -> list[str]:
    return [step["output"] for step in data["steps"]]


def printed_at(data: Answer, line: int) -> str:
    """What the statement starting on `line` printed."""
    return next(step["output"] for step in data["steps"] if step["line"] == line)


def tensor(data: Answer, name: str) -> dict[str, Any]:
    return data["tensors"][name]


def grads(data: Answer, *names: str) -> tuple[Any, ...]:
    return tuple(tensor(data, name)["grad"] for name in names)


def functions(data: Answer, op: str) -> list[dict[str, Any]]:
    return [node for node in data["graph"]["nodes"] if node.get("op") == op]


def node_of(data: Answer, node_id: str) -> dict[str, Any]:
    return next(node for node in data["graph"]["nodes"] if node["id"] == node_id)


def node_named(data: Answer, name: str) -> dict[str, Any]:
    return next(node for node in data["graph"]["nodes"] if name in node.get("names", ()))


def check_math_first(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True and data["notes"] == ["read as: z = 2·x + x·y"]
    assert data["read_as"] == ["z = 2·x + x·y"]
    assert tensor(data, "z")["value"] == 24.0
    assert tensor(data, "z")["grad_fn"] == "AddBackward0"
    assert grads(data, "x", "y") == (8.0, 3.0)
    assert tensor(data, "x")["is_leaf"] and tensor(data, "y")["is_leaf"]
    assert data["code"].startswith("import torch\n") and "z.backward()" in data["code"]


def check_walk_through(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert [tensor(data, n)["grad_fn"] for n in "uvz"] == ["MulBackward0"] * 2 + ["AddBackward0"]
    assert printed_at(data, line_of(lesson.source, "print(u, v, z)")) == (
        "tensor(6., grad_fn=<MulBackward0>) tensor(18., grad_fn=<MulBackward0>) "
        "tensor(24., grad_fn=<AddBackward0>)\n"
    )
    assert grads(data, "x", "y") == (8.0, 3.0)
    assert outputs(data)[-1] == "tensor(8.) tensor(3.)\n"


def check_requires_grad_propagation(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert tensor(data, "y")["requires_grad"] is False
    assert (tensor(data, "u")["requires_grad"], tensor(data, "u")["grad_fn"]) == (False, None)
    assert (tensor(data, "v")["requires_grad"], tensor(data, "v")["grad_fn"]) == (
        True,
        "MulBackward0",
    )
    assert tensor(data, "z")["requires_grad"] is True
    assert grads(data, "x", "y") == (6.0, None)
    assert outputs(data)[-1] == "tensor(6.) None\n"


def check_retain_graph(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert grads(data, "x", "y") == (6.0, 3.0)
    assert outputs(data)[-1] == "tensor(6.) tensor(3.)\n"
    first, second = data["graph"]["backward_order"]
    assert len(second) < len(first)  # the second backward walks only v's branch
    v_node = node_named(data, "v")
    v_function = next(e["source"] for e in data["graph"]["edges"] if e["target"] == v_node["id"])
    assert v_node["flow_grad"] == 1.0 and node_named(data, "u")["flow_grad"] is None
    saved = next(n for n in data["graph"]["nodes"] if n["id"] == v_function)["saved"]
    assert saved and all(slot["freed"] for slot in saved)


def check_backward_twice(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is False
    error = data["error"]
    assert error["type"] == "RuntimeError"
    assert error["message"].startswith("Trying to backward through the graph a second time")
    assert error["line"] == line_of(lesson.source, ".backward(", occurrence=2)
    assert data["steps"][-1]["status"] == "error"
    assert grads(data, "x", "y") == (8.0, 3.0)  # the first backward's gradients remain
    saved = [slot for node in functions(data, "MulBackward0") for slot in node["saved"]]
    assert saved and all(slot["freed"] for slot in saved)


def check_accumulate_zero(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    printed = [text for text in outputs(data) if text.startswith("tensor(") and " " in text]
    assert printed == [
        "tensor(8.) tensor(3.)\n",
        "tensor(16.) tensor(6.)\n",
        "tensor(8.) tensor(3.)\n",
    ]
    assert grads(data, "x", "y") == (8.0, 3.0)


def check_retain_grad(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert outputs(data)[-4:] == [
        "True False False False\n",
        "None\n",
        "tensor(4.)\n",
        "tensor(4.)\n",
    ]
    assert grads(data, "y1", "y2", "loss", "x") == (None, 4.0, None, 4.0)
    assert tensor(data, "y2")["retains_grad"] is True
    assert tensor(data, "y1")["retains_grad"] is False
    line = line_of(lesson.source, "print(y1.grad)")
    warned = next(step["warnings"] for step in data["steps"] if step["line"] == line)
    assert len(warned) == 1 and "not a leaf Tensor" in warned[0]


def check_detach(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert tensor(data, "x")["grad"] == 6.0
    detached = tensor(data, "u_")
    assert (detached["requires_grad"], detached["is_leaf"], detached["grad_fn"]) == (
        False,
        True,
        None,
    )
    u_id, u__id = node_named(data, "u")["id"], node_named(data, "u_")["id"]
    assert node_named(data, "u_")["detached_from"] == u_id
    edge = next(e for e in data["graph"]["edges"] if e["kind"] == "detached")
    assert (edge["source"], edge["target"], edge["grad"]) == (u_id, u__id, None)


def check_data_vs_detach(lesson: Lesson, data: Answer) -> None:
    # first half: through .data the edit is silent and the gradient is wrong
    assert tensor(data, "a")["grad"] == [0.0, 0.0, 0.0]
    assert tensor(data, "b")["version"] == 0  # .data has its own version counter
    assert printed_at(data, line_of(lesson.source, "print(a.grad)")) == "tensor([0., 0., 0.])\n"
    # second half: through .detach() autograd sees the edit and refuses
    assert tensor(data, "c")["version"] == 1
    assert printed_at(data, line_of(lesson.source, "print(c)")) == (
        "tensor([0., 0., 0.], grad_fn=<AddBackward0>)\n"
    )
    error = data["error"]
    assert error["type"] == "RuntimeError"
    assert "modified by an inplace operation" in error["message"]
    assert error["line"] == line_of(lesson.source, "loss2.backward()")


def check_no_grad(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert (tensor(data, "u")["requires_grad"], tensor(data, "u")["grad_fn"]) == (False, None)
    assert tensor(data, "x")["grad"] == 6.0
    assert outputs(data)[-1] == "tensor(6.)\n"
    # no autograd edge touches u; it is drawn as what it is: made from x, with no gradient back
    # to x (a constant edge), and a constant input of z's add
    u_id, x_id = node_named(data, "u")["id"], node_named(data, "x")["id"]
    touching = [e for e in data["graph"]["edges"] if u_id in (e["source"], e["target"])]
    assert {e["kind"] for e in touching} == {"constant"}
    assert {(e["source"], e["target"]) for e in touching if e["target"] == u_id} == {(x_id, u_id)}
    (into,) = [e for e in touching if e["source"] == u_id]
    assert node_of(data, into["target"])["op"] == "AddBackward0" and into["grad"] is None


def check_non_scalar_backward(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is False
    assert data["error"]["type"] == "RuntimeError"
    assert data["error"]["message"] == "grad can be implicitly created only for scalar outputs"
    assert data["error"]["line"] == line_of(lesson.source, "y.backward()")
    assert tensor(data, "y")["shape"] == [3]
    assert tensor(data, "x")["grad"] is None


def check_jacobian(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert tensor(data, "a")["grad"] == [[10.0, 98.0]]
    assert tensor(data, "c")["shape"] == [1, 2]
    assert tensor(data, "b")["version"] == 2  # two in-place writes
    assert "CopySlices" in tensor(data, "b")["grad_fn"]
    assert outputs(data)[-1] == "tensor([[10., 98.]])\n"


def check_path_sums(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert tensor(data, "w")["grad"] == [5.0]  # (w + 1) + (x + w)
    assert tensor(data, "x")["grad"] == [2.0]
    assert tensor(data, "y")["value"] == [6.0]
    w_id = node_named(data, "w")["id"]
    accumulate = next(e["target"] for e in data["graph"]["edges"] if e["source"] == w_id)
    paths = sorted(e["grad"] for e in data["graph"]["edges"] if e["source"] == accumulate)
    assert paths == [[2.0], [3.0]]


def check_gradient_descent_step(lesson: Lesson, data: Answer) -> None:
    assert data["ok"] is True
    assert tensor(data, "loss")["value"] == 30.5
    assert printed_at(data, line_of(lesson.source, "print(loss, w.grad, b.grad)")) == (
        "tensor(30.5000, grad_fn=<SumBackward0>) tensor([[-23.],\n        [-34.]]) tensor([-11.])\n"
    )
    w, b = tensor(data, "w"), tensor(data, "b")
    assert [row[0] for row in w["value"]] == pytest.approx([1.15, 1.7])
    assert b["value"] == pytest.approx([0.55])
    assert (w["is_leaf"], w["grad_fn"], w["grad"]) == (True, None, [[0.0], [0.0]])
    assert b["grad"] == [0.0]
    assert outputs(data)[-1] == "tensor(11.5250, grad_fn=<SumBackward0>)\n"


CHECKS: dict[str, Callable[[Lesson, Answer], None]] = {
    "math-first": check_math_first,
    "z-2x-plus-xy": check_walk_through,
    "requires-grad-propagation": check_requires_grad_propagation,
    "retain-graph": check_retain_graph,
    "backward-twice": check_backward_twice,
    "accumulate-zero": check_accumulate_zero,
    "retain-grad": check_retain_grad,
    "detach": check_detach,
    "data-vs-detach": check_data_vs_detach,
    "no-grad": check_no_grad,
    "non-scalar-backward": check_non_scalar_backward,
    "jacobian-row-sums": check_jacobian,
    "path-sums": check_path_sums,
    "gradient-descent-step": check_gradient_descent_step,
}


def test_every_lesson_has_a_check() -> None:
    assert set(CHECKS) == {lesson.id for lesson in LESSONS}


@pytest.mark.parametrize("lesson", LESSONS, ids=_id)
def test_lesson_makes_its_point_through_the_api(
    lesson: Lesson, answers: dict[str, tuple[int, Answer]]
) -> None:
    status, data = answers[lesson.id]
    assert status == 200, f"the API refused lesson {lesson.id}: {data}"
    CHECKS[lesson.id](lesson, data)


# ---------------------------------------------------------------- parity with real Python


def _exact(value: Any) -> str:
    """A spelling that tells 1 from 1.0 from True."""
    return json.dumps(value)


def differences(api: Answer, real: Answer) -> list[str]:
    """Every field where the API's answer and real Python's differ."""
    found: list[str] = []

    def differ(field: str, got: Any, want: Any) -> None:
        if _exact(got) != _exact(want):
            found.append(f"{field}: API {got!r} vs Python {want!r}")

    differ("tensor names", list(api["tensors"]), list(real["tensors"]))
    for name, want in real["tensors"].items():
        got = api["tensors"].get(name, {})
        for field in TENSOR_FIELDS:
            differ(f"{name}.{field}", got.get(field), want[field])
    error = api["error"] and {key: api["error"][key] for key in ("type", "message", "line")}
    differ("error", error, real["error"])
    printed = "".join(outputs(api))
    differ("output", normalise_output(printed), normalise_output(real["output"]))
    warned = [warning for step in api["steps"] for warning in step["warnings"]]
    differ("warnings", warned, real["warnings"])
    return found


@pytest.mark.parametrize("lesson", PYTHON_LESSONS, ids=_id)
def test_python_lesson_agrees_with_real_torch(
    lesson: Lesson, answers: dict[str, tuple[int, Answer]], real_python: dict[str, Answer]
) -> None:
    status, data = answers[lesson.id]
    assert status == 200
    found = differences(data, real_python[lesson.id])
    assert not found, "\n".join(found)


def test_math_lesson_code_agrees_with_real_torch(
    answers: dict[str, tuple[int, Answer]],
) -> None:
    status, data = answers["math-first"]
    assert status == 200
    real = run_programs([("math-first", data["code"])])["math-first"]
    found = differences(data, real)
    assert not found, "\n".join(found)


def test_non_scalar_fixes_work_as_the_lesson_says(
    run_api: RunApi, real_python: dict[str, Answer]
) -> None:
    fixes = non_scalar_fixes(_lesson("non-scalar-backward"))
    assert len(fixes) == 2
    for number, fix in enumerate(fixes):
        status, data = run_api(fix)
        assert status == 200 and data["ok"] is True, data
        assert tensor(data, "x")["grad"] == [2.0, 4.0, 6.0]  # 2x
        found = differences(data, real_python[f"non-scalar-backward-fix-{number}"])
        assert not found, "\n".join(found)


def test_lessons_endpoint_lists_the_catalog_in_order(http: httpx.Client) -> None:
    response = http.get("/api/v1/lessons")
    assert response.status_code == 200
    listed = response.json()
    assert [item["id"] for item in listed] == [lesson.id for lesson in CATALOG]
    assert listed[0]["mode"] == "math" and listed[0]["inputs"] == {"x": 3, "y": 6}
    assert all(item["title"]["zh"] and item["explanation"]["en"] for item in listed)
