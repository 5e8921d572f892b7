"""From one `pipeline.execute` outcome (through `pipeline.payload`, the same data the JSON API
sends) to the view models the templates show. All formatting and every label choice is here.

This runs in the web process, on its event loop, so it must not grow with the program: the graph
is indexed once (no walk over every edge per node or per backward step), and a page describes at
most `Bounds.nodes` graph nodes and backward steps (those the picture draws first) and
`Bounds.rows` console lines and tensor rows, with a note saying what it left out. The JSON API
answers with everything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from app.web import formatting as fmt
from app.web.chart import training_view
from app.web.i18n import Labels, refusal_title, role_label
from app.web.order import data_flow_order
from app.web.value_tables import with_tables
from app.web.views import (
    BackwardStepView,
    ConsoleLine,
    FlowView,
    InfoRow,
    LegendEntry,
    NodeView,
    ProblemView,
    ResultView,
    SavedView,
    StepView,
    TensorRow,
)

Json = Mapping[str, Any]
_DRAWN = re.compile(r'<g id="([tf][0-9]+)" class="node')  # the nodes an SVG of ours draws
# the classes app/render gives an open module call, a shut one and a fold (Graphviz prefixes
# `cluster` or `node`)
_GROUPINGS = (
    ("module", re.compile(r'class="cluster module"')),
    ("module-box", re.compile(r'class="node module collapsed"')),
    ("fold", re.compile(r'class="node fold"')),
)


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much of one run a page describes (settings `page_max_nodes`, `page_max_rows`)."""

    nodes: int
    rows: int


@dataclass(slots=True)
class GraphIndex:
    """The graph's edges by target and by source (with their order) and the nodes' titles,
    built once in one pass: every lookup below is then proportional to its answer."""

    into: dict[str, list[tuple[int, Json]]] = field(default_factory=dict)
    out_of: dict[str, list[Json]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Json, t: Labels | None = None) -> GraphIndex:
        index = cls()
        for position, edge in enumerate(graph["edges"]):
            index.into.setdefault(edge["target"], []).append((position, edge))
            index.out_of.setdefault(edge["source"], []).append(edge)
        index.labels = {node["id"]: node["label"] for node in graph["nodes"]}
        index.titles = {node["id"]: _title(node, index) for node in graph["nodes"]}
        if t is not None:  # an edge of a drawn answer may end at a box (app/trace/slim.py)
            index.titles |= _box_titles(graph, t)
        return index

    def edges_into(self, node_id: str) -> list[Json]:
        return [edge for _, edge in self.into.get(node_id, ())]


@dataclass(frozen=True, slots=True)
class Lines:
    """Lines of the code that ran → lines in the editor. Math mode maps lines (not columns)."""

    mapping: Mapping[int, int] | None

    def span(self, span: Json | None) -> tuple[int, int, int, int]:
        if not span:
            return 0, -1, 0, -1
        if self.mapping is None:
            end_line = span.get("end_line") or span["line"]
            end_col = span.get("end_col")
            return span["line"], span["col"], end_line, -1 if end_col is None else end_col
        line = self.mapping.get(span["line"], 0)
        return line, -1, line, -1


def result_view(
    body: Json,
    lines: Lines,
    t: Labels,
    lang: str,
    math: bool,
    total: int,
    bounds: Bounds,
    truth: Json | None = None,
) -> ResultView:
    """`truth`: the true parameters of the lesson this program is, by series name (the chart's
    dashed lines)."""
    graph = body.get("graph") or {"nodes": [], "edges": [], "backward_order": [], "notes": []}
    problem = _step_problem(body["error"], t, lang)
    errors = _error_texts(graph, t)
    svg = body.get("svg") or ""
    read_as = tuple(body.get("read_as", ()))
    echoed = {f"read as: {line}" for line in read_as}  # shown above the graph instead
    index = GraphIndex.of(graph, t)
    described = _described(graph["nodes"], svg, bounds.nodes)
    backward, steps = _backward(graph, index, described, t, bounds.nodes)
    named = list(body["tensors"].items())
    console, lines_total = _console(body["steps"], t, bounds.rows)
    # an answer of what the picture draws (detail "drawn") counts what it left out
    cut = graph.get("left_out") or {}
    nodes_total = len(graph["nodes"]) + cut.get("nodes", 0)
    left_out = _left_out(t, (len(described), nodes_total), (len(backward), steps))
    named_total = len(named) + cut.get("tensors", 0)
    left_out += _rows_left_out(t, (len(console), lines_total), (bounds.rows, named_total))
    return ResultView(
        kind="ok" if problem is None else "error",
        svg=svg,
        has_graph=bool(svg) and bool(graph["nodes"]),
        problem=problem,
        notes=tuple(n for n in body["notes"] if n not in echoed)
        + tuple(graph.get("notes", ()))
        + left_out,
        nodes=with_tables(
            [_node(node, index, lines, t, errors.get(node["id"], "")) for node in described],
            described,
            t,
        ),
        backward=backward,
        tensors=tuple(_tensor_row(name, state, t) for name, state in named[: bounds.rows]),
        console=console,
        code=body["code"],
        show_code=math,
        step=step_view(body["steps"], total, t),
        training=training_view(body.get("training"), t, truth) if _trains(body) else None,
        read_as=read_as,
        tab_order=" ".join(data_flow_order(described, graph["edges"])),
        groupings=_groupings(svg, t),
    )


