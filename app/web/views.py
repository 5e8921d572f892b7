"""View models: everything a template shows, already formatted, as typed frozen records.

Templates branch and loop over these fields and compute nothing. tests/test_web_partials.py
renders each template with StrictUndefined and checks that the fields they read are exactly the
fields declared here. Building them from a run lives in app/web/build.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.web.i18n import Labels

HIDEABLE = ("editor", "console", "table", "slider", "lessons")


@dataclass(frozen=True, slots=True)
class Chrome:
    """What surrounds the program view: the full page, or /embed with its URL options."""

    embed: bool
    big: bool
    editable: bool
    hide: str  # normalised `hide=` value, posted back with every run
    show_editor: bool
    show_console: bool
    show_table: bool
    show_slider: bool
    show_lessons: bool
    present: bool = False  # presenter mode: the graph fills the frame, only the step controls


@dataclass(frozen=True, slots=True)
class InfoRow:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    shape: str
    state: str  # "freed" / "kept", in the page's language
    freed: bool


@dataclass(frozen=True, slots=True)
class ValueTable:
    """A tensor's full values (or gradient) as a table, each cell coloured on the heatmap scale
    the picture's thumbnail uses: `rows` are (text, css class) pairs."""

    label: str
    low: str
    high: str
    rows: tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True, slots=True)
class NodeView:
    id: str
    is_tensor: bool
    title: str
    subtitle: str
    tip: tuple[InfoRow, ...]
    facts: tuple[InfoRow, ...]
    blocks: tuple[InfoRow, ...]  # full values / gradients, multi-line
    saved: tuple[SavedView, ...]
    saved_heading: str  # "" for tensors
    line: int  # line in the editor, 0 when the node has no span there
    col: int  # 0-based column, -1 for "the whole line"
    end_line: int
    end_col: int
    error: str  # why the run's error is about this node ("": it is not)
    tables: tuple[ValueTable, ...] = ()  # heatmap tables of a tensor too big to print in a node
    receives: tuple[str, ...] = ()  # the edges into it, in words ("receives 6 from x")


@dataclass(frozen=True, slots=True)
class FlowView:
    edge_id: str
    grad: str
    receiver: str
    receiver_id: str = ""  # the node the gradient reaches (the keyboard visits it next)


@dataclass(frozen=True, slots=True)
class BackwardStepView:
    fn_id: str
    title: str
    call: str  # "backward call 2" on the first op of the call shown, else ""
    edge_ids: str  # space separated, for data-edges
    flows: tuple[FlowView, ...]


@dataclass(frozen=True, slots=True)
class TensorRow:
    name: str
    value: str
    grad: str
    requires_grad: str
    is_leaf: str
    grad_fn: str


@dataclass(frozen=True, slots=True)
class ConsoleLine:
    where: str
    kind: str  # output | warning | error
    text: str


@dataclass(frozen=True, slots=True)
class ProblemView:
    kind: str  # error (raised while running) | refusal (the language refused the program)
    title: str
    message: str  # verbatim
    hint: str
    where: str
    line: int  # 0: no line
    col: int  # -1: no column


@dataclass(frozen=True, slots=True)
class StepView:
    total: int
    value: int
    field: str  # the hidden `step` field: "" means "all statements"
    caption: str
    line: int  # the editor line of the last statement run (0: none)


@dataclass(frozen=True, slots=True)
class ChartTick:
    """A grid line across the plot and its label; coordinates in the chart's viewBox units."""

    x1: str
    y1: str
    x2: str
    y2: str
    text_x: str
    text_y: str
    label: str


@dataclass(frozen=True, slots=True)
class ChartText:
    x: str
    y: str
    text: str


@dataclass(frozen=True, slots=True)
class ChartDot:
    """A point with no drawable neighbour (one backward call, or between nan/null values)."""

    x: str
    y: str


