"""The training chart: the view model's geometry (no browser), then the chart in a real Chromium.

app/web/chart.py turns the payload's `training` field into coordinates; the first half checks
them against the payload's own numbers, the second half that the page draws them (and follows
htmx swaps, the language switch, a phone's width). Screenshots: test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.lessons import find_lesson
from app.pipeline import RunRequest, execute, payload
from app.service.runner import Runner
from app.settings import Settings
from app.web import chart
from app.web.i18n import EN, ZH
from app.web.page import lesson_state, lesson_truth, run_state
from app.web.state import PlayState, encode
from app.web.templating import environment
from app.web.views import ChartView

try:  # the view-model tests below run without a browser
    from playwright.sync_api import Browser, Page, expect, sync_playwright

    from tests.test_page_browser import (
        ARGS,
        CHROMIUM,
        DESKTOP,
        PHONE,
        SHOTS,
        Watch,
        wait_for_run,
    )

    HAVE_BROWSER = CHROMIUM.exists()
except ImportError:
    HAVE_BROWSER = False

W_SQUARED = """\
import torch
w = torch.tensor(3.0, requires_grad=True)
for i in range(3):
    loss = w * w
    loss.backward()
    with torch.no_grad():
        w -= 0.25 * w.grad
        w.grad.zero_()
