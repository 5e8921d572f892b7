"""The playground in a real Chromium against the real server (Playwright, sync API).

The page's CSP forbids eval, so every page-side predicate below is written as a function
(`() => ...`), which Playwright runs without eval.

One browser for the module; every test gets a fresh context and fails on any console error,
uncaught page error, failed or 4xx/5xx request, or request to a host other than ours.
Screenshots land in test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
Browser = playwright_api.Browser
Page = playwright_api.Page
expect = playwright_api.expect

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
SEED = "z = 2x + xy"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Slides(ThreadingHTTPServer):
    """Another site (another origin on loopback) that puts the playground on a slide."""

    html = b""

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _SlideHandler(BaseHTTPRequestHandler):
    server: Slides

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.server.html)))
        self.end_headers()
        self.wfile.write(self.server.html)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def slides() -> Iterator[Slides]:
    server = Slides(("127.0.0.1", 0), _SlideHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@dataclass
class Watch:
    """What went wrong in a page, plus the /run requests it made."""

    allowed: set[str]
    problems: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message: object) -> None:
        if message.type in ("error", "warning"):  # type: ignore[attr-defined]
            self.problems.append(f"console {message.type}: {message.text}")  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc not in self.allowed:
            self.problems.append(f"request to another host: {url}")
        if parts.path == "/run":
            self.runs.append(url)

    def _response(self, response: object) -> None:
        if response.status >= 400:  # type: ignore[attr-defined]
            self.problems.append(f"HTTP {response.status}: {response.url}")  # type: ignore[attr-defined]


OpenPage = Callable[..., tuple[Page, Watch]]


@pytest.fixture
def open_page(browser: Browser, server_url: str, slides: Slides) -> Iterator[OpenPage]:
    contexts = []
    watches: list[Watch] = []

    def open_(path: str = "/", viewport: dict[str, int] = DESKTOP) -> tuple[Page, Watch]:
        context = browser.new_context(viewport=viewport, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        watch = Watch({urlsplit(server_url).netloc, urlsplit(slides.url).netloc})
        watch.attach(page)
        watches.append(watch)
        page.goto(path if path.startswith("http") else server_url + path)
        page.wait_for_load_state("networkidle")
        return page, watch

    yield open_
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, "\n".join(problems)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_for_run(page: Page, kind: str = "ok") -> None:
    page.wait_for_function(
        """kind => {
            const meta = document.getElementById('result-meta')
            const busy = document.getElementById('result').getAttribute('aria-busy') === 'true'
            return meta && meta.dataset.kind === kind && !busy
        }""",
        arg=kind,
    )
    page.wait_for_load_state("networkidle")


def node_labels(page: Page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "#graph svg g.node",
        "gs => gs.filter(g => g.id !== 'legend')"
        ".map(g => [g.id, [...g.querySelectorAll('text')].map(t => t.textContent).join(' | ')])",
    )


def type_seed(page: Page) -> None:
    page.locator("label.mode", has_text="Math").click()
    wait_for_run(page)
    page.fill("#source", "")
    page.locator("#source").press_sequentially(SEED, delay=25)
    page.wait_for_selector("#input-y")
    page.fill("#input-x", "3")
    page.fill("#input-y", "6")
    page.wait_for_timeout(450)
    wait_for_run(page)
    expect(page.locator("#graph g#t4")).to_contain_text("value 24")


# --- the seed example, typed, in both layouts ---------------------------------------------------


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_seed_example_typed_in_math_mode(open_page: OpenPage, size: str) -> None:
    page, watch = open_page("/?lang=en", VIEWPORTS[size])
    before = len(watch.runs)
    type_seed(page)
    # debounced: typing 11 characters and two inputs is a handful of requests, not one per key
    assert len(watch.runs) - before <= 5, watch.runs
    graph = " ".join(label for _, label in node_labels(page))
    for text in ("value 24", "grad 8", "grad 3"):
        assert text in graph
    rows = {
        row[0]: row[1:]
        for row in page.eval_on_selector_all(
            ".tensor-table tbody tr",
            "trs => trs.map(tr => [...tr.children].map(td => td.textContent.trim()))",
        )
    }
    assert rows["z"][0] == "24.0" and rows["x"][1] == "8.0" and rows["y"][1] == "3.0"
    assert rows["x"][3] == "True" and rows["z"][4] == "AddBackward0"
    program = page.locator(".program").bounding_box()
    view = page.locator("#graph-panel").bounding_box()
    assert program and view
    if size == "phone":  # panels stack, nothing wider than the screen
        assert view["y"] > program["y"] + program["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    else:
        assert abs(view["y"] - program["y"]) < 120 and view["x"] > program["x"] + program["width"]
    shot(page, f"seed-{size}")


def type_formula(page: Page, formula: str) -> None:
    page.locator("label.mode input[value=math]").check()
    wait_for_run(page)
    page.fill("#source", "")
    page.locator("#source").press_sequentially(formula, delay=20)


def test_formula_as_the_notes_write_it_fills_the_inputs_and_is_read_back(
    open_page: OpenPage,
) -> None:
    page, _ = open_page("/?lang=en")
    type_formula(page, "$\\hat{y} = σ(w \\cdot x + b)$")
    page.wait_for_selector("#input-b")
    names = page.eval_on_selector_all(
        ".inputs-table tbody th code", "cs => cs.map(c => c.textContent)"
    )
    assert names == ["w", "x", "b"]  # found in the formula, in order of first appearance
    page.fill("#input-x", "2")
    page.wait_for_timeout(450)
    wait_for_run(page)
    expect(page.locator("#read-as")).to_contain_text("ŷ = σ(w·x + b)")
    read_as = page.locator("#read-as").bounding_box()
    graph = page.locator("#graph").bounding_box()
    assert read_as and graph and read_as["y"] < graph["y"]  # above the graph
    notes = page.eval_on_selector_all("#problems .notes li", "ls => ls.map(l => l.textContent)")
    assert not [note for note in notes if "read as" in note]  # shown once, above the graph
    assert " ".join(label for _, label in node_labels(page)).count("SigmoidBackward0") == 1
    shot(page, "math-read-as")


def test_ambiguous_formula_is_refused_with_a_chinese_hint(open_page: OpenPage) -> None:
    page, _ = open_page("/?lang=zh")
    type_formula(page, "y = sin x^2")
    page.wait_for_selector("#problems .problem-refusal")
    problem = page.locator("#problems .problem-refusal")
    expect(problem).to_contain_text("sin(x^2) / sin(x)^2")
    expect(problem).to_contain_text("参数到哪里结束")
    shot(page, "math-refusal-zh")


def test_hover_click_and_source_spans(open_page: OpenPage) -> None:
    page, _ = open_page("/?lang=en")
    type_seed(page)
    page.hover("#graph g#t0")
    tip = page.locator("#tip-t0")
    expect(tip).to_be_visible()
    for text in ("3.0", "8.0", "float32", "cpu", "()"):
        expect(tip).to_contain_text(text)
    shot(page, "tooltip")
    page.click("#graph g#t4")
    detail = page.locator("#detail-t4")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("24.0")
    expect(detail).to_contain_text("AddBackward0" if False else "output")
    expect(page.locator(".backdrop-line.active")).to_have_count(1)  # z's span: line 1
    page.click("#graph g#f3")  # x * y: both saved tensors freed by backward()
    expect(page.locator("#detail-f3")).to_be_visible()
    expect(page.locator("#detail-f3 .saved li.freed")).to_have_count(2)
    expect(page.locator("#detail-t4")).to_be_hidden()
    shot(page, "details-function")
    page.click("#source")  # the caret's line → the nodes made on that line
    expect(page.locator("#graph g.node.line-hit").first).to_be_visible()
    assert page.locator("#graph g.node.line-hit").count() >= 3


def test_step_slider_and_play_backward(open_page: OpenPage, server_url: str) -> None:
    page, _ = open_page("/?lang=en")
    type_seed(page)
    full = len(node_labels(page))
    slider = page.locator("#step-slider")
    assert slider.get_attribute("max") == "5"
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(3):  # after the three statements that make x and y: only leaves
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('result-meta').dataset.stepValue === '3'")
    wait_for_run(page)
    early = node_labels(page)
    assert 0 < len(early) < full and {node_id for node_id, _ in early} == {"t0", "t1"}
    expect(page.locator("#step-caption")).to_contain_text("Step 3 of 5")
    shot(page, "step-3")
    page.keyboard.press("End")
    page.wait_for_function("() => document.getElementById('result-meta').dataset.stepValue === '5'")
    wait_for_run(page)
    assert len(node_labels(page)) == full

    body = {"source": SEED, "mode": "math", "inputs": {"x": 3, "y": 6}, "formats": ["graph"]}
    order = httpx.post(f"{server_url}/api/v1/run", json=body).json()["graph"]["backward_order"]
    flat = [fn for call in order for fn in call]
    for fn in flat:  # step by step: the op PyTorch ran next is the one lit now
        page.click("[data-backward=next]")
        assert page.eval_on_selector_all("#graph g.node.current", "gs => gs.map(g => g.id)") == [fn]
        assert page.locator("#graph g.edge.flow").count() >= 1
        assert page.locator("#graph .flow-label").count() >= 1
    page.click("[data-backward=prev]")
    page.click("[data-backward=play]")  # replay from the start to the end
    page.wait_for_function(
        "n => document.querySelectorAll('#graph g.node.lit').length === n", arg=len(flat)
    )
    lit = page.eval_on_selector_all("#graph g.node.lit", "gs => gs.map(g => g.id)")
    assert sorted(lit) == sorted(flat)
    expect(page.locator("#graph .flow-label").first).to_contain_text("∂")
    shot(page, "backward-playing")


def test_language_switch_and_back(open_page: OpenPage) -> None:
    page, _ = open_page("/?lang=en")
    type_seed(page)
    before = node_labels(page)
    page.click(".languages a[data-lang=zh]")
    page.wait_for_url(re.compile(r"lang=zh"))
    wait_for_run(page)
    expect(page.locator("#graph-title")).to_have_text("自动求导计算图")
    expect(page.locator("#run-button")).to_contain_text("运行")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    after = node_labels(page)
    names = [(node, label.split(" | ")[0]) for node, label in before]
    assert [(node, label.split(" | ")[0]) for node, label in after] == names  # the same program
    assert any(" | 值 " in label for _, label in after)  # whose picture now speaks 中文
    shot(page, "chinese")
    page.reload()  # remembered
    expect(page.locator("#graph-title")).to_have_text("自动求导计算图")
    page.click(".languages a[data-lang=en]")
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.locator("#graph-title")).to_have_text("Autograd graph")


def test_step_error_and_refusal_are_shown_where_they_happened(open_page: OpenPage) -> None:
    page, _ = open_page("/?lesson=backward-twice&lang=en")
    problem = page.locator("#problems .problem")
    expect(problem).to_contain_text("RuntimeError")
    expect(problem).to_contain_text("Trying to backward through the graph a second time")
    expect(problem).to_contain_text("retain_graph=True")
    line = int(problem.get_attribute("data-line") or 0)
    expect(page.locator(f"#gutter span[data-line='{line}']")).to_have_class(re.compile("error"))
    assert len(node_labels(page)) > 2  # the graph up to the error stays
    page.locator("#source").press("Control+End")
    page.locator("#source").press_sequentially("\ny = x +* 2", delay=10)
    page.wait_for_selector("#problems .problem-refusal")
    last = page.input_value("#source").count("\n") + 1
    expect(page.locator("#problems")).to_contain_text(f"line {last}, column")
    expect(page.locator(".backdrop-line.error mark.error-mark")).to_have_count(1)
    expect(page.locator("#result")).to_have_class(re.compile("stale"))
    shot(page, "refusal")


def test_share_link_reopens_the_same_graph(open_page: OpenPage, server_url: str) -> None:
    page, _ = open_page("/?lang=en")
    type_seed(page)
    page.wait_for_function("() => document.getElementById('share-url').value.includes('s=')")
    page.wait_for_url(re.compile(r"[?&]s="))
    link = page.input_value("#share-url")
    embed = page.input_value("#embed-code")
    assert link.startswith(server_url + "/?s=") and f'src="{server_url}/embed?s=' in embed
    other, _ = open_page(link[len(server_url) :])
    assert node_labels(other) == node_labels(page)
    assert other.input_value("#source") == SEED
    with other.expect_download() as download:
        other.click("[data-export=svg]")
    assert download.value.suggested_filename == "autograd-graph.svg"


def test_embed_in_an_iframe(open_page: OpenPage, server_url: str, slides: Slides) -> None:
    page, _ = open_page("/?lang=en")
    type_seed(page)
    page.wait_for_url(re.compile(r"[?&]s="))
    token = re.search(r"[?&]s=([^&]+)", page.url)
    assert token
    src = f"{server_url}/embed?s={token.group(1)}&big=1&hide=console,lessons"
    html = f'<!doctype html><title>slides</title><iframe src="{src}" width="1000" height="700">'
    slides.html = html.encode()
    deck, _ = open_page(slides.url + "/")
    frame = deck.frame_locator("iframe")
    expect(frame.locator("#graph g#t4")).to_contain_text("value 24")
    expect(frame.locator("body")).to_have_class(re.compile("big"))
    expect(frame.locator(".console")).to_have_count(0)
    expect(frame.locator("#lesson-select")).to_have_count(0)
    expect(frame.locator("#source")).to_have_attribute("readonly", "")
    expect(frame.locator("#open-in-playground")).to_have_attribute("href", re.compile(r"^/\?s="))
    frame.locator("#graph g#t0").click()
    expect(frame.locator("#detail-t0")).to_be_visible()
    shot(deck, "embed-iframe")


def test_keyboard_reaches_the_controls(open_page: OpenPage) -> None:
    page, _ = open_page("/?lang=en")
    seen: set[str] = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert {"lesson-select", "source", "run-button", "step-slider"} <= seen, seen
    page.focus("#graph g#t0")
    expect(page.locator("#tip-t0")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-t0")).to_be_visible()
    page.focus("#run-button")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


# --- the graph tells the whole truth (issue #13) ----------------------------------------------

TRAINING_LOOP = """\
import torch
w = torch.tensor(1.0, requires_grad=True)
for i in range(3):
    loss = (2*w - 5)**2
    loss.backward()
    with torch.no_grad():
        w -= 0.1*w.grad
    w.grad.zero_()
