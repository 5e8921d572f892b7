"""The classroom pages without a browser: presenter mode's chrome, the embed landmarks, the
Share panel's embed options. (Sizes and axe-core need Chromium: tests/test_page_browser.py.)"""

from __future__ import annotations

import re

import httpx

PROGRAM = "import torch\nx = torch.tensor(2.0, requires_grad=True)\n(x * x).backward()\n"


def _embed(http: httpx.Client, **query: str) -> str:
    response = http.get("/embed", params=query)
    assert response.status_code == 200
    return response.text


def test_presenter_mode_keeps_only_the_graph_and_its_steps(http: httpx.Client) -> None:
    plain, present = _embed(http), _embed(http, present="1")
    assert 'class="top top-embed"' in plain and 'class="top top-embed"' not in present
    assert 'class="languages' in plain and 'class="languages' not in present
    body = re.search(r"<body class=\"([^\"]*)\"", present)
    assert body is not None and "present" in body[1].split()
    assert 'id="step-slider"' in present and 'data-backward="play"' in present
    program = re.search(r'<section class="panel program([^"]*)"', present)
    assert program is not None and "is-hidden" in program[1]
    assert 'name="present" value="1"' in present  # posted back with every run
    assert 'id="source"' in present and " readonly" in present  # read-only unless edit=1
    editable = _embed(http, present="1", edit="1")
    assert 'id="run-button"' in editable


def test_embed_has_a_main_landmark_and_a_heading(http: httpx.Client) -> None:
    for page in (_embed(http), _embed(http, present="1")):
        assert page.count("<main>") == 1 and re.search(r"<h1[^>]*>", page)


def test_a_run_posted_from_presenter_mode_stays_in_it(http: httpx.Client) -> None:
    form = {"source": PROGRAM, "mode": "python", "embed": "1", "present": "1", "lang": "en"}
    page = http.post("/run", data=form).text
    body = re.search(r"<body class=\"([^\"]*)\"", page)
    assert body is not None and "present" in body[1].split()


def test_share_panel_offers_every_embed_option(http: httpx.Client) -> None:
    page = http.get("/").text
    for option in ('id="embed-present"', 'id="embed-edit"', 'id="embed-big"'):
        assert option in page
    hidden = set(re.findall(r'data-embed-hide value="(\w+)"', page))
    assert hidden == {"editor", "console", "lessons"}


def _viewbox(html: str) -> tuple[float, float]:
    width, height = re.search(r'<svg[^>]*viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', html).groups()  # type: ignore[union-attr]
    return float(width), float(height)


def test_the_tall_layout_is_asked_for_by_form_and_cookie(http: httpx.Client) -> None:
    """A narrow page posts layout=tall (static/js/main.js) and keeps a cookie for its next load:
    the picture is laid out top to bottom (taller than wide here, where the wide one is wider)."""
    form = {"source": PROGRAM, "mode": "python", "device": "cpu", "lang": "en"}
    hx = {"HX-Request": "true"}
    wide = http.post("/run", data={**form, "layout": "wide"}, headers=hx).text
    tall = http.post("/run", data={**form, "layout": "tall"}, headers=hx).text
    assert 'data-layout="wide"' in wide and 'data-layout="tall"' in tall
    (wide_w, wide_h), (tall_w, tall_h) = _viewbox(wide), _viewbox(tall)
    assert wide_w > wide_h and tall_h > tall_w
    loaded = httpx.get(str(http.base_url) + "/", cookies={"pg_layout": "tall"}).text
    assert (
        'data-layout="tall"' in loaded and 'name="layout" id="layout-field" value="tall"' in loaded
    )
    for hostile in ("TB", "<script>", "tall\x00", "x" * 5000):
        odd = http.post("/run", data={**form, "layout": hostile}, headers=hx)
        assert odd.status_code == 200 and 'data-layout="wide"' in odd.text, hostile