def _groupings(svg: str, t: Labels) -> tuple[LegendEntry, ...]:
    """The legend's entries for the groupings the picture draws (none: the legend as it was)."""
    said = {"module": t.legend_module, "module-box": t.legend_module_box, "fold": t.legend_fold}
    return tuple(LegendEntry(css, said[css]) for css, drawn in _GROUPINGS if drawn.search(svg))


def _trains(body: Json) -> bool:
    """A program trains when it steps an optimizer or its parameters change between backward
    calls; a backward twice over fixed leaves is no training (no loss curve to draw)."""
    training = body.get("training")
    if not training:
        return False
    if (body.get("graph") or {}).get("optimizer_step"):
        return True
    return any(
        len({repr(point) for point in series["points"] if point is not None}) > 1
        for series in training["parameters"]
    )


def _reasons(t: Labels) -> dict[str, str]:
    return {
        "freed": t.error_freed,
        "modified": t.error_modified,
        "saved_by": t.error_saved_by,
        "non_scalar": t.error_non_scalar,
        "no_grad": t.error_no_grad,
        "non_leaf_grad": t.error_non_leaf_grad,
    }


def _error_texts(graph: Json, t: Labels) -> dict[str, str]:
    """Node id → why the run's error (or the non-leaf `.grad` warning) is about it, in words."""
    texts: dict[str, list[str]] = {}
    for mark in graph.get("errors", ()):
        reason = (
            _reasons(t)
            .get(mark["reason"], "")
            .format(
                call=mark.get("backward_call") or "?",
                version=mark.get("version"),
                saved=mark.get("saved_version"),
                line=mark["line"],
            )
        )
        texts.setdefault(mark["node"], []).append(f"{reason} {mark['message']}".strip())
    return {node: "\n".join(lines) for node, lines in texts.items()}


def refused_view(detail: Json, t: Labels, code: str = "") -> ResultView:
    """A program the language refused: no run, no graph; the message and where it points."""
    line = detail.get("line") or 0
    col = detail.get("col")
    col = -1 if col is None else col
    if line and col >= 0:
        where = t.error_at.format(line=line, col=col + 1)
    else:
        where = t.error_at_line.format(line=line) if line else ""
    problem = ProblemView(
        kind="refusal",
        title=refusal_title(t, str(detail.get("type", ""))),
        message=_refusal_message(detail, t),
        hint=_refusal_hint(detail, t),
        where=where,
        line=line,
        col=col,
    )
    empty_step = StepView(total=0, value=0, field="", caption="", line=0)
    return ResultView(
        kind="refusal", svg="", has_graph=False, problem=problem, notes=(), nodes=(),
        backward=(), tensors=(), console=(), code=code, show_code=False, step=empty_step,
        training=None,
    )  # fmt: skip


def _refusal_message(detail: Json, t: Labels) -> str:
    """The message in the page's language where `hints` are its own translations
    (app/lang/messages.py); torch's and Python's own words otherwise."""
    message = str(detail.get("message", ""))
    hints = detail.get("hints") or {}
    translated = hints.get("zh" if t.html_lang.startswith("zh") else "en")
    return str(translated) if translated and hints.get("en") == message else message


