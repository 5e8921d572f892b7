"""The classroom in a real Chromium (Playwright): axe-core on the page, the embed and presenter
mode; presenter mode's text sizes measured from the DOM; the embed without inner scrolling;
a reveal.js slide on another origin embedding it. Screenshots to test-artifacts/screenshots/.

axe-core and reveal.js come from npm (package.json, installed by `make install` into
node_modules/), never a CDN; axe is injected into a context that bypasses the page's CSP (the
page itself forbids inline scripts, which is what an injected script is).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.web.state import PlayState, encode
from tests.test_page_browser import ARGS, CHROMIUM, SHOTS, Slides, wait_for_run

playwright_api = pytest.importorskip("playwright.sync_api")
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REVEAL = ROOT / "node_modules" / "reveal.js" / "dist"
LESSON = "lesson=z-2x-plus-xy"
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="needs npm's axe-core: run `make install`"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _open(browser: object, url: str, width: int, height: int) -> object:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.goto(url)
    wait_for_run(page)
    return page


# a module called in a loop: a fold and a call drawn open, the legend's entries for them on the
# page (a short backward, whose steps list does not scroll; the training lesson's does)
GROUPED = encode(
    PlayState(
        "import torch\nfrom torch import nn\nact = nn.Tanh()\n"
        "x = torch.ones(2, requires_grad=True)\nh = x\n"
        "for i in range(3):\n    h = act(h)\nh.sum().backward()\n"
    )
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/embed?{LESSON}",
        f"/embed?{LESSON}&present=1",
        f"/?s={GROUPED}",
        "/?lesson=linear-regression-concise",
    ],
)
def test_axe_finds_no_violations(browser: object, server_url: str, path: str) -> None:
    page = _open(browser, server_url + path, 1280, 800)
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    violations = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document)).violations"
        ".map(v => [v.id, v.nodes.length, v.nodes[0].target.join(' ')])"
    )
    assert violations == [], violations
    if path.endswith(GROUPED):  # the checked page had the groupings' legend entries
        swatches = page.eval_on_selector_all(  # type: ignore[attr-defined]
            ".legend .swatch", "spans => spans.map(s => s.className)"
        )
        assert swatches[-2:] == ["swatch module", "swatch fold"], swatches


@pytest.mark.parametrize(("width", "height", "least"), [(1920, 1080, 24), (1280, 720, 18)])
def test_presenter_mode_text_is_readable_and_fits(
    browser: object, server_url: str, width: int, height: int, least: int
) -> None:
    page = _open(browser, f"{server_url}/embed?{LESSON}&present=1", width, height)
    page.screenshot(path=str(SHOTS / f"presenter-{width}x{height}.png"))  # type: ignore[attr-defined]
    sizes = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#graph svg g.node:not(#legend) text", "ts => ts.map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= least, (width, height, sorted(sizes)[:3])
    scrolls = page.evaluate(  # type: ignore[attr-defined]
        "() => document.documentElement.scrollHeight - innerHeight"
    )
    assert scrolls <= 0, scrolls


@pytest.mark.parametrize(("width", "height"), [(960, 600), (1280, 720)])
def test_embed_fits_its_frame(browser: object, server_url: str, width: int, height: int) -> None:
    page = _open(browser, f"{server_url}/embed?{LESSON}", width, height)
    page.screenshot(path=str(SHOTS / f"embed-{width}x{height}.png"))  # type: ignore[attr-defined]
    overflow = page.evaluate(  # type: ignore[attr-defined]
        "() => document.documentElement.scrollHeight - innerHeight"
    )
    assert overflow <= 0, overflow


def test_reveal_slide_on_another_origin_embeds_presenter_mode(
    browser: object, server_url: str, tmp_path: Path
) -> None:
    import threading

    from tests.test_page_browser import _SlideHandler

    reveal_js = (REVEAL / "reveal.js").read_text("utf-8")
    reveal_css = (REVEAL / "reveal.css").read_text("utf-8")
    src = f"{server_url}/embed?{LESSON}&present=1"
    slides = Slides(("127.0.0.1", 0), _SlideHandler)
    slides.html = (
        f"<!doctype html><title>lecture</title><style>{reveal_css}</style>"
        '<div class="reveal"><div class="slides"><section><h2>Backward</h2>'
        f'<iframe src="{src}" title="playground" width="1280" height="720"></iframe>'
        f"</section></div></div><script>{reveal_js}</script>"
        "<script>Reveal.initialize({width: 1400, height: 900})</script>"
    ).encode()
    threading.Thread(target=slides.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(slides.url)
        frame = page.frame_locator("iframe")
        frame.locator("#graph svg g.node").first.wait_for()
        assert frame.locator("body.present").count() == 1
        page.screenshot(path=str(SHOTS / "reveal-slide.png"))
    finally:
        slides.shutdown()
        slides.server_close()


_FOCUS = "() => [document.activeElement.id, document.activeElement.getAttribute('aria-label')]"


def _tab_through(page: object, count: int) -> list[list[str]]:
    """From the graph's Fit button, Tab `count` times: (id, accessible name) of each stop."""
    page.focus("[data-zoom=fit]")  # type: ignore[attr-defined]
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        stops.append(page.evaluate(_FOCUS))  # type: ignore[attr-defined]
    return stops