"""
CONCISE = "linear-regression-concise"


def _training(source: str) -> dict[str, Any] | None:
    """The `training` field as the page gets it: the payload through JSON."""
    body = json.loads(json.dumps(payload(execute(RunRequest(source), Settings()))))
    training: dict[str, Any] | None = body["training"]
    return training


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]


def _expected(values: list[float], chart_view: ChartView) -> str:
    """Points from the payload's numbers and the axis the ticks name (chart.py's docstring)."""
    lo = float(chart_view.y_ticks[0].label)
    hi = float(chart_view.y_ticks[-1].label)
    calls = len(values)
    span = chart.RIGHT - chart.LEFT
    height = chart.BOTTOM - chart.TOP
    xs = [chart.LEFT + i / (calls - 1) * span for i in range(calls)]
    ys = [chart.BOTTOM - (v - lo) / (hi - lo) * height for v in values]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


# --- the view model -------------------------------------------------------------------------------


def test_points_are_the_payload_numbers() -> None:
    training = _training(W_SQUARED)
    assert training is not None and training["calls"] == 3
    assert training["loss"] == [9.0, 2.25, 0.5625]  # w = 3, 1.5, 0.75
    view = chart.training_view(training, EN)
    assert view is not None and view.expanded
    loss, w = view.charts
    assert (loss.kind, loss.name, loss.scale) == ("loss", "loss", "linear")  # 16×: not log
    assert [tick.label for tick in loss.y_ticks] == ["0.0", "2.5", "5.0", "7.5", "10.0"]
    assert [tick.label for tick in loss.x_ticks] == ["1", "2", "3"]
    (line,) = loss.lines
    assert line.segments == (_expected([9.0, 2.25, 0.5625], loss),) and line.dots == ()
    assert line.segments[0].startswith("48.0,38.2 179.0,")
    assert line.segments[0].endswith(" 310.0,158.0")  # 0.5625 of 10, above the bottom (166)
    assert w.name == "w" and [tick.label for tick in w.y_ticks] == ["0", "1", "2", "3"]
    assert w.lines[0].segments == (_expected([3.0, 1.5, 0.75], w),)
    assert w.truths == ()  # not a lesson
    assert view.summary == "backward calls: 3 · loss 9 → 0.5625"
    assert loss.x_label.text == "backward call" and loss.y_label.text == "loss"
    html = environment().get_template("partials/_training.html").render(result=_Result(view), t=EN)
    assert f'<polyline points="{line.segments[0]}"/>' in html
    # the words once each (it read "Loss, loss, at each ..." and then "...: loss 9 → 0.5625")
    assert 'aria-label="Loss, at each of 3 backward calls: 9 → 0.5625"' in html
    assert 'aria-label="w (value), at each of 3 backward calls: 3 → 0.75"' in html


FALLING = {"calls": 3, "loss": [1000.0, 10.0, 0.01], "parameters": [
    {"name": "W", "shape": [2], "kind": "norm", "points": [1.0, 2.0, 3.0],
     "elements": [[1.0, 0.0], [2.0, 0.0], [3.0, 0.5]]},
    {"name": "b", "shape": [2], "kind": "norm", "points": [1.0, 2.0, 3.0]},
]}  # fmt: skip


@pytest.mark.parametrize(
    ("t", "loss", "weight", "norm"),
    [
        (
            EN,
            "Loss (log scale), at each of 3 backward calls: 1000 → 0.01",
            "W (value), at each of 3 backward calls: W[0] 1 → 3; W[1] 0 → 0.5",
            "b (L2 norm), at each of 3 backward calls: 1 → 3",
        ),
        (
            ZH,
            "损失（对数坐标），共 3 次 backward：1000 → 0.01",
            "W（取值），共 3 次 backward：W[0] 1 → 3; W[1] 0 → 0.5",
            "b（L2 范数），共 3 次 backward：1 → 3",
        ),
    ],
    ids=["en", "zh"],
)
def test_a_chart_caption_says_each_word_once(t: Any, loss: str, weight: str, norm: str) -> None:
    """A log-scale loss read "Loss (loss (log scale)) ...: loss 1000 → 0.01" (损失 three times in
    中文): the axis adds only what the title lacks, and a lone line is named by the heading."""
    view = chart.training_view(FALLING, t)
    assert view is not None
    assert [c.description for c in view.charts] == [loss, weight, norm]
    for description in (loss, weight, norm):
        heading = re.split(r"[,，]", description, maxsplit=1)[0]
        words = re.findall(r"[^\W\d_]+", heading.casefold())
        assert len(words) == len(set(words)), heading


class _Result:
    def __init__(self, training: Any) -> None:
        self.training = training


def test_nan_inf_and_null_break_the_line() -> None:
    training = {
        "calls": 6,
        "lines": [3] * 6,
        "loss": [4.0, "nan", 2.0, 1.0, None, "inf"],
        "parameters": [
            {
                "name": "w", "shape": [2], "kind": "norm", "points": [1.0] * 6,
                "elements": [[1.0, 2.0], [1.0, "nan"], None, [0.5, 1.5], [0.25, 1.0], [0.0, 0.5]],
            },
            {"name": "b", "shape": [], "kind": "value", "points": [None, 1, 2, 3, "-inf", 5]},
        ],
        "truncated": True,
    }  # fmt: skip
    view = chart.training_view(training, EN, {"w": [2.0, -3.4], "b": 4.2})
    assert view is not None
    loss, w, b = view.charts
    (line,) = loss.lines
    assert len(line.segments) == 1 and len(_points(line.segments[0])) == 2  # calls 3 and 4
    assert [(dot.x, dot.y) for dot in line.dots] == [("48.0", line.dots[0].y)]  # call 1 alone
    first, second = w.lines
    assert (first.label, second.label) == ("w[0]", "w[1]")
    assert len(first.segments) == 2 and first.segments[0].count(" ") == 1  # null at call 3
    assert [len(_points(s)) for s in second.segments] == [3] and len(second.dots) == 1
    assert [truth.label.text for truth in w.truths] == ["true 2", "true -3.4"]
    assert [truth.key for truth in w.truths] == ["key-0", "key-1"]
    assert [len(_points(s)) for s in b.lines[0].segments] == [3] and len(b.lines[0].dots) == 1
    assert b.truths[0].label.text == "true 4.2"
    assert "Only the first 2 parameters are followed." in view.notes


def test_log_scale_only_when_the_loss_spans_more_than_two_decades() -> None:
    base = {"calls": 3, "lines": [1, 1, 1], "parameters": [], "truncated": False}
    wide = chart.training_view({**base, "loss": [50.0, 1.0, 0.01]}, ZH)
    zero = chart.training_view({**base, "loss": [50.0, 1.0, 0.0]}, EN)
    assert wide is not None and zero is not None
    assert wide.charts[0].scale == "log" and zero.charts[0].scale == "linear"
    assert wide.charts[0].y_label.text == "损失（对数坐标）"
    assert wide.charts[0].x_label.text == "第几次 backward"
    assert [tick.label for tick in wide.charts[0].y_ticks] == ["10⁻²", "10⁻¹", "1", "10", "10²"]
    ys = [y for _, y in _points(wide.charts[0].lines[0].segments[0])]
    height = chart.BOTTOM - chart.TOP
    assert ys[0] == round(chart.BOTTOM - (math.log10(50) + 2) / 4 * height, 1)  # 10⁻²..10²
    assert ys[1] == round(chart.BOTTOM - 2 / 4 * height, 1) and ys[2] == chart.BOTTOM


def test_matrix_elements_and_truth() -> None:
    lesson = find_lesson(CONCISE)
    assert lesson is not None
    assert lesson_truth(lesson_state(lesson)) == lesson.truth
    changed = PlayState(lesson.source.replace("range(3)", "range(2)"))
    assert lesson_truth(changed) is None
    assert lesson_truth(PlayState(lesson.source.replace("\n", "\r\n"))) == lesson.truth
    parameter = {
        "name": "net.0.weight", "shape": [1, 2], "kind": "norm", "points": [3.0, 4.0],
        "elements": [[1.0, -2.0], [2.0, -3.4]],
    }  # fmt: skip
    base = {"calls": 2, "lines": [1, 2], "loss": [None, None], "truncated": False}
    view = chart.training_view({**base, "parameters": [parameter]}, EN, lesson.truth)
    assert view is not None and view.notes == (EN.training_no_loss,)
    (weight,) = view.charts
    assert [line.label for line in weight.lines] == ["net.0.weight[0, 0]", "net.0.weight[0, 1]"]
    assert [truth.label.text for truth in weight.truths] == ["true 2", "true -3.4"]
    norms = chart.training_view(
        {**base, "parameters": [{**parameter, "elements": None}]}, EN, lesson.truth
    )
    assert norms is not None
    (only,) = norms.charts
    assert only.lines[0].label == "‖net.0.weight‖" and only.y_label.text == "L2 norm"
    assert only.truths[0].label.text == "true norm 3.945"


def test_no_chart_without_a_backward_call() -> None:
    assert _training("import torch\nx = torch.ones(2) * 3\n") is None
    assert chart.training_view(None, EN) is None
    runner = Runner(Settings(workers=0))
    ran = asyncio.run(run_state(PlayState("import torch\nx = torch.ones(2)\n"), runner, "en"))
    assert ran.result.training is None


# --- in the browser -------------------------------------------------------------------------------

LOSS = "#training .chart[data-kind=loss] polyline"
browser_only = pytest.mark.skipif(not HAVE_BROWSER, reason="needs playwright and /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser: Browser, server_url: str) -> Iterator[Callable[[str, dict[str, int]], Page]]:
    """Opens a page in a fresh context; afterwards, no console error, failed request or 4xx."""
    contexts = []
    watches: list[Watch] = []

    def open_(path: str, viewport: dict[str, int]) -> Page:
        context = browser.new_context(viewport=viewport, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        watch = Watch({urlsplit(server_url).netloc})
        watch.attach(page)
        watches.append(watch)
        page.goto(server_url + path)
        page.wait_for_load_state("networkidle")
        return page

    yield open_
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, "\n".join(problems)


OpenAt = Callable[[str, dict[str, int]], "Page"]


def _loss_points(page: Page) -> list[tuple[float, float]]:
    texts = page.eval_on_selector_all(LOSS, "ps => ps.map(p => p.getAttribute('points'))")
    return [point for text in texts for point in _points(text)]


@browser_only
def test_training_chart_in_the_page(page_at: OpenAt) -> None:
    page = page_at(f"/?lesson={CONCISE}&lang=en", DESKTOP)
    training = page.locator("#training")
    expect(training).to_be_visible()
    expect(training.locator("summary")).to_contain_text("backward calls: 300")
    points = _loss_points(page)
    assert len(points) == 300  # 3 epochs × 100 batches: one point per backward call
    assert points[-1][1] > points[0][1]  # lower on screen: the loss went down
    assert page.locator(".chart[data-kind=loss]").get_attribute("data-scale") == "log"
    expect(page.locator(".chart[data-kind=loss] .y-label")).to_have_text("loss (log scale)")
    weight = page.locator('.chart[data-series="net.0.weight"]')
    bias = page.locator('.chart[data-series="net.0.bias"]')
    expect(weight.locator("g.series")).to_have_count(2)
    expect(weight.locator(".chart-key")).to_contain_text("net.0.weight[0, 1]")
    expect(bias.locator("g.series polyline")).to_have_count(1)
    truths = page.locator("#training .truth line")
    expect(truths).to_have_count(3)
    assert truths.first.evaluate("l => getComputedStyle(l).strokeDasharray") != "none"
    expect(weight.locator(".truth text")).to_have_text(["true 2", "true -3.4"])
    expect(bias.locator(".truth text")).to_have_text("true 4.2")
    box = weight.locator("svg").bounding_box()
    assert box and 250 < box["width"] < 500
    training.screenshot(path=str(SHOTS / "training-desktop.png"))
    page.screenshot(path=str(SHOTS / "training-page-desktop.png"), full_page=True)

    page.click(".languages a[data-lang=zh]")
    page.wait_for_url(re.compile(r"lang=zh"))
    expect(page.locator("#training-title")).to_have_text("训练过程")
    expect(page.locator(".chart[data-kind=loss] figcaption")).to_have_text("损失")
    expect(page.locator(".chart[data-kind=loss] .y-label")).to_have_text("损失（对数坐标）")
    expect(page.locator(".chart[data-kind=loss] .x-label")).to_have_text("第几次 backward")
    expect(weight.locator(".truth text")).to_have_text(["真实值 2", "真实值 -3.4"])
    assert "共 300 次 backward" in (weight.locator("svg").get_attribute("aria-label") or "")
    page.locator("#training").screenshot(path=str(SHOTS / "training-zh-desktop.png"))

    # an edit re-runs through htmx: the chart is part of the swapped result
    source = page.input_value("#source").replace("range(3)", "range(1)")
    page.fill("#source", source)
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)]"
        ".reduce((n, p) => n + p.points.numberOfItems, 0) === 100",
        arg=LOSS,
    )
    wait_for_run(page)
    expect(page.locator("#training .truth")).to_have_count(0)  # no longer the lesson's program
    expect(page.locator("#training summary")).to_contain_text("backward 次数：100")


@browser_only
def test_training_chart_on_a_phone(page_at: OpenAt) -> None:
    page = page_at(f"/?lesson={CONCISE}&lang=en", PHONE)
    training = page.locator("#training")
    expect(training).to_be_visible()
    assert len(_loss_points(page)) == 300
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for svg in page.locator("#training svg").all():
        box = svg.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] > 280  # one chart per row, readable
    training.scroll_into_view_if_needed()
    training.screenshot(path=str(SHOTS / "training-phone.png"))
    page.click(".languages a[data-lang=zh]")
    page.wait_for_url(re.compile(r"lang=zh"))
    expect(page.locator("#training-title")).to_have_text("训练过程")
    page.locator("#training").screenshot(path=str(SHOTS / "training-zh-phone.png"))


ONE_STEP = """\
import torch
w = torch.tensor(1.0, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
loss = (2*w - 5)**2
loss.backward()
opt.step()
"""


@browser_only
def test_one_backward_call_is_folded(page_at: OpenAt) -> None:
    # the seed trains nothing (one backward over fixed leaves): no Training panel at all
    page = page_at("/?lesson=z-2x-plus-xy&lang=en", DESKTOP)
    wait_for_run(page)
    expect(page.locator("#training")).to_have_count(0)
    # one optimizer step trains: one point, folded
    page = page_at(f"/?lang=en&s={encode(PlayState(ONE_STEP))}", DESKTOP)
    wait_for_run(page)
    training = page.locator("#training")
    expect(training).to_have_count(1)
    assert training.get_attribute("open") is None
    training.locator("summary").click()
    expect(training.locator(".chart[data-kind=loss] circle")).to_have_count(1)
