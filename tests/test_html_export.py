"""The exported HTML file (autograd_playground.to_html) opened in Chromium with the network
blocked: the same nodes and values as the graph torch built, the graph view working (details on
click, backward replay), no request leaving the file and no console error."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

import autograd_playground as ag

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright_api.Browser]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _seed() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    x = torch.tensor(3.0, requires_grad=True)
    y = torch.tensor(6.0, requires_grad=True)
    out = 2 * x + x * y
    out.backward()
    return x, y, out


READY = "document.querySelector('#graph svg')?.getAttribute('viewBox')"


def _open(
    browser: playwright_api.Browser, path: Path, ready: str = READY
) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    def route(r: playwright_api.Route) -> None:
        requests.append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function(ready)
    return page, problems, requests


def _node_id(graph: dict, name: str) -> str:
    return next(n["id"] for n in graph["nodes"] if name in n.get("names", ()))


def test_exported_live_tensor_replays_offline(browser, tmp_path: Path) -> None:
    x, y, out = _seed()
    path = ag.to_html(out, tmp_path / "seed.html")
    graph = ag._composed(out, {"x": x, "y": y, "out": out}, "en").graph
    page, problems, requests = _open(browser, path)
    drawn = page.eval_on_selector_all("#graph svg g.node", "gs => gs.map(g => g.id)")
    assert sorted(i for i in drawn if i[0] in "tf") == sorted(n["id"] for n in graph["nodes"])
    x_id = _node_id(graph, "x")
    page.click(f"#graph svg g#{x_id}")
    detail = page.locator(f"#detail-{x_id}")
    assert detail.is_visible()
    text = detail.inner_text()
    assert str(x.grad.item()).rstrip("0").rstrip(".") in text  # 8, read from torch
    y_text = page.locator(f"#detail-{_node_id(graph, 'y')}").text_content()
    assert str(y.grad.item()).rstrip("0").rstrip(".") in y_text
    assert requests == [path.as_uri()]
    assert problems == []
    page.close()


def test_exported_recording_replays_backward(browser, tmp_path: Path) -> None:
    with ag.record() as r:
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = (a * a).detach()
        loss = (a * b + 2).sum()
        loss.backward()
    path = r.to_html(tmp_path / "rec.html")
    graph = r.composed().graph
    page, problems, requests = _open(browser, path)
    roles = {n["role"] for n in graph["nodes"] if n["kind"] == "tensor"}
    assert {"leaf", "detached", "output", "constant"} <= roles
    steps = page.locator("#backward-steps li")
    assert steps.count() == len(graph["backward_order"][0])
    page.click('[data-backward="next"]')
    current = page.locator("#graph svg g.current")
    assert current.count() == 1
    assert current.first.get_attribute("id") == graph["backward_order"][0][0]
    assert page.locator("#backward-status").inner_text().startswith("1 / ")
    grad = page.locator(f"#detail-{_node_id(graph, 'a')}").text_content()
    for value in a.grad.tolist():  # b (detached): a·a
        assert f"{value:g}" in grad
    assert requests == [path.as_uri()]
    assert problems == []
    page.close()


def test_download_html_from_the_page(browser, http, tmp_path: Path) -> None:
    """The page's "HTML" link downloads the same kind of file for the program it shows."""
    page_html = http.get("/").text
    href = re.search(r'id="download-html" href="([^"]+)"', page_html).group(1)
    assert href.startswith("/export.html?s=")
    response = http.get(href.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    path = tmp_path / "download.html"
    path.write_bytes(response.content)
    graph = json.loads(re.search(r'id="graph-data">(.*?)</script>', response.text, re.S).group(1))
    page, problems, requests = _open(browser, path)
    drawn = page.eval_on_selector_all("#graph svg g.node", "gs => gs.map(g => g.id)")
    assert sorted(i for i in drawn if i[0] in "tf") == sorted(n["id"] for n in graph["nodes"])
    for node in graph["nodes"]:
        if node["kind"] == "tensor" and node["grad"] is not None:
            assert f"{node['grad']:g}" in page.locator(f"#detail-{node['id']}").text_content()
    assert requests == [path.as_uri()]
    assert problems == []
    page.close()


def test_download_html_refuses_a_bad_link(http) -> None:
    assert http.get("/export.html?s=not-a-state").status_code == 400
    assert http.get("/export.html").status_code == 400


def test_widget_front_end_draws_the_model(browser, tmp_path: Path) -> None:
    """The widget's `_esm` run as anywidget runs it (`render({model, el})`), on its own state."""
    pytest.importorskip("anywidget")
    from autograd_playground.widget import GraphWidget

    x, y, out = _seed()
    widget = GraphWidget(ag._composed(out, {"x": x, "y": y, "out": out}, "en"))
    state = {"view_html": widget.view_html, "css": widget.css}
    host = tmp_path / "host.html"
    host.write_text(
        "<!doctype html><meta charset='utf-8'><div id='el'></div>"
        "<script type='application/json' id='esm'>" + json.dumps(widget._esm).replace("</", "<\\/")
        + "</script><script type='application/json' id='state'>"
        + json.dumps(state).replace("</", "<\\/") + "</script><script type='module'>"
        "const esm = JSON.parse(document.getElementById('esm').textContent);"
        "const state = JSON.parse(document.getElementById('state').textContent);"
        "const url = URL.createObjectURL(new Blob([esm], {type: 'text/javascript'}));"
        "const widget = (await import(url)).default;"
        "const el = document.getElementById('el');"
        "widget.render({model: {get: (k) => state[k], on() {}}, el});"
        "</script>",
        encoding="utf-8",
    )  # fmt: skip
    shadow = "document.getElementById('el').shadowRoot"
    page, problems, _ = _open(browser, host, f"{shadow}?.querySelector('#graph svg[viewBox]')")
    x_id = _node_id(widget.graph, "x")
    page.click(f"#graph svg g#{x_id}")  # Playwright's CSS selectors pierce the shadow root
    assert page.locator(f"#detail-{x_id}").is_visible()
    assert f"{x.grad.item():g}" in page.locator(f"#detail-{x_id}").inner_text()
    # the view's stylesheet stays in its shadow root: the notebook's document gets none
    assert page.evaluate("document.styleSheets.length") == 0
    assert page.evaluate(f"{shadow}.styleSheets.length") == 1
    assert page.evaluate(f"{shadow}.querySelector('.result').getBoundingClientRect().height") > 200
    assert problems == []
    page.close()