def _refusal_hint(detail: Json, t: Labels) -> str:
    """Math notation says what to write instead, in English and 中文; other refusals do not
    (their `hints` are the message itself, shown as the message)."""
    hints = detail.get("hints") or {}
    hint = hints.get("zh" if t.html_lang.startswith("zh") else "en", "")
    own = hints.get("en") == detail.get("message")
    return "" if own or hint == detail.get("message") else str(hint)


def step_view(steps: list[Json], total: int, t: Labels) -> StepView:
    value = len(steps)
    field = "" if value >= total else str(value)
    if not steps:
        caption = t.step_none.format(value=value, total=total)
    elif steps[-1]["source_line"] is None:  # a line the math compiler added
        caption = t.step_caption_code.format(value=value, total=total, source=steps[-1]["source"])
    else:
        last = steps[-1]
        caption = t.step_caption.format(
            value=value, total=total, line=last["source_line"], source=last["source"]
        )
    line = (steps[-1]["source_line"] or 0) if steps else 0
    return StepView(total=max(total, value), value=value, field=field, caption=caption, line=line)


def _step_problem(error: Json | None, t: Labels, lang: str) -> ProblemView | None:
    if error is None:
        return None
    line = error["source_line"] or 0  # null: a line the math compiler added
    return ProblemView(
        kind="error",
        title=error["type"],
        message=error["message"],
        hint=error["hints"].get(lang) or error["hint"],
        where=t.error_at_line.format(line=line) if line else "",
        line=line,
        col=-1,
    )


def _console(steps: list[Json], t: Labels, limit: int) -> tuple[tuple[ConsoleLine, ...], int]:
    """The first `limit` console lines, and how many the run had."""
    out: list[ConsoleLine] = []
    total = 0
    for step in steps:
        count = bool(step["output"]) + len(step["warnings"]) + (step["error"] is not None)
        total += count
        if count and len(out) < limit:
            out.extend(_step_lines(step, t)[: limit - len(out)])
    return tuple(out), total


def _step_lines(step: Json, t: Labels) -> list[ConsoleLine]:
    where = t.line.format(line=step["source_line"]) if step["source_line"] else ""
    out: list[ConsoleLine] = []
    if step["output"]:
        out.append(ConsoleLine(where, "output", step["output"].rstrip("\n")))
    out.extend(ConsoleLine(where, "warning", warning) for warning in step["warnings"])
    if step["error"] is not None:
        error = step["error"]
        out.append(ConsoleLine(where, "error", f"{error['type']}: {error['message']}"))
    return out


def _described(nodes: list[Json], svg: str, limit: int) -> Sequence[Json]:
    """Every node, or past `limit` the ones the picture draws (nearest the output) first."""
    if len(nodes) <= limit:
        return nodes
    drawn = set(_DRAWN.findall(svg))
    first = [node for node in nodes if node["id"] in drawn]
    rest = [node for node in nodes if node["id"] not in drawn] if len(first) < limit else []
    return (first + rest)[:limit]


def _left_out(t: Labels, nodes: tuple[int, int], steps: tuple[int, int]) -> tuple[str, ...]:
    if nodes[0] == nodes[1] and steps[0] == steps[1]:
        return ()
    return (
        t.page_left_out.format(
            nodes=nodes[0], nodes_total=nodes[1], steps=steps[0], steps_total=steps[1]
        ),
    )


def _rows_left_out(t: Labels, lines: tuple[int, int], rows: tuple[int, int]) -> tuple[str, ...]:
    limit, named = rows
    if lines[0] == lines[1] and named <= limit:
        return ()
    shown = min(named, limit)
    return (
        t.rows_left_out.format(
            lines=lines[0], lines_total=lines[1], tensors=shown, tensors_total=named
        ),
    )


def _tensor_row(name: str, state: Json, t: Labels) -> TensorRow:
    return TensorRow(
        name=name,
        value=_value_preview(state, "value", t),
        grad=_value_preview(state, "grad", t),
        requires_grad=fmt.number(state["requires_grad"]),
        is_leaf=fmt.number(state["is_leaf"]),
        grad_fn=state["grad_fn"] or "None",
    )


def _value_preview(state: Json, key: str, t: Labels) -> str:
    if state.get("truncated") and state.get(key) is None and (key == "value" or state["summary"]):
        return _too_large(state, t)
    return fmt.preview(state.get(key))


