"""The one composer: parse → run → trace → render, with timings per stage.

The JSON API and the HTML pages both call `execute`; `payload` turns its Outcome into the JSON
contract of docs/ARCHITECTURE.md, so both speak from the same data.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from app.collector import paused
from app.engine.devices import available_devices, resolve_device, torch_version, use_threads
from app.engine.records import Run, StepError
from app.engine.run import run_program
from app.lang.errors import ProgramError
from app.lang.math_notation import compile_math
from app.lang.parse import parse
from app.lessons import LESSONS
from app.plain import plain
from app.render.bounds import TooManyNodes, bounded
from app.render.dot import Look, bitmap, to_dot
from app.render.layout import LayoutError, layout
from app.render.modules import collapsed_modules, drawn_ids, hidden_by_boxes
from app.render.palette import palette
from app.render.reuse import PICTURE_REUSE
from app.render.svg import scaled
from app.render.titles import accessible
from app.render.torchviz_groups import grouped
from app.settings import Limits, Settings
from app.trace.build import build_graph
from app.trace.fold import fold_repeats
from app.trace.model import Graph
from app.trace.slim import drawn, hidden_names
from app.trace.summarise import summarise
from app.trace.torchviz_style import TorchvizUnavailable, torchviz_dot
from app.traced import TRACED, estimated_bytes, traced_key

__all__ = [
    "LESSONS",
    "ProgramError",
    "Outcome",
    "RunRequest",
    "available_devices",
    "execute",
    "payload",
    "traces_kept",
    "torch_version",
    "use_threads",
]

PICTURES = frozenset({"svg", "dot", "png"})


@dataclass(frozen=True, slots=True)
class RunRequest:
    source: str
    mode: str = "python"
    inputs: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    formats: tuple[str, ...] = ()
    step: int | None = None  # the graph after this many executed statements
    direction: str = "forward"
    style: str = "playground"
    legend: bool = True  # the picture's own legend (pages draw theirs, translated)
    lang: str = "en"  # the picture's words (torch's names and numbers are never translated)
    background: str = "transparent"  # transparent | white | dark (a dark slide's palette)
    scale: float = 1.0  # the picture's size: 2 doubles a PNG's pixels and an SVG's width
    unfold: tuple[str, ...] = ()  # folds and module calls (g…, m…) the picture draws in full
    fold: tuple[str, ...] = ()  # module calls (Graph.modules ids) drawn as one box
    rankdir: str = "LR"  # LR: inputs on the left; TB: on top (a phone's page asks for TB)
    # full: the whole graph and every tensor; drawn: what the picture draws (app/trace/slim.py)
    detail: str = "full"


@dataclass(frozen=True, slots=True)
class Outcome:
    code: str
    run: Run
    timings_ms: dict[str, float]
    notes: tuple[str, ...] = ()
    # math mode: line of `code` → line of what the student typed
    line_map: dict[int, int] | None = None
    graph: Graph | None = None
    renderings: dict[str, str | None] = field(default_factory=dict)
    read_as: tuple[str, ...] = ()  # math mode: each statement typeset as it was read
    # False when a picture asked for could not be drawn (a layout past its time, a failure):
    # the answer then depends on the machine, not only on the request.
    complete: bool = True
    # detail "drawn": what the answer's graph and tensors leave out (None: the whole run)
    left_out: dict[str, Any] | None = None


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round((now - self._last) * 1000, 3)
        self._last = now


def execute(request: RunRequest, settings: Settings) -> Outcome:
    """Raises ProgramError (a refusal) or returns an Outcome (which may hold a step error)."""
    clock = _Clock()
    deadline = time.perf_counter() + settings.max_run_seconds  # the picture's time included
    device = resolve_device(request.device)
    wants_graph = bool(set(request.formats) & (PICTURES | {"graph"}))
    key = traced_key(request, device, settings) if wants_graph else None
    traced = TRACED.get(key) if key is not None else None
    if traced is None:
        traced = _run_and_trace(request, settings, device, wants_graph, clock)
        if key is not None and traced.run.error is None:
            _keep(key, traced, settings)
    else:  # the same run, traced already: only the picture is drawn again
        clock.lap("reuse")
    with paused():
        return _drawn(traced, request, settings, deadline, clock)


def _run_and_trace(
    request: RunRequest, settings: Settings, device: str, wants_graph: bool, clock: _Clock
) -> Outcome:
    limits = settings.limits
    code, notes, line_map, read_as = _source_code(request, limits)
    try:
        program = parse(code, limits)
        clock.lap("parse")
        kept = settings.graph_backward_calls
        run = run_program(
            program, device, limits, record=wants_graph, stop_after=request.step,
            kept_calls=kept, module_calls=settings.graph_module_calls,
        )  # fmt: skip
    except ProgramError as exc:
        # ast reports byte columns; the math compiler's own errors are raised above, in characters
        raise exc.in_characters(code) from None
    clock.lap("run")
    graph = None
    if wants_graph:
        with paused():
            graph = build_graph(run, code, limits.max_value_elements, settings.graph_backward_calls)
            graph = fold_repeats(graph)
        clock.lap("trace")
    return Outcome(code, run, {}, notes, line_map, graph, {}, read_as)


def _drawn(
    traced: Outcome, request: RunRequest, settings: Settings, deadline: float, clock: _Clock
) -> Outcome:
    """The outcome with the pictures the request asks for, and their notes."""
    notes, renderings = traced.notes, {}
    graph, pictures = traced.graph, set(request.formats) & PICTURES
    picked = None
    if graph is not None and (pictures or request.detail == "drawn"):
        picked = _picture_graph(graph, request, settings)
        notes += _unknown_ids(graph, request)
    if picked is not None and pictures:
        renderings, render_notes = _render(traced.run, picked, request, settings, deadline)
        notes += render_notes
        clock.lap("render")
    complete = all(renderings.get(fmt) is not None for fmt in pictures)
    if request.detail == "drawn" and picked is not None:
        traced = _slim(traced, picked, settings)
        clock.lap("slim")
    return replace(
        traced, timings_ms=clock.timings, notes=notes, renderings=renderings, complete=complete
    )


def _slim(traced: Outcome, picked: _Picked, settings: Settings) -> Outcome:
    """The outcome cut to what the playground's picture draws (app/trace/slim.py): its nodes,
    the edges as drawn (those that cross a box's border meet the box), and the program's
    tensors those do not hide, at most `page_max_rows` of them."""
    assert traced.graph is not None
    ids = picked.ids
    graph, left_out = drawn(traced.graph, ids, picked.hidden)
    if picked.dropped:  # the node cap's cut: no box, no cluster
        graph = replace(
            graph,
            groups=tuple(g for g in graph.groups if g.id not in picked.dropped),
            modules=tuple(m for m in graph.modules if m.id not in picked.dropped),
        )
    hidden = hidden_names(traced.graph, ids)
    named = [(name, state) for name, state in traced.run.tensors.items() if name not in hidden]
    kept = dict(named[: settings.page_max_rows])
    counts = {**left_out.to_json(), "tensors": len(traced.run.tensors) - len(kept)}
    run = replace(traced.run, tensors=kept)
    return replace(traced, run=run, graph=graph, left_out=counts)


@dataclass(frozen=True, slots=True)
class _Picked:
    """What the playground's picture draws: its graph, the module calls it shuts, and the ids
    of what it draws (nodes, and the boxes of folds and shut calls: each counts one)."""

    shown: Graph
    collapsed: frozenset[str]
    ids: frozenset[str]
    hidden: dict[str, str]  # node → the box (fold or shut call) that draws it
    whole: Graph  # the graph the request unfolds, not summarised (the torchviz style's)
    shut: frozenset[str]  # the module calls it shuts
    dropped: frozenset[str] = frozenset()  # folds and calls the node cap's cut left out


def _picture_graph(graph: Graph, request: RunRequest, settings: Settings) -> _Picked:
    """The folds and calls the request expands drawn in full (`fold` wins over `unfold` for
    the same id); past `max_graph_nodes`, the drawn part nearest the output, with the folds'
    boxes and the module calls it holds."""
    unfold = set(request.unfold) - set(request.fold)
    if unfold:
        graph = replace(graph, groups=tuple(g for g in graph.groups if g.id not in unfold))
    collapsed = collapsed_modules(graph, settings.graph_module_collapse_nodes, unfold, request.fold)
    hidden = hidden_by_boxes(graph, collapsed)
    picked = _Picked(graph, collapsed, drawn_ids(graph, hidden), hidden, graph, collapsed)
    if len(picked.ids) <= settings.max_graph_nodes:
        return picked
    shown = summarise(graph, settings.max_graph_nodes, hidden)
    kept = collapsed & {module.id for module in shown.modules}
    hidden = hidden_by_boxes(shown, kept)
    dropped = frozenset(_box_ids(graph) - _box_ids(shown))
    return _Picked(shown, kept, drawn_ids(shown, hidden), hidden, graph, collapsed, dropped)


def _box_ids(graph: Graph) -> set[str]:
    return {group.id for group in graph.groups} | {module.id for module in graph.modules}


def _unknown_ids(graph: Graph, request: RunRequest) -> tuple[str, ...]:
    """A note for each `unfold`/`fold` id that names no fold or module call of this graph
    (ids come from an earlier answer: a changed program may have other folds): ignored."""
    known = _box_ids(graph)
    notes = []
    for field_name, ids in (("unfold", request.unfold), ("fold", request.fold)):
        unknown = [i for i in dict.fromkeys(ids) if i not in known]
        if unknown:
            notes.append(
                f"{field_name}: {', '.join(unknown)} names no fold or module call of this "
                "graph; ignored."
            )
    return tuple(notes)


def traces_kept() -> int:
    """The estimated bytes of every run this process has kept for drawing again so far
    (app/traced.py)."""
    return TRACED.stored


def _keep(key: Hashable, outcome: Outcome, settings: Settings) -> None:
    """Keeps the outcome as drawing needs it: its run's plain records (no live tensor, no
    recorder) and its graph, without a picture."""
    graph = outcome.graph
    assert graph is not None
    run = replace(outcome.run, namespace={}, recorder=None)
    size = estimated_bytes(len(graph.nodes) + len(graph.edges), _graph_values(graph))
    limit = settings.graph_reuse_megabytes * 2**20
    TRACED.put(key, replace(outcome, run=run), size, settings.graph_reuse_entries, limit)


def _graph_values(graph: Graph) -> Iterator[Any]:
    for node in graph.nodes:
        yield from (getattr(node, "value", None), getattr(node, "grad", None),
                    getattr(node, "flow_grad", None))  # fmt: skip
    for edge in graph.edges:
        yield edge.grad
    for call in graph.backward_calls:
        yield from call.grads.values()


def _source_code(
    request: RunRequest, limits: Limits
) -> tuple[str, tuple[str, ...], dict[int, int] | None, tuple[str, ...]]:
    """The PyTorch program to run: the source itself, or what math notation compiles to (with
    notes that echo how the formula was read, so a misreading is visible at once)."""
    source = request.source.replace("\r\n", "\n")
    if request.mode != "math":
        return source, (), None, ()
    compiled = compile_math(source, request.inputs, limits)
    notes = tuple(f"read as: {line}" for line in compiled.read_as)
    notes += tuple(f"{name} was not given and defaults to 1.0" for name in compiled.defaulted)
    if compiled.summed:
        notes += (f"{compiled.output} is not a scalar: backward() runs on {compiled.output}.sum()",)
    return compiled.code, notes, compiled.line_map, compiled.read_as


def _render(
    run: Run, picked: _Picked, request: RunRequest, settings: Settings, deadline: float
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    max_nodes = settings.max_graph_nodes
    # a layout may use what is left of the run's wall time, and never more than layout_seconds
    timeout = max(0.01, min(settings.layout_seconds, deadline - time.perf_counter()))
    notes: tuple[str, ...] = ()
    dot = shown = None
    collapsed: frozenset[str] = frozenset()
    look = Look(request.lang, request.background, request.scale, request.rankdir)
    if request.style == "torchviz":
        try:
            drawn = torchviz_dot(run, max_nodes)
            # grouped by the whole graph's module calls and folds, as the request shuts them
            options = (picked.shut, palette(look.background), look.lang)
            dot, nodes = grouped(drawn.dot, drawn.nodes, picked.whole, drawn.ids, options)
        except TorchvizUnavailable as exc:
            notes = (f"torchviz style unavailable ({exc}): showing the playground style",)
    if dot is None:
        shown, collapsed, nodes = picked.shown, picked.collapsed, len(picked.ids)
        notes += shown.notes
        dot = to_dot(shown, request.direction, request.legend, look, collapsed)
    out: dict[str, str | None] = {}
    try:
        dot = bounded(dot, nodes, max_nodes)  # every style's picture: one set of bounds
        if "dot" in request.formats:
            out["dot"] = dot
        if "svg" in request.formats:
            svg = PICTURE_REUSE.svg(dot, timeout, reuse=settings.picture_reuse)
            # The playground's own picture says what it shows (torchviz's ids are torchviz's)
            drawn = svg if shown is None else accessible(svg, shown, look, collapsed)
            out["svg"] = scaled(drawn, look.scale)
        if "png" in request.formats:
            png = layout(bitmap(dot, request.scale), "png", timeout)
            out["png"] = base64.b64encode(png).decode("ascii")
    except (LayoutError, TooManyNodes) as exc:
        notes += (f"The picture could not be drawn: {exc}",)
        out.update({fmt: None for fmt in ("dot", "svg", "png") if fmt in request.formats
                    and fmt not in out})  # fmt: skip
    return out, notes


def payload(outcome: Outcome, records: bool = False) -> dict[str, Any]:
    """The answer's JSON data. `records`: the graph's records left as they are, for orjson,
    which writes them to the same bytes (the json module cannot: leave it False for it)."""
    run = outcome.run
    lines = outcome.line_map
    body: dict[str, Any] = {
        "ok": run.error is None,
        "code": outcome.code,
        "device": run.device,
        "notes": list(outcome.notes),
        "read_as": list(outcome.read_as),
        "steps": [
            {
                "line": step.line,
                "source_line": _source_line(step.line, lines),
                "source": step.source,
                "status": step.status,
                "output": step.output,
                "warnings": step.warnings,
                "error": _error(step.error, lines),
            }
            for step in run.steps
        ],
        "error": _error(run.error, lines),
        "tensors": {name: plain(state) for name, state in run.tensors.items()},
        "timings_ms": outcome.timings_ms,
    }
    body["training"] = plain(run.training)
    if outcome.graph is not None:
        body["graph"] = outcome.graph.records() if records else outcome.graph.to_json()
        if outcome.left_out is not None:
            body["graph"].update(detail="drawn", left_out=outcome.left_out)
    body.update(outcome.renderings)
    return body


def _source_line(line: int, line_map: dict[int, int] | None) -> int | None:
    """The line the user typed; in math mode, None for lines the compiler added (leaves)."""
    return line if line_map is None else line_map.get(line)


def _error(error: StepError | None, lines: dict[int, int] | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {
        "type": error.type,
        "message": error.message,
        "line": error.line,
        "source_line": _source_line(error.line, lines),
        "hint": error.hints["en"],
        "hints": error.hints,
    }