def test_tab_follows_the_data_flow_then_the_backward_replay(
    browser: object, server_url: str
) -> None:
    import httpx

    page = _open(browser, f"{server_url}/?lang=en&{LESSON}", 1280, 800)
    source = page.input_value("#source")  # type: ignore[attr-defined]
    body = {"source": source, "formats": ["graph"]}
    graph = httpx.post(f"{server_url}/api/v1/run", json=body).json()["graph"]
    drawn = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#graph svg g.node[tabindex='0']", "gs => gs.map(g => g.id)"
    )
    stops = _tab_through(page, len(drawn))
    ids = [node_id for node_id, _ in stops]
    assert sorted(ids) == sorted(drawn)  # every node once, nothing else between them
    at = {node_id: i for i, node_id in enumerate(ids)}
    for edge in graph["edges"]:  # inputs before what is made from them: a topological order
        if edge["source"] in at and edge["target"] in at:
            assert at[edge["source"]] < at[edge["target"]], (edge, stops)
    names = [name for _, name in stops]
    leaves = {n["label"] for n in graph["nodes"] if n["kind"] == "tensor" and n["role"] == "leaf"}
    assert names[0].split()[0] in leaves and names[-1].startswith("z "), names
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate(_FOCUS)[0] not in at  # type: ignore[attr-defined]

    # the backward replay: Tab reaches the op being stepped first, then the nodes its gradient
    # reaches; a node with the focus hands it to the op stepped next, and the live region says it
    order = [fn for call in graph["backward_order"] for fn in call]
    page.click("[data-backward=next]")  # type: ignore[attr-defined]
    page.click("[data-backward=next]")  # type: ignore[attr-defined]
    first = _tab_through(page, 2)
    assert first[0][0] == order[1], (first, order)
    flows = page.eval_on_selector_all(  # type: ignore[attr-defined]
        f"#backward-steps li[data-fn={order[1]}] [data-to]", "fs => fs.map(f => f.dataset.to)"
    )
    assert flows and first[1][0] == flows[0]
    page.focus(f"#graph g#{order[1]}")  # type: ignore[attr-defined]
    page.evaluate("document.querySelector('[data-backward=next]').click()")  # type: ignore[attr-defined]
    assert page.evaluate(_FOCUS)[0] == order[2]  # type: ignore[attr-defined]
    status = page.text_content("#backward-status")  # type: ignore[attr-defined]
    assert status.startswith(f"3 / {len(order)}")
    page.screenshot(path=str(SHOTS / "tab-backward-replay.png"))  # type: ignore[attr-defined]