"""
DETACH_INLINE = """\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
z = x.detach()*2 + x*y
z.backward()
"""


def _program_path(source: str, step: int | None = None) -> str:
    from app.web.state import PlayState, encode

    return f"/?lang=en&s={encode(PlayState(source, step=step))}"


def _api_answer(server_url: str, source: str, step: int | None = None) -> dict:
    body = {"source": source, "formats": ["graph"], "step": step}
    return httpx.post(f"{server_url}/api/v1/run", json=body).json()


def _api_graph(server_url: str, source: str, step: int | None = None) -> dict:
    return _api_answer(server_url, source, step)["graph"]


def test_truth_constant_inputs_are_drawn_dashed(open_page: OpenPage, server_url: str) -> None:
    page, _ = open_page(_program_path(DETACH_INLINE))
    wait_for_run(page)
    graph = _api_graph(server_url, DETACH_INLINE)
    constant = [e["id"] for e in graph["edges"] if e["kind"] == "constant"]
    assert constant
    for edge_id in constant:
        expect(page.locator(f"#graph g#{edge_id}")).to_have_class(re.compile(r"\bconstant\b"))
    (doubled,) = [n for n in graph["nodes"] if n.get("label") == "x.detach()*2"]
    page.hover(f"#graph g#{doubled['id']}")
    expect(page.locator(f"#tip-{doubled['id']}")).to_contain_text("6.0")
    expect(page.locator(".legend .swatch.constant-edge")).to_be_visible()
    shot(page, "truth-detach-inline")


def test_truth_error_sits_on_its_node(open_page: OpenPage) -> None:
    page, _ = open_page("/?lesson=backward-twice&lang=en")
    wait_for_run(page, "error")
    marked = page.locator("#graph g.node.error")
    expect(marked).to_have_count(1)
    node_id = marked.get_attribute("id")
    page.hover(f"#graph g#{node_id}")
    tip = page.locator(f"#tip-{node_id} .tip-error")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("freed by backward call 1")
    expect(tip).to_contain_text("Trying to backward through the graph a second time")
    page.click(f"#graph g#{node_id}")
    detail = page.locator(f"#detail-{node_id}")
    expect(detail.locator(".node-error")).to_be_visible()
    # the details sit beside the graph, on screen, not below the fold
    graph_box = page.locator("#graph-panel").bounding_box()
    detail_box = detail.bounding_box()
    assert graph_box and detail_box
    assert detail_box["x"] >= graph_box["x"] + graph_box["width"] - 1
    assert detail_box["y"] < DESKTOP["height"] and detail_box["y"] + 40 < DESKTOP["height"]
    # two backward calls over fixed leaves: no training, no Training panel
    expect(page.locator("#training")).to_have_count(0)
    shot(page, "truth-error-node")


def test_truth_backward_list_follows_the_step_slider(open_page: OpenPage, server_url: str) -> None:
    from app.web.formatting import preview

    page, _ = open_page(_program_path(TRAINING_LOOP))
    wait_for_run(page)
    calls = _api_graph(server_url, TRAINING_LOOP)["backward_calls"]
    w_edge = next(e for e in _api_graph(server_url, TRAINING_LOOP)["edges"] if e["source"] == "t0")
    received = [preview(call["grads"][w_edge["id"]]) for call in calls]
    assert len(set(received)) == 3
    steps = page.locator("#backward-steps")
    expect(steps.locator(".call")).to_have_text("backward call 3")
    expect(steps.locator(f".flow[data-edge={w_edge['id']}] .grad")).to_have_text(received[2])
    expect(page.locator("#training")).to_have_count(1)  # w changes between calls: it trains
    for number, call in enumerate(calls[:2], start=1):
        page.goto(server_url + _program_path(TRAINING_LOOP, step=call["step"]))
        wait_for_run(page)
        expect(steps.locator(".call")).to_have_text(f"backward call {number}")
        flow = steps.locator(f".flow[data-edge={w_edge['id']}] .grad")
        expect(flow).to_have_text(received[number - 1])
        # the editor marks the line of the statement the step stopped after
        expect(page.locator("#gutter span.step")).to_have_attribute("data-line", str(call["line"]))
        expect(page.locator(".backdrop-line.step")).to_have_count(1)
    shot(page, "truth-backward-call-2")


def test_truth_editor_grows_and_lesson_banner_follows_edits(open_page: OpenPage) -> None:
    page, _ = open_page("/?lesson=linear-regression-scratch&lang=en")
    wait_for_run(page)
    textarea = page.locator("#source")
    lines = page.input_value("#source").count("\n") + 1
    assert lines > 40
    sizes = textarea.evaluate("t => [t.scrollHeight, t.clientHeight]")
    assert sizes[0] <= sizes[1] + 1, sizes  # every line shows: nothing scrolls inside
    gutter = page.locator("#gutter").bounding_box()
    box = textarea.bounding_box()
    assert gutter and box and abs(gutter["height"] - box["height"]) < 2
    last = page.locator(f"#gutter span[data-line='{lines}']").bounding_box()
    assert last and last["y"] + last["height"] <= box["y"] + box["height"] + 1
    banner = page.locator("#lesson-banner .lesson-edited")
    expect(banner).to_be_hidden()
    textarea.press("Control+End")
    textarea.press_sequentially("\nprint(1)", delay=10)
    expect(banner).to_be_visible()
    # its links no longer name the lesson: reopened, the edited program has no lesson banner
    wait_for_run(page)
    page.wait_for_function("() => !location.search.includes('lesson=')")
    page.wait_for_function("() => !document.getElementById('share-url').value.includes('lesson=')")
    page.reload()
    wait_for_run(page)
    expect(page.locator("#lesson-banner")).to_have_count(0)
    assert page.input_value("#source").endswith("print(1)")


def _truth_programs() -> dict[str, str]:
    from tests.test_graph_truth import PROGRAMS

    return PROGRAMS


@pytest.mark.parametrize("name", list(_truth_programs()))
def test_truth_page_shows_each_effect(open_page: OpenPage, server_url: str, name: str) -> None:
    """Each effect of the notes (tests/test_graph_truth.py checks the JSON against real torch):
    the page draws its constant inputs, marks its error nodes with their message, and lists the
    last backward call that ran with that call's own gradients."""
    from app.web.formatting import preview

    source = _truth_programs()[name]
    answer = _api_answer(server_url, source)
    graph = answer["graph"]
    page, _ = open_page(_program_path(source))
    wait_for_run(page, "ok" if answer["ok"] else "error")
    for edge in graph["edges"]:
        expect(page.locator(f"#graph g#{edge['id']}")).to_have_class(
            re.compile(rf"\b{edge['kind']}\b")
        )
    for node_id in graph["error_nodes"]:
        expect(page.locator(f"#graph g#{node_id}")).to_have_class(re.compile(r"\berror\b"))
        message = next(m["message"] for m in graph["errors"] if m["node"] == node_id)
        tip = page.locator(f"#tip-{node_id} .tip-error")
        expect(tip).to_contain_text(message[:40])
    assert page.locator("#graph g.node.error").count() == len(graph["error_nodes"])
    ran = [call for call in graph["backward_calls"] if call["order"]]
    steps = page.locator("#backward-steps li")
    if not ran:
        expect(steps).to_have_count(0)
        return
    call = ran[-1]
    expect(steps).to_have_count(len(call["order"]))
    expect(steps.first.locator(".call")).to_have_text(f"backward call {call['number']}")
    for flow in page.locator("#backward-steps .flow").all():
        edge_id = flow.get_attribute("data-edge")
        expect(flow.locator(".grad")).to_have_text(preview(call["grads"][edge_id]))
