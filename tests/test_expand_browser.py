"""Opening and shutting the picture on the page (issue 16), in a real Chromium: a click on a
fold's `×N` box draws the loop in full, a click on a module's cluster label draws it as one box,
Enter on that box opens it again, and the share link carries what is open and shut.

Uses test_page_browser's browser setup (Debian's chromium, fails on console errors and 4xx).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app.web.state import PlayState, decode, encode
from tests.test_page_browser import (  # noqa: F401 (the fixtures, by name)
    CHROMIUM,
    OpenPage,
    browser,
    shot,
    slides,
    wait_for_run,
)
from tests.test_page_browser import open_page as open_page  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium")
CALLS = 5
LOOP = f"""\
import torch
lin = torch.nn.Linear(2, 2)
h = torch.ones(1, 2)
for i in range({CALLS}):
    h = torch.tanh(lin(h))
h.sum().backward()
"""


def _ids(page: object, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "gs => gs.map(g => g.id)")  # type: ignore[attr-defined]


def _after(page: object, predicate: str) -> None:
    page.wait_for_function(predicate)  # type: ignore[attr-defined]
    wait_for_run(page)  # type: ignore[arg-type]
    _fit(page)


def _fit(page: object) -> None:
    """The whole picture in view (the first view may show part of it, readable)."""
    page.locator('[data-zoom="fit"]').click()  # type: ignore[attr-defined]


def test_clicking_a_fold_and_a_module_opens_and_shuts_them(open_page: OpenPage) -> None:  # noqa: F811
    page, _ = open_page("/?" + "s=" + encode(PlayState(LOOP)))
    wait_for_run(page)
    _fit(page)
    assert _ids(page, "#graph svg g.node.fold") == ["g0"]
    assert len(_ids(page, "#graph svg g.cluster.module")) == 1  # the last call; the fold has 4
    fold = page.locator("#graph svg g#g0")
    assert fold.get_attribute("role") == "button" and fold.get_attribute("tabindex") == "0"
    assert fold.get_attribute("aria-label").startswith("Expand: ×4 iterations")
    assert not page.locator("[data-refold]").is_visible()  # nothing to fold again yet

    fold.click()
    _after(page, "() => !document.querySelector('#graph svg g#g0')")
    assert page.input_value("#unfold-field") == "g0"
    clusters = _ids(page, "#graph svg g.cluster.module")
    assert len(clusters) == CALLS  # every call drawn, each in its own cluster
    shot(page, "expand-fold-opened")

    last = clusters[-1]
    # the click event itself: with every call open, the tall picture fitted to the panel may put
    # the last label outside the window, where a mouse cannot reach it (Enter is tested below)
    page.locator(f"#graph svg g#{last} text").dispatch_event("click")
    _after(page, f"() => document.querySelector('#graph svg g#{last}.node.module')")
    assert page.input_value("#fold-field") == last
    box = page.locator(f"#graph svg g#{last}")
    assert box.get_attribute("aria-expanded") == "false"
    assert "Linear lin" in (box.text_content() or "")

    # the share link opens the page as it is now
    query = parse_qs(urlsplit(page.input_value("#share-url")).query)
    state = decode(query["s"][0], 100_000)
    assert (state.unfold, state.fold) == (("g0",), (last,))

    box.focus()
    page.keyboard.press("Enter")
    _after(page, f"() => document.querySelector('#graph svg g#{last}.cluster')")
    assert page.input_value("#fold-field") == "" and page.input_value("#unfold-field") == (
        f"g0 {last}"
    )
    shot(page, "expand-module-reopened")

    # an opened fold has no box to click: the toolbar's button folds the loops again
    again = page.locator("[data-refold]")
    assert again.is_visible() and again.text_content() == "Fold the loops again"
    again.click()
    _after(page, "() => document.querySelector('#graph svg g#g0.node.fold')")
    assert page.input_value("#unfold-field") == last  # the module call stays open
    assert not page.locator("[data-refold]").is_visible()