def _too_large(state: Json, t: Labels) -> str:
    summary = state.get("summary") or {}
    count = 1
    for dim in state.get("shape", ()):
        count *= dim
    return t.too_large.format(
        count=count,
        min=fmt.number(summary.get("min")),
        max=fmt.number(summary.get("max")),
        mean=fmt.number(summary.get("mean")),
    )


def _node(node: Json, index: GraphIndex, lines: Lines, t: Labels, error: str) -> NodeView:
    receives = _receives(node["id"], index, t)
    if node["kind"] == "tensor":
        return replace(_tensor_node(node, lines, t), error=error, receives=receives)
    return replace(_function_node(node, index, t), error=error, receives=receives)


def _receives(node_id: str, index: GraphIndex, t: Labels) -> tuple[str, ...]:
    """The edges into a node, said on the node (a screen reader reaches nodes, not edges):
    "receives 6 from x" for each gradient that flowed along one, "input from x" otherwise."""
    said = []
    for edge in index.edges_into(node_id):
        source = index.titles.get(edge["source"]) or index.labels.get(edge["source"], "?")
        if edge.get("grad") is None:
            said.append(t.input_from.format(source=source))
        else:
            said.append(t.receives_from.format(grad=fmt.preview(edge["grad"]), source=source))
    return tuple(said)


def _tensor_node(node: Json, lines: Lines, t: Labels) -> NodeView:
    line, col, end_line, end_col = lines.span(node.get("span"))
    shape = fmt.shape(node["shape"]) if node["shape"] else f"() {t.scalar}"
    value = _too_large(node, t) if node["truncated"] else fmt.preview(node["value"])
    tip = (
        InfoRow(t.value, value),
        InfoRow(t.grad, fmt.preview(node["grad"])),
        InfoRow(t.shape, shape),
        InfoRow(t.dtype, node["dtype"]),
        InfoRow(t.device_of, node["device"]),
    )
    facts = [
        InfoRow(t.role, role_label(t, node["role"])),
        InfoRow(t.names, ", ".join(node["names"]) or "—"),
        InfoRow(t.shape, shape),
        InfoRow(t.dtype, node["dtype"]),
        InfoRow(t.device_of, node["device"]),
        InfoRow(t.requires_grad, fmt.number(node["requires_grad"])),
        InfoRow(t.is_leaf, fmt.number(node["is_leaf"])),
        InfoRow(t.retains_grad, fmt.number(node["retains_grad"])),
        InfoRow(t.version, str(node["version"])),
    ]
    if node.get("detached_from"):
        facts.append(InfoRow(t.detached_from, node["detached_from"]))
    if line:
        facts.append(InfoRow(t.source_span, _span_text(t, line, col, end_col)))
    blocks = [InfoRow(t.value, value if node["truncated"] else fmt.full(node["value"]))]
    blocks.append(InfoRow(t.grad, _full_or_summary(node, "grad", t)))
    if node["flow_grad"] is not None:
        blocks.append(InfoRow(t.flow_grad, _full_or_summary(node, "flow_grad", t)))
    return NodeView(
        id=node["id"], is_tensor=True, title=node["label"], subtitle=role_label(t, node["role"]),
        tip=tip, facts=tuple(facts), blocks=tuple(blocks), saved=(), saved_heading="",
        line=line, col=col, end_line=end_line, end_col=end_col, error="",
    )  # fmt: skip


def _full_or_summary(node: Json, key: str, t: Labels) -> str:
    if node[key] is None and node["truncated"] and key != "flow_grad" and node["summary"]:
        return t.too_large.format(count="?", min="…", max="…", mean="…")
    return fmt.full(node[key])


def _span_text(t: Labels, line: int, col: int, end_col: int) -> str:
    if col < 0 or end_col < 0:
        return t.span_line.format(line=line)
    return t.span_cols.format(line=line, col=col + 1, end_col=end_col)


def _function_node(node: Json, index: GraphIndex, t: Labels) -> NodeView:
    saved = tuple(
        SavedView(
            name=slot["name"],
            shape=fmt.shape(slot["shape"]) if slot["shape"] is not None else "—",
            state=t.saved_freed if slot["freed"] else t.saved_kept,
            freed=slot["freed"],
        )
        for slot in node["saved"]
    )
    freed = sum(1 for slot in saved if slot.freed)
    facts = [
        InfoRow(t.op, node["op"]),
        InfoRow(t.executed, t.yes if node["executed"] else t.no),
    ]
    facts += [InfoRow(f"{t.attrs}: {key}", fmt.preview(v)) for key, v in node["attrs"].items()]
    tip = (
        InfoRow(t.saved, f"{len(saved)} ({t.saved_freed}: {freed})" if saved else "0"),
        InfoRow(t.executed, t.yes if node["executed"] else t.no),
    )
    return NodeView(
        id=node["id"], is_tensor=False, title=index.titles[node["id"]], subtitle="grad_fn",
        tip=tip, facts=tuple(facts), blocks=(), saved=saved, saved_heading=t.saved,
        line=0, col=-1, end_line=0, end_col=-1, error="",
    )  # fmt: skip


