"""Drawing folded repetition: each fold (`Graph.groups`) is one `×N` box in place of the nodes
of the iterations it folds; edges into or out of those nodes meet the box instead, once each."""

from __future__ import annotations

from dataclasses import replace

import graphviz

from app.render import dot_text
from app.render.palette import PALETTES, Palette
from app.render.words import words
from app.trace.model import Edge, Fold, Graph


def folded_ids(graph: Graph) -> dict[str, str]:
    """Node id → the id of the fold that hides it."""
    return {node: group.id for group in graph.groups for node in group.nodes}


def fold_lines(group: Fold, lang: str = "en") -> tuple[str, str]:
    """What a fold's box says: how many iterations it holds, and where they were made."""
    said = words(lang)
    first, last = group.lines
    where = (
        said["line"].format(n=first)
        if first == last
        else said["lines"].format(first=first, last=last)
    )
    return said["iterations"].format(count=group.count), where


def fold_nodes(
    graph: Graph,
    shown: set[str] | None = None,
    lang: str = "en",
    colours: Palette = PALETTES["transparent"],
) -> list[str]:
    """The folds' boxes (of those in `shown`, when given: a collapsed module may hide one)."""
    lines = []
    for group in graph.groups:
        if shown is not None and group.id not in shown:
            continue
        text = "\\n".join(graphviz.escape(line) for line in fold_lines(group, lang))
        attributes = {"class": "fold", "shape": "box3d", **colours.fold}
        lines.append(dot_text.node(group.id, text, id=group.id, **attributes))
    return lines


def folded_edges(graph: Graph, hidden: dict[str, str]) -> list[Edge]:
    """The edges as drawn: inside a fold gone, across its border redirected to it (no gradient
    label: one box edge stands for many), each (source, target) pair once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for edge in graph.edges:
        source, target = hidden.get(edge.source, edge.source), hidden.get(edge.target, edge.target)
        if source == target or (source, target) in seen:
            continue
        seen.add((source, target))
        moved = source != edge.source or target != edge.target
        out.append(replace(edge, source=source, target=target, grad=None) if moved else edge)
    return out
