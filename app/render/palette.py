"""The picture's colours for each background: "transparent" and "white" share the light palette
(the page's own graph and a slide with a light theme), "dark" has its own for a dark slide theme.

Every outline, edge and text colour keeps ≥ 3:1 against its background (WCAG 1.4.11, checked in
tests/test_pictures_i18n.py), so a dashed "constant" border stays visible when projected.
"""

from __future__ import annotations

from dataclasses import dataclass

BACKGROUNDS = ("transparent", "white", "dark")


@dataclass(frozen=True, slots=True)
class Palette:
    background: str  # Graphviz's bgcolor
    behind: str  # the colour contrast is measured against (white behind a transparent picture)
    text: str
    edge: str
    tensors: dict[str, dict[str, str]]
    function: dict[str, str]
    freed: dict[str, str]
    edges: dict[str, dict[str, str]]
    error: str
    # how the picture groups nodes: a shut module call's box, an open one's cluster border,
    # a fold's `×N` box (app/render/modules.py, folds.py)
    module: dict[str, str]
    cluster: str
    fold: dict[str, str]


_LIGHT_TENSORS = {
    "leaf": {"fillcolor": "#cfe3ff", "color": "#2f6fd6"},
    "intermediate": {"fillcolor": "#f4f4f4", "color": "#767676"},
    "output": {"fillcolor": "#c9f2c7", "color": "#2e8b2e"},
    "constant": {"fillcolor": "#ffffff", "color": "#767676", "style": "filled,dashed"},
    "detached": {"fillcolor": "#fff1c2", "color": "#8a6d0b", "style": "filled,dashed"},
}
_DARK_TENSORS = {
    "leaf": {"fillcolor": "#1f3b66", "color": "#7fb0ff"},
    "intermediate": {"fillcolor": "#333333", "color": "#aaaaaa"},
    "output": {"fillcolor": "#1f4d1f", "color": "#6fcf6f"},
    "constant": {"fillcolor": "#1e1e1e", "color": "#9a9a9a", "style": "filled,dashed"},
    "detached": {"fillcolor": "#4d3b00", "color": "#e0b040", "style": "filled,dashed"},
}


def _edges(constant: str, detached: str, view: str, gradient: str) -> dict[str, dict[str, str]]:
    return {
        "data": {},
        "constant": {"style": "dashed", "color": constant, "arrowhead": "empty"},
        "detached": {"style": "dashed", "color": detached, "arrowhead": "tee"},
        "view": {"style": "dotted", "color": view, "arrowhead": "none"},
        "gradient": {"style": "bold", "color": gradient},
    }


def _light(background: str) -> Palette:
    return Palette(
        background=background,
        behind="#ffffff",
        text="#000000",
        edge="#555555",
        tensors=_LIGHT_TENSORS,
        function={"fillcolor": "#ffe2bd", "color": "#a86400"},
        freed={"fillcolor": "#e6e6e6", "color": "#767676", "style": "filled,dashed"},
        edges=_edges("#767676", "#8a6d0b", "#767676", "#c2185b"),
        error="#d32f2f",
        module={"fillcolor": "#e0f2f1", "color": "#00796b"},
        cluster="#00796b",
        fold={"fillcolor": "#ede7f6", "color": "#5e35b1"},
    )


DARK = Palette(
    background="#1e1e1e",
    behind="#1e1e1e",
    text="#f0f0f0",
    edge="#cccccc",
    tensors=_DARK_TENSORS,
    function={"fillcolor": "#5a3800", "color": "#ffa940"},
    freed={"fillcolor": "#333333", "color": "#999999", "style": "filled,dashed"},
    edges=_edges("#9a9a9a", "#e0b040", "#999999", "#ff6fa8"),
    error="#ff6b6b",
    module={"fillcolor": "#0f3d38", "color": "#4db6ac"},
    cluster="#4db6ac",
    fold={"fillcolor": "#311b5e", "color": "#b39ddb"},
)
PALETTES = {"transparent": _light("transparent"), "white": _light("#ffffff"), "dark": DARK}


def palette(background: str) -> Palette:
    return PALETTES.get(background, PALETTES["transparent"])
