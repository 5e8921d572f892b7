"""Drawing module calls (`Graph.modules`): an expanded call is a labelled Graphviz cluster
around its nodes (`subgraph cluster_m0`), a collapsed one is one box (`Linear net.0`) in place
of them, with the edges that cross its border meeting the box (as a fold's do).

How it composes with folds: a fold's box stands for its iterations' module calls too (a call
made in a folded iteration is not drawn, and all its nodes join the fold's box: a Linear called
300 times in a loop is one `×299` box and the last call's box or cluster); the iteration drawn
in full has its calls drawn. A fold wholly inside one call (a loop in a `forward`) stays a fold
box, hidden in the call's box when that is collapsed. Fold boxes sit outside every cluster.

By default a module of the program's own class is expanded; a torch.nn module is collapsed
when the graph has more nodes than `collapse_nodes` (the setting `graph_module_collapse_nodes`).
A request's `unfold` expands a call, its `fold` collapses one (fold wins over unfold, as it
does for a fold's box: app/pipeline.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import graphviz

from app.render import dot_text
from app.render.folds import folded_ids
from app.render.palette import Palette
from app.trace.model import Graph, ModuleGroup

CLUSTER_STYLE = {"style": "rounded,dashed", "fontsize": "10", "fontname": "Helvetica"}


def collapsed_modules(
    graph: Graph, collapse_nodes: int, unfold: Iterable[str] = (), fold: Iterable[str] = ()
) -> frozenset[str]:
    """The ids of the module calls drawn as one box."""
    large = len(graph.nodes) > collapse_nodes
    default = {m.id for m in graph.modules if m.library and large}
    return frozenset((default - set(unfold)) | (set(fold) & {m.id for m in graph.modules}))


def entered(out: Plan, arguments: dict[str, set[str]], source: str, target: str) -> str | None:
    """The outermost open call that `target` is drawn in and that was called with `source`: a
    constant edge into it meets the cluster's border (`lhead`), since PyTorch keeps no edge to
    say which op inside the call took the constant (`X` into `net`, not into its last ReLU)."""
    found = None
    cluster = out.place.get(target)
    while cluster is not None:
        if source in arguments.get(cluster, ()):
            found = cluster
        cluster = out.place.get(cluster)
    return found


def hidden_by_boxes(graph: Graph, collapsed: frozenset[str]) -> dict[str, str]:
    """Node id → the box that the picture draws in its place (a fold, a shut module call)."""
    return plan(graph, collapsed, folded_ids(graph)).hidden


def drawn_ids(graph: Graph, hidden: dict[str, str]) -> frozenset[str]:
    """The ids the picture draws (`hidden`: `hidden_by_boxes`): the nodes no fold or shut
    module hides, and the boxes (its size: each fold and each shut module call counts as one)."""
    shown = (node.id for node in graph.nodes if node.id not in hidden)
    return frozenset((*shown, *hidden.values()))


def shapes(items: tuple[tuple[int, ...], ...]) -> str:
    # a scalar's shape is written as Python prints it, so the label needs no words to translate
    return ", ".join("×".join(map(str, shape)) if shape else "()" for shape in items) or "–"


def box_lines(module: ModuleGroup) -> tuple[str, str]:
    """What a collapsed call's box says: its class and path, and its shapes in → out."""
    return f"{module.type} {module.path}", f"{shapes(module.inputs)} → {shapes(module.outputs)}"


def cluster_label(module: ModuleGroup) -> str:
    return f"{module.path} · {module.type} ({shapes(module.inputs)} → {shapes(module.outputs)})"


@dataclass(slots=True)
class Plan:
    """Where each drawn node goes: `hidden` node → the box that stands for it, `place` drawn
    node (or box) → the expanded call whose cluster holds it, `boxes` the collapsed calls."""

    hidden: dict[str, str] = field(default_factory=dict)
    place: dict[str, str] = field(default_factory=dict)
    boxes: list[ModuleGroup] = field(default_factory=list)
    clusters: list[ModuleGroup] = field(default_factory=list)


def plan(graph: Graph, collapsed: frozenset[str], folded: dict[str, str]) -> Plan:
    """`folded`: node → the fold that hides it (app/render/folds.py)."""
    out = Plan(hidden=dict(folded))
    members: dict[str, set[str]] = {}
    for node, group in folded.items():
        members.setdefault(group, set()).add(node)
    open_calls: set[str] = set()  # calls drawn as a cluster
    for module in graph.modules:  # parents come before their children
        if module.parent is not None and module.parent not in open_calls:
            continue  # inside a box, or inside a call that is not drawn
        folding = _folding(module, folded, members)
        if folding is not None:  # a call of a folded iteration: the fold's box stands for it
            out.hidden.update({node: folding for node in module.nodes})
            continue
        if module.parent is not None:
            out.place[module.id] = module.parent
        if module.id in collapsed:
            out.boxes.append(module)
            out.hidden.update({node: module.id for node in module.nodes})
        else:
            open_calls.add(module.id)
            out.clusters.append(module)
            out.place.update({node: module.id for node in module.nodes if node not in folded})
    return out


def _folding(
    module: ModuleGroup, folded: dict[str, str], members: dict[str, set[str]]
) -> str | None:
    """The fold whose iteration made this call, if any: one that holds some of the call's
    nodes and more besides (a fold that lies wholly inside the call is the call's own loop)."""
    inside = set(module.nodes)
    for group in sorted({folded[node] for node in module.nodes if node in folded}):
        if len(members[group]) > len(inside) or not members[group] <= inside:
            return group
    return None


def box_node(module: ModuleGroup, colours: Palette) -> str:
    text = "\\n".join(graphviz.escape(line) for line in box_lines(module))
    attributes = {"class": "module collapsed", "shape": "box3d", **colours.module}
    return dot_text.node(module.id, text, id=module.id, **attributes)


def nest(lines: list[tuple[str, str | None]], out: Plan, colours: Palette) -> list[str]:
    """Node lines with the cluster each belongs in → DOT with the clusters nested."""
    inside: dict[str | None, list[str]] = {}
    for line, cluster in lines:
        inside.setdefault(cluster, []).append(line)
    children: dict[str | None, list[ModuleGroup]] = {}
    for module in out.clusters:
        children.setdefault(out.place.get(module.id), []).append(module)

    def emit(cluster: ModuleGroup, depth: int) -> list[str]:
        pad = "\t" * depth
        label = dot_text.quote(graphviz.escape(cluster_label(cluster)))
        head = [f"{pad}subgraph cluster_{cluster.id} {{\n", f"{pad}\tlabel={label}\n"]
        attributes = {"id": cluster.id, "class": "module", **CLUSTER_STYLE}
        # its label is drawn on the background, as the nodes' text is
        attributes.update(color=colours.cluster, fontcolor=colours.text)
        head.append(pad + dot_text.defaults("graph", **attributes))
        body = [pad + line for line in inside.get(cluster.id, [])]
        for child in children.get(cluster.id, []):
            body += emit(child, depth + 1)
        return [*head, *body, f"{pad}}}\n"]

    result = list(inside.get(None, []))
    for top in children.get(None, []):
        result += emit(top, 1)
    return result