@dataclass(frozen=True, slots=True)
class ChartLine:
    key: str  # "key-0".."key-3": the CSS class that colours it (and its legend swatch)
    label: str  # "loss", "w", "w[0, 1]"
    segments: tuple[str, ...]  # `points` of one polyline per unbroken run of numbers
    dots: tuple[ChartDot, ...]
    last: str  # "last 1.999", for the legend ("" when no number was drawn)


@dataclass(frozen=True, slots=True)
class ChartTruth:
    """The value the lesson's data were made from: a dashed line across the plot, labelled."""

    key: str
    x1: str
    x2: str
    y: str
    label: ChartText


@dataclass(frozen=True, slots=True)
class ChartView:
    kind: str  # loss | parameter
    name: str  # "loss" or the parameter's series name ("net.0.weight")
    title: str
    description: str  # the chart in words: the SVG's <title> and aria-label
    view_box: str
    scale: str  # linear | log
    plot_x: str
    plot_y: str
    plot_width: str
    plot_height: str
    x_ticks: tuple[ChartTick, ...]
    y_ticks: tuple[ChartTick, ...]
    x_label: ChartText
    y_label: ChartText
    lines: tuple[ChartLine, ...]
    truths: tuple[ChartTruth, ...]


@dataclass(frozen=True, slots=True)
class TrainingView:
    """The loss and the parameters at each backward call of the run, as small charts."""

    summary: str
    expanded: bool  # the panel starts open (more than one backward call)
    notes: tuple[str, ...]
    charts: tuple[ChartView, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    css: str  # the swatch's class: module, module-box or fold
    label: str


@dataclass(frozen=True, slots=True)
class ResultView:
    kind: str  # ok | error | refusal
    svg: str  # the rendered SVG ("" for none): the only value a template marks safe
    has_graph: bool
    problem: ProblemView | None
    notes: tuple[str, ...]
    nodes: tuple[NodeView, ...]
    backward: tuple[BackwardStepView, ...]
    tensors: tuple[TensorRow, ...]
    console: tuple[ConsoleLine, ...]
    code: str
    show_code: bool
    step: StepView
    training: TrainingView | None  # None: the run made no backward call
    read_as: tuple[str, ...] = ()  # math mode: how the formula was read ("z = 2·x + x·y")
    layout: str = "wide"  # wide: laid out left to right; tall: top to bottom (app/web/page.py)
    tab_order: str = ""  # node ids, inputs first (app/web/order.py): the order Tab visits them
    # the legend's entries for how the picture groups nodes, only those it draws
    groupings: tuple[LegendEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class InputRow:
    name: str
    value: str
    field_id: str


@dataclass(frozen=True, slots=True)
class InputsView:
    math: bool  # shown only in math mode
    mode: str  # the mode these rows were made for (posted back: "did the names change?")
    rows: tuple[InputRow, ...]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class LessonView:
    title: str
    explanation: str


@dataclass(frozen=True, slots=True)
class LinkView:
    label: str
    href: str
    lang: str
    current: bool


@dataclass(frozen=True, slots=True)
class PageView:
    t: Labels
    chrome: Chrome
    page_path: str  # "/" or "/embed": where the lesson picker and language links go
    source: str
    gutter: tuple[int, ...]
    modes: tuple[Option, ...]
    inputs: InputsView
    devices: tuple[Option, ...]
    lessons: tuple[Option, ...]
    lesson: LessonView | None
    languages: tuple[LinkView, ...]
    result: ResultView
    lang: str
    share_url: str
    embed_code: str
    playground_url: str
    notice: str
    unfold: str  # the ids the picture draws in full, space-separated (a hidden form field)
    fold: str  # the module calls it draws as one box


@dataclass(frozen=True, slots=True)
class RunPart:
    """The context of the htmx answer to POST /run: the result, the side column (out of band)
    and, when the free variables changed, the inputs table (out of band)."""

    t: Labels
    chrome: Chrome
    result: ResultView
    inputs: InputsView
    inputs_changed: bool


def context(view: PageView | RunPart) -> dict[str, object]:
    """A template context from a view model: its fields, by name, and nothing else."""
    return {name: getattr(view, name) for name in type(view).__slots__}
