"""Graph → DOT source, in the playground style.

Every label goes through `graphviz.escape`, so a name like `<script>` or `<<TABLE>>` is text, never
an HTML-like label; node and edge ids are the model's, so the SVG carries them for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import graphviz

from app.render import dot_text, folds, modules
from app.render.bounds import BOUNDED_LAYOUT_NODES
from app.render.compact import compact_label, is_compact, printable, range_tooltip
from app.render.palette import Palette, palette
from app.render.preview import preview
from app.render.words import words
from app.trace.model import Edge, FunctionNode, Graph, ParameterChange, TensorNode

FONT = "Helvetica"
EDGE_LABEL_LIMIT = 120
# A tall picture is read on a phone, where its width is the scarce thing and its smallest text
# sets the zoom a page can show it at (static/js/graph.js): nodes and ranks closer, tighter
# node margins, and gradients on edges as large as the nodes' text.
TALL_GRAPH = {"nodesep": "0.05", "ranksep": "0.25"}
TALL_NODE = {"margin": "0.02,0.01"}
TALL_EDGE_FONTSIZE = "11"


@dataclass(frozen=True, slots=True)
class Look:
    """How a picture is drawn for its reader: the language of our words around torch's names,
    the background (and so the palette), and the scale (Graphviz's dpi: 96 × scale)."""

    lang: str = "en"
    background: str = "transparent"
    scale: float = 1.0
    rankdir: str = "LR"  # Graphviz's: LR (inputs on the left) or TB (on top, for a phone)


PLAIN = Look()


def to_dot(
    graph: Graph,
    direction: str = "forward",
    legend: bool = True,
    look: Look = PLAIN,
    collapsed: frozenset[str] = frozenset(),
) -> str:
    """`collapsed`: module calls (Graph.modules ids) drawn as one box (app/render/modules.py)."""
    # Edge labels make Graphviz's layout superlinear on dense graphs (a leaf reused by 100
    # steps: 4× slower); past this many edges the gradients stay in the JSON and tooltips only.
    labelled = len(graph.edges) <= EDGE_LABEL_LIMIT
    colours, said = palette(look.background), words(look.lang)
    text = {} if colours.text == "#000000" else {"fontcolor": colours.text}  # black: the default
    tall = look.rankdir == "TB"
    node = {
        "fontname": FONT,
        "fontsize": "11",
        "style": "filled",
        **text,
        **(TALL_NODE if tall else {}),
    }
    edge_size = TALL_EDGE_FONTSIZE if tall else "9"
    lines = [
        dot_text.defaults("node", **node),
        dot_text.defaults("edge", fontname=FONT, fontsize=edge_size, color=colours.edge, **text),
    ]
    stepped = (
        {}
        if graph.optimizer_step is None
        else {change.tensor: change for change in graph.optimizer_step.changes}
    )
    errors = _error_texts(graph, said)
    where = modules.plan(graph, collapsed, folds.folded_ids(graph))
    hidden = where.hidden
    placed: list[tuple[str, str | None]] = []
    for node in graph.nodes:
        if node.id in hidden:
            continue
        if isinstance(node, TensorNode):
            line = _tensor(node, stepped.get(node.id), errors.get(node.id), look)
        else:
            line = _function(node, errors.get(node.id), look)
        placed.append((line, where.place.get(node.id)))
    shown = set(hidden.values())
    placed += [(line, None) for line in folds.fold_nodes(graph, shown, look.lang, colours)]
    placed += [(modules.box_node(m, colours), where.place.get(m.id)) for m in where.boxes]
    lines += modules.nest(placed, where, colours)
    edges = folds.folded_edges(graph, hidden) if hidden else graph.edges
    ops = {n.id for n in graph.nodes if isinstance(n, FunctionNode)} | set(hidden.values())
    # beside its op in a wide picture; a tall one (a phone's) has width to spare for nothing, so
    # a constant stays in the rank above its op, as any input does
    beside = _beside(edges, ops) if look.rankdir == "LR" else set()
    backward = direction == "backward"
    clusters = _clusters(graph, where, edges)
    lines += (
        _edge(
            edge,
            backward,
            labelled,
            colours,
            edge.id in beside - clusters.keys(),
            clusters.get(edge.id),
        )  # fmt: skip
        for edge in edges
    )
    if legend:
        lines.append(_legend(colours, said, groupings(graph, where)))
    return dot_text.digraph("autograd", _graph_attributes(graph, look, colours), lines)


def _graph_attributes(graph: Graph, look: Look, colours: Palette) -> dict[str, str]:
    attributes = {"rankdir": look.rankdir, "bgcolor": colours.background}
    if look.rankdir == "TB":
        attributes.update(TALL_GRAPH)
    if graph.modules:
        attributes["compound"] = "true"  # edges may end at a module's border (lhead)
    if len(graph.nodes) > BOUNDED_LAYOUT_NODES:
        attributes["nslimit"] = "1"
    return attributes


def bitmap(dot: str, scale: float) -> str:
    """The DOT for a PNG at `scale`: Graphviz's bitmaps are 96 dpi. Only bitmaps: in SVG, dpi
    would scale the coordinates too (an SVG is scaled by its width and height, app/render/svg.py).
    A graph attribute statement anywhere in the body sets the root graph's attribute."""
    if scale == 1.0:
        return dot
    return dot.rstrip().removesuffix("}") + f"\tgraph [dpi={96 * scale:g}]\n}}\n"


def _label(lines: Iterable[str]) -> str:
    """Escaped line by line, joined with DOT's own line break. Graphviz also reads entities
    (`&amp;`) in plain labels, so `&` is written as one to stay literal."""
    text = "\x00".join(line.replace("&", "&amp;") for line in lines)
    return graphviz.escape(text).replace("\x00", "\\n")


def _error_texts(graph: Graph, said: dict[str, str]) -> dict[str, str]:
    """Node id → the error text its tooltip shows (the message, and the line it was on)."""
    texts: dict[str, list[str]] = {}
    for mark in graph.errors:
        where = said["line"].format(n=mark.line)
        reason = said.get(f"reason_{mark.reason}", "")
        text = said["error_text"].format(where=where, reason=reason, message=mark.message)
        texts.setdefault(mark.node, []).append(text)
    return {node: " · ".join(lines) for node, lines in texts.items()}


def _marked(
    classes: str, style: dict[str, str], error: str | None, colours: Palette
) -> dict[str, str]:
    """Attributes of a node: an error node gets a red outline, the class `error` and the text."""
    attrs = {"class": classes, **style}
    if error is not None:
        attrs.update(color=colours.error, penwidth="2.5")
        attrs.update({"class": f"{classes} error", "tooltip": _tooltip(error)})
    return attrs


def _tooltip(text: str) -> str:
    """Plain text: backslashes and `<...>` lose their DOT meaning, `&` stays literal."""
    return graphviz.escape(text.replace("&", "&amp;"))


def tensor_lines(node: TensorNode, change: ParameterChange | None, lang: str = "en") -> list[str]:
    """The rows a tensor's box shows (and its accessible title repeats)."""
    said = words(lang)
    lines = [node.label]
    if node.shape:
        lines.append(f"{said['shape']} " + "×".join(map(str, node.shape)))
    lines.append(
        f"{said['value']} " + (preview(node.value) if not node.truncated else said["large"])
    )
    if node.grad is not None:
        lines.append(f"{said['grad']} " + preview(node.grad))
    elif node.flow_grad is not None:
        lines.append(f"{said['flow']} " + preview(node.flow_grad))
    if change is not None:  # what the last optimizer.step() did to this parameter
        lines.append(f"{said['step']} {preview(change.before)} → {preview(change.after)}")
    return lines


def function_lines(node: FunctionNode, lang: str = "en") -> list[str]:
    return [node.op, words(lang)["freed"]] if node.freed else [node.op]


def _tensor(node: TensorNode, change: ParameterChange | None, error: str | None, look: Look) -> str:
    colours = palette(look.background)
    style = {"shape": "box", **colours.tensors.get(node.role, colours.tensors["intermediate"])}
    attrs = _marked(f"tensor {node.role}", style, error, colours)
    if is_compact(node):  # more numbers than a node can show: shape, badges and heatmaps
        attrs.setdefault("tooltip", _tooltip(range_tooltip(node, look.lang)))
        label = compact_label(node, change, look.lang)
        return dot_text.node(node.id, label, id=node.id, margin="0.05",
                             **attrs)  # fmt: skip
    return dot_text.node(
        node.id, _label(tensor_lines(node, change, look.lang)), id=node.id, **attrs
    )


def _function(node: FunctionNode, error: str | None, look: Look) -> str:
    colours = palette(look.background)
    style = colours.freed if node.freed else colours.function
    classes = "function freed" if node.freed else "function"
    attrs = _marked(classes, style, error, colours)
    label = _label(function_lines(node, look.lang))
    return dot_text.node(node.id, label, id=node.id, shape="ellipse", **attrs)


def _clusters(graph: Graph, where: modules.Plan, edges: Iterable[Edge]) -> dict[str, str]:
    """Constant edge id → the open module call whose border it meets (app/render/modules.py)."""
    if not where.clusters:
        return {}
    arguments = {m.id: set(m.arguments) for m in where.clusters}
    boxes = set(where.hidden.values())  # an edge into a box meets the box itself
    found = {}
    for edge in edges:
        if edge.kind == "constant" and edge.target not in boxes:
            cluster = modules.entered(where, arguments, edge.source, edge.target)
            if cluster is not None:
                found[edge.id] = cluster
    return found


def _beside(edges: Iterable[Edge], ops: set[str]) -> set[str]:
    """The constant edges whose source nothing flows into (`X`, `y`, `features`): drawn with
    `minlen=0` and a weight, so the constant sits in its op's rank, beside it, instead of in
    a tall first rank of every input far from where it is used."""
    edges = list(edges)
    fed = {edge.target for edge in edges}
    return {
        edge.id
        for edge in edges
        if edge.kind == "constant" and edge.source not in fed and edge.target in ops
    }


def _edge(
    edge: Edge,
    backward: bool,
    labelled: bool,
    colours: Palette,
    beside: bool,
    cluster: str | None = None,
) -> str:
    attrs: dict[str, Any] = {
        "id": edge.id,
        "class": f"edge {edge.kind}",
        **colours.edges[edge.kind],
    }
    if beside:
        attrs.update(minlen="0", weight="4")
    if cluster is not None:  # drawn to the border of the module call it went into
        attrs["ltail" if backward else "lhead"] = f"cluster_{cluster}"
    if labelled and edge.kind == "data" and printable(edge.grad):
        attrs["label"] = _label([preview(edge.grad)])
    source, target = (edge.target, edge.source) if backward else (edge.source, edge.target)
    return dot_text.edge(source, target, **attrs)


LEGEND = ("leaf", "intermediate", "output", "constant", "detached", "op", "op_freed", "error")
# the ways a picture groups nodes, each in the legend only when the picture draws one
GROUPING = ("module", "module_box", "fold")


def groupings(graph: Graph, where: modules.Plan) -> tuple[str, ...]:
    """The groupings (GROUPING) this picture draws, for its legend: an open module call's
    cluster, a shut one's box, a fold's box. A picture with none has the legend it always had."""
    folded = {group.id for group in graph.groups} & set(where.hidden.values())
    drawn = {"module": bool(where.clusters), "module_box": bool(where.boxes), "fold": folded}
    return tuple(mark for mark in GROUPING if drawn[mark])


def _legend(colours: Palette, said: dict[str, str], marks: tuple[str, ...]) -> str:
    """One compact row of swatches. Our own fixed text, so an HTML-like label is safe here."""
    roles = ("leaf", "intermediate", "output", "constant", "detached")
    cells = [
        f'<TD BGCOLOR="{colours.tensors[role]["fillcolor"]}">{said[role]}</TD>' for role in roles
    ]
    cells.append(f'<TD BGCOLOR="{colours.function["fillcolor"]}">{said["op"]}</TD>')
    cells.append(f'<TD BGCOLOR="{colours.freed["fillcolor"]}">{said["op_freed"]}</TD>')
    cells.append(f'<TD COLOR="{colours.error}" BORDER="2">{said["error"]}</TD>')
    cells.append(f"<TD>{said['constant_edge']}</TD>")
    if "module" in marks:  # a cluster's dashed border, on the background
        cells.append(f'<TD COLOR="{colours.cluster}" STYLE="dashed">{said["module"]}</TD>')
    for mark, style in (("module_box", colours.module), ("fold", colours.fold)):
        if mark in marks:
            cells.append(
                f'<TD BGCOLOR="{style["fillcolor"]}" COLOR="{style["color"]}">{said[mark]}</TD>'
            )
    table = (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" COLOR="{colours.edge}">'
        f"<TR>{''.join(cells)}</TR></TABLE>>"
    )
    return dot_text.node("legend", table, shape="plaintext", fontsize="9", style="",
                         id="legend", **{"class": "legend"})  # fmt: skip
