"""Accessible text for an exported SVG: the picture as a whole is `role="img"` with a `<title>`
and a `<desc>` summary, and each node's and edge's `<title>` (Graphviz writes ids such as
`t0->f0`) becomes what it shows: "x value 3 grad 6", "x → MulBackward0, gradient 6".

One pass over the text with a dict lookup, so a large picture costs one regex scan. The page
reads the same titles as each node's accessible name (static/js/graph.js).
"""

from __future__ import annotations

import re
from html import escape

from app.render.dot import LEGEND, Look, function_lines, groupings, tensor_lines
from app.render.folds import fold_lines, folded_ids
from app.render.modules import box_lines, cluster_label, plan
from app.render.preview import preview
from app.render.words import words
from app.trace.model import Graph, TensorNode

_TITLED = re.compile(
    r'(<g id="([^"]+)" class="(?:node|edge|graph|cluster)[^"]*"[^>]*><title>)[^<]*(</title>)'
)


def accessible(svg: str, graph: Graph, look: Look, collapsed: frozenset[str] = frozenset()) -> str:
    """`collapsed`: the module calls drawn as one box (as `to_dot` was given them)."""
    drawn = {match[2] for match in _TITLED.finditer(svg)}
    texts = _texts(graph, look.lang, collapsed, drawn)
    said = words(look.lang)

    def titled(match: re.Match[str]) -> str:
        text = texts.get(match[2])
        return match[0] if text is None else f"{match[1]}{escape(text, quote=False)}{match[3]}"

    body = _TITLED.sub(titled, svg)
    start = body.index("<svg")
    head_end = body.index(">", start)
    summary = said["summary"].format(
        tensors=sum(isinstance(node, TensorNode) for node in graph.nodes),
        ops=sum(not isinstance(node, TensorNode) for node in graph.nodes),
        edges=len(graph.edges),
    )
    outputs = [n.label for n in graph.nodes if isinstance(n, TensorNode) and n.role == "output"]
    if outputs:
        summary += said["outputs"].format(names=", ".join(outputs))
    head = body[start:head_end].replace("<svg", '<svg role="img"', 1)
    titles = f"<title>{escape(said['title'])}</title><desc>{escape(summary)}</desc>"
    return body[:start] + head + ">" + titles + body[head_end + 1 :]


def _texts(graph: Graph, lang: str, collapsed: frozenset[str], drawn: set[str]) -> dict[str, str]:
    """Element id → its accessible text: a node's visible rows, an edge's ends and gradient;
    spelled out for the elements the picture `drawn` (a big graph draws a small part of it)."""
    said = words(lang)
    stepped = (
        {}
        if graph.optimizer_step is None
        else {change.tensor: change for change in graph.optimizer_step.changes}
    )
    names: dict[str, str] = {}
    where = plan(graph, collapsed, folded_ids(graph))
    legend = (*LEGEND, *groupings(graph, where))
    # Graphviz titles the drawing and the legend by their DOT names ("autograd", "legend")
    texts: dict[str, str] = {"graph0": said["title"], "legend": " · ".join(said[k] for k in legend)}
    for node in graph.nodes:
        is_tensor = isinstance(node, TensorNode)
        names[node.id] = node.label if is_tensor else node.op
        if node.id not in drawn:
            continue
        if is_tensor:
            texts[node.id] = " ".join(tensor_lines(node, stepped.get(node.id), lang))
        else:
            texts[node.id] = " ".join(function_lines(node, lang))
    # a folded node is drawn as its fold's box: edges that cross into it name the box
    for group in graph.groups:
        texts[group.id] = " ".join(fold_lines(group, lang))
    for module in graph.modules:
        texts[module.id] = (
            " ".join(box_lines(module)) if module.id in collapsed else cluster_label(module)
        )
    for node_id, box_id in where.hidden.items():
        names[node_id] = texts[box_id]
    for edge in graph.edges:
        if edge.id not in drawn:
            continue
        ends = {"source": names.get(edge.source, edge.source), "target": names.get(edge.target)}
        if edge.grad is None:
            texts[edge.id] = said["edge"].format(**ends)
        else:
            texts[edge.id] = said["edge_grad"].format(grad=preview(edge.grad), **ends)
    return texts