def _function_title(node: Json, index: GraphIndex) -> str:
    """`AccumulateGrad (x)`: name the leaf an AccumulateGrad writes to."""
    if node["op"] != "AccumulateGrad":
        return node["label"]
    feeding = [edge["source"] for edge in index.edges_into(node["id"])]
    tensors = [index.labels[s] for s in feeding if s.startswith("t") and s in index.labels]
    return f"{node['label']} ({tensors[0]})" if tensors else node["label"]


def _backward(
    graph: Json, index: GraphIndex, described: Sequence[Json], t: Labels, limit: int
) -> tuple[tuple[BackwardStepView, ...], int]:
    """The backward call the step slider is on (the last one made by then), with the gradients
    of *that* call: a training loop's call 1 shows call 1's numbers, never the last call's.
    At most `limit` steps (of the described nodes, when some were left out), and how many the
    call had."""
    # a call that raised before running anything (backward twice): the last one that ran;
    # in an answer of what the picture draws, a call's steps it left out ran all the same
    cut = (graph.get("left_out") or {}).get("backward_steps") or ()
    every_call = graph.get("backward_calls") or []
    ran = [(c, cut[i] if i < len(cut) else 0) for i, c in enumerate(every_call)]
    calls = [(c, hidden) for c, hidden in ran if c["order"] or hidden]
    if not calls:
        return (), 0
    call, hidden = calls[-1]
    shown = {node["id"] for node in described}
    every = len(described) == len(graph["nodes"])
    steps: list[BackwardStepView] = []
    for position, fn_id in enumerate(call["order"]):
        if len(steps) >= limit:
            break
        if not (every or fn_id in shown):
            continue
        flows = _flows(fn_id, index, call["grads"])
        label = t.backward_call.format(number=call["number"]) if position == 0 else ""
        steps.append(
            BackwardStepView(
                fn_id=fn_id,
                title=index.titles.get(fn_id, fn_id),
                call=label,
                edge_ids=" ".join(flow.edge_id for flow in flows),
                flows=flows,
            )
        )
    return tuple(steps), len(call["order"]) + hidden


def _box_titles(graph: Json, t: Labels) -> dict[str, str]:
    """What the picture's boxes are called: a fold's `×99 box`, a shut call's `Linear net.0`
    (the first line of its box, app/render/modules.py)."""
    titles = {g["id"]: t.fold_box.format(count=g["count"]) for g in graph.get("groups", ())}
    titles |= {m["id"]: f"{m['type']} {m['path']}" for m in graph.get("modules", ())}
    return titles


def _title(node: Json, index: GraphIndex) -> str:
    return node["label"] if node["kind"] == "tensor" else _function_title(node, index)


def _flows(fn_id: str, index: GraphIndex, grads: Mapping[str, Any]) -> tuple[FlowView, ...]:
    """The edges a function's gradient travels when it runs in backward.

    Edges point forward. The gradient `fn_id` sends goes against the edges that end in it (to its
    inputs); when an input is a tensor the program holds, on through the edge into that tensor.
    The root op also lights the edge to the output tensor, where backward starts.
    """
    into = index.into.get(fn_id, [])
    held = {e["source"] for _, e in into if e["source"].startswith("t")}
    through = sorted(
        (pair for source in held for pair in index.into.get(source, ())), key=lambda p: p[0]
    )
    root = [
        e
        for e in index.out_of.get(fn_id, ())
        if e["target"].startswith("t") and e["target"] not in index.out_of
    ]
    chosen = [(e, e["target"]) for e in root] + [(e, e["source"]) for _, e in into + through]
    return tuple(
        FlowView(e["id"], fmt.preview(grads[e["id"]]), index.titles.get(to, to), to)
        for e, to in chosen
        if grads.get(e["id"]) is not None and e["kind"] == "data"
    )
