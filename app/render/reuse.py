"""Drawing a graph whose labels differ from an earlier one's only in their digits, without
laying it out again.

A class tweaks the numbers of the same lesson: `x = 3` becomes `x = 4`, and the graph, its
labels' lengths and so Graphviz's layout stay the same; only digits inside `<text>` elements of
the SVG change. Laying out is most of a small picture's cost (~1.5 ms of ~3.5 ms a run), so a
worker keeps the clean SVG of recent graphs, keyed by their DOT with every label digit written
as 0, and writes the new digits into the saved picture's text.

It is exact only if every digit has the same width in the label font and no pair of digits is
kerned; `_digits_are_uniform` checks that with Graphviz itself before any reuse. And every saved
picture is checked once more: the first time it is reused, the new picture is also laid out in
full and compared byte for byte; on any difference that graph is never reused. So a reused
picture is always the picture Graphviz draws for the new labels.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache

from app.render.layout import LayoutError, layout
from app.render.svg import clean_svg

MAX_PICTURES = 128
MAX_PICTURE_CHARS = 100_000  # ~100 nodes; at most ~13 MB of saved pictures a worker

_PROBE_SECONDS = 10.0  # five small pictures, laid out once a process

# One statement of our DOT (app/render/dot_text.py): its label first, then its id attribute.
_STATEMENT = re.compile(r'^\t[^\n]*?\[label=("(?:[^"\\\n]|\\.)*"|[^ \]\n]+)([^\n]*)\]$', re.M)
_ID = re.compile(r'(?:^| )id=("(?:[^"\\\n]|\\.)*"|[^ \]\n]+)')
_DIGIT = re.compile(r"[0-9]")
# In the SVG: a group's start (its id), or a text element's content.
_SVG_PARTS = re.compile(r'<g id="([^"]*)"|<text[^>]*>([^<]*)</text>')
_ENTITY_OR_DIGIT = re.compile(r"&[^;]*;|[0-9]")
_TEXT = re.compile(r">[^<]*</text>")


@dataclass(slots=True)
class _Picture:
    svg: str
    slots: list[tuple[int, str, int]]  # (position in svg, group id, digit index in that group)
    verified: bool = False


class PictureReuse:
    def __init__(self) -> None:
        self._pictures: OrderedDict[str, _Picture | None] = OrderedDict()  # None: never reuse
        self._lock = threading.Lock()  # workers=0 renders in several threads
        self.reused = 0  # pictures answered without a layout (for tests and benches)

    def svg(self, dot: str, timeout: float, reuse: bool = True) -> str:
        """The clean SVG for `dot`: reused when only label digits changed, else laid out
        (always laid out with `reuse` off: the PLAYGROUND_PICTURE_REUSE setting)."""
        if not reuse:
            return drawn_svg(dot, timeout)
        key, digits = _key_and_digits(dot)
        with self._lock:
            picture = self._pictures.get(key) if key is not None else None
            if picture is not None:
                self._pictures.move_to_end(key)  # type: ignore[arg-type]
        if picture is None or not _digits_are_uniform():
            svg = drawn_svg(dot, timeout)
            if key is not None:
                self._remember(key, svg, digits)
            return svg
        reused = _write_digits(picture, digits)
        if not picture.verified:
            drawn = drawn_svg(dot, timeout)
            picture.verified = reused == drawn
            if not picture.verified:
                with self._lock:
                    self._pictures[key] = None  # type: ignore[index]
            return drawn
        if reused is None:  # this graph's digits do not fit the saved picture's slots
            return drawn_svg(dot, timeout)
        self.reused += 1
        return reused

    def _remember(self, key: str, svg: str, digits: dict[str, str]) -> None:
        with self._lock:
            if key in self._pictures:  # saved already, or marked never to reuse
                return
        slots = _slots(svg, digits) if len(svg) <= MAX_PICTURE_CHARS else None
        with self._lock:
            self._pictures[key] = None if slots is None else _Picture(svg, slots)
            if len(self._pictures) > MAX_PICTURES:
                self._pictures.popitem(last=False)


def drawn_svg(dot: str, timeout: float) -> str:
    """Laid out by Graphviz and cleaned: the picture every reuse must equal."""
    return clean_svg(layout(dot, "svg", timeout))


PICTURE_REUSE = PictureReuse()  # one per process: each worker keeps its own


def _key_and_digits(dot: str) -> tuple[str | None, dict[str, str]]:
    """The DOT with label digits as 0, and each statement's label digits by its id (None when a
    labelled statement has no id: nothing to find it by in the SVG)."""
    digits: dict[str, str] = {}
    parts: list[str] = []
    last = 0
    for statement in _STATEMENT.finditer(dot):
        label, rest = statement.group(1), statement.group(2)
        found = _ID.search(rest)
        if found is None:
            return None, {}
        if label.startswith("<"):  # an HTML-like label (the legend): our own fixed text
            continue
        digits[found.group(1).strip('"')] = "".join(_DIGIT.findall(label))
        parts += [dot[last : statement.start(1)], _DIGIT.sub("0", label)]
        last = statement.end(1)
    return "".join(parts) + dot[last:], digits


def _slots(svg: str, digits: dict[str, str]) -> list[tuple[int, str, int]] | None:
    """Where each label digit stands in the SVG's text, or None when the SVG's text does not
    hold exactly the labels' digits (then this graph is not reused)."""
    slots: list[tuple[int, str, int]] = []
    group = ""
    counts: dict[str, int] = {}
    for part in _SVG_PARTS.finditer(svg):
        if part.group(1) is not None:
            group = part.group(1)
            continue
        if group not in digits:
            continue  # no plain label (the legend's HTML): its text is part of the key
        start = part.start(2)
        for match in _ENTITY_OR_DIGIT.finditer(part.group(2)):
            if match.group().startswith("&"):
                continue  # an entity's digits (&#39;) are not the label's
            index = counts.get(group, 0)
            counts[group] = index + 1
            slots.append((start + match.start(), group, index))
    expected = {group: len(text) for group, text in digits.items() if text}
    return slots if counts == expected else None


def _write_digits(picture: _Picture, digits: dict[str, str]) -> str | None:
    pieces: list[str] = []
    last = 0
    try:
        for position, group, index in picture.slots:
            pieces += [picture.svg[last:position], digits[group][index]]
            last = position + 1
    except (KeyError, IndexError):
        return None
    pieces.append(picture.svg[last:])
    return "".join(pieces)


@cache
def _digits_are_uniform() -> bool:
    """Every digit as wide as 0, alone and beside any other digit, in node and edge labels.
    Asked once a process: it takes no argument that changes from one request to the next (a
    request's time left did, and each picture was drawn six times more to ask it again)."""
    every_pair = "".join(f"{a}{b}" for a in range(10) for b in range(10))

    def drawn(text: str) -> str:
        dot = (
            "digraph { node [fontname=Helvetica fontsize=11 shape=box]"
            " edge [fontname=Helvetica fontsize=9]"
            f' a [label="{text}\\nvalue {text}"] b [label=x] a -> b [label="{text}"] }}'
        )
        svg = drawn_svg(dot, _PROBE_SECONDS)
        return _TEXT.sub("></text>", svg)  # the text itself differs; nothing else may

    try:
        zeros = drawn("0" * len(every_pair))
        return all(drawn(text) == zeros for text in (every_pair, "1" * 200, "7" * 200, "4" * 200))
    except LayoutError:
        return False
