"""A reused picture (app/render/reuse.py) is byte for byte the picture Graphviz draws for the new
labels: checked over the whole graph corpus with the labels' digits changed at random."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from app.pipeline import RunRequest, execute
from app.render import reuse
from app.render.layout import layout, prefer_in_process
from app.render.svg import clean_svg
from app.settings import Settings

CORPUS = sorted((Path(__file__).resolve().parent / "corpus" / "graph").glob("*.py"))
LABEL = re.compile(r'label=("(?:[^"\\]|\\.)*"|[^ \]]+)')


@pytest.fixture(scope="module", autouse=True)
def in_process_layout() -> None:
    prefer_in_process()  # as in the workers


def _dot(source: str) -> str:
    outcome = execute(RunRequest(source=source, formats=("dot",)), Settings())
    return outcome.renderings["dot"] or ""


def _new_digits(dot: str, rng: random.Random) -> str:
    """The same DOT with every digit inside a plain (not HTML-like) label drawn at random."""

    def change(label: re.Match[str]) -> str:
        text = label.group(1)
        if text.startswith("<"):
            return label.group(0)
        return "label=" + re.sub(r"[0-9]", lambda _: str(rng.randrange(10)), text)

    return LABEL.sub(change, dot)


def _drawn(dot: str) -> str:
    return clean_svg(layout(dot, "svg", 10.0))


def test_reused_pictures_are_graphviz_pictures_across_the_corpus() -> None:
    rng = random.Random(7)
    pictures = reuse.PictureReuse()
    with_digits = 0
    for path in CORPUS:
        dot = _dot(path.read_text())
        if not dot:
            continue
        variants = [dot, *(_new_digits(dot, rng) for _ in range(3))]
        with_digits += any(variant != dot for variant in variants)
        for variant in variants:
            assert pictures.svg(variant, 10.0) == _drawn(variant), path.name
    # the first variant is laid out, the second checks the saved picture, the rest reuse it
    assert with_digits > 60
    assert pictures.reused >= 2 * with_digits * 0.9, (pictures.reused, with_digits)


def test_labels_with_entities_quotes_and_other_scripts() -> None:
    dot = (
        "digraph autograd {\n\tgraph [rankdir=LR]\n"
        '\tt0 [label="a &amp;#49; \\"2\\" \\\\3 中文 ∂ 4.5e-06\\nvalue 17" id=t0 shape=box]\n'
        '\tt1 [label="<b>9</b> &lt;8&gt;" id=t1 shape=box]\n'
        '\tt0 -> t1 [label="0.25" id=e0]\n'
        '\tlegend [label=<<TABLE><TR><TD BGCOLOR="#123456">1 op</TD></TR></TABLE>> id=legend]\n'
        "}\n"
    )
    pictures = reuse.PictureReuse()
    rng = random.Random(3)
    for variant in [dot, *(_new_digits(dot, rng) for _ in range(4))]:
        assert pictures.svg(variant, 10.0) == _drawn(variant)
    assert pictures.reused == 3


def test_a_picture_that_fails_its_check_is_never_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "_write_digits", lambda picture, digits: picture.svg + " ")
    pictures = reuse.PictureReuse()
    dot = _dot(CORPUS[0].read_text())
    rng = random.Random(1)
    for variant in [dot, *(_new_digits(dot, rng) for _ in range(4))]:
        assert pictures.svg(variant, 10.0) == _drawn(variant)
    assert pictures.reused == 0


def test_no_reuse_where_digits_differ_in_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "_digits_are_uniform", lambda: False)
    pictures = reuse.PictureReuse()
    dot = _dot(CORPUS[0].read_text())
    rng = random.Random(2)
    for variant in [dot, *(_new_digits(dot, rng) for _ in range(4))]:
        assert pictures.svg(variant, 10.0) == _drawn(variant)
    assert pictures.reused == 0


def test_the_check_finds_this_machines_label_font_uniform() -> None:
    # Liberation Sans / DejaVu (what fontconfig gives for Helvetica on Debian) have tabular,
    # unkerned digits; if a machine's font had not, reuse would switch itself off (test above)
    assert reuse._digits_are_uniform()


def test_a_reused_picture_lays_nothing_out_whatever_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each request gives the picture the time its run left: a different number every time.
    Once a picture is saved and checked, reusing it lays out nothing (the font check included)."""
    pictures = reuse.PictureReuse()
    dot = _dot(CORPUS[0].read_text())
    rng = random.Random(5)
    variants = [dot, *(_new_digits(dot, rng) for _ in range(6))]
    for variant in variants[:2]:  # laid out, then checked
        pictures.svg(variant, 10.0)
    laid_out: list[str] = []
    real = reuse.drawn_svg
    monkeypatch.setattr(reuse, "drawn_svg", lambda d, t: laid_out.append(d) or real(d, t))
    for left, variant in zip((4.99, 4.7, 3.21, 2.0, 1.5), variants[2:], strict=True):
        pictures.svg(variant, left)
    assert laid_out == [] and pictures.reused == 5
