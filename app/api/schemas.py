"""Request and response shapes of the JSON API, as documented in the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import TypeAliasType

Scalar = float | int | str | bool | None
NonFinite = Literal["nan", "inf", "-inf"]
Number = float | int | bool | NonFinite | None
TYPED_DIMS = 6


def _values() -> Any:
    """A tensor's values: a number (or "nan", "inf", "-inf", which JSON cannot write), or nested
    lists of them; null where a value is not there (no .grad, or past the element cap). Typed to
    TYPED_DIMS levels, then any list: client generators (openapi-python-client) cannot follow a
    union that refers to itself through an array."""
    inner: Any = list[Any]
    for depth in range(TYPED_DIMS, 0, -1):
        inner = TypeAliasType(f"Values{depth}D", Number | list[inner])  # type: ignore[misc]
    return TypeAliasType("Values", Number | list[inner])  # type: ignore[misc]


Values = _values()


class RunBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # minLength in the schema only: the language refuses an empty program (422 `syntax`), and
    # pydantic's length check would refuse a lone surrogate before the language can name it.
    source: str = Field(
        description="A PyTorch program, or math notation when mode is 'math'.",
        json_schema_extra={"minLength": 1},
    )
    mode: Literal["python", "math"] = "python"
    inputs: dict[str, float | list[float]] = Field(
        default_factory=dict, description="Math mode: leaf values by name."
    )
    device: str = Field("cpu", description="'cpu', 'cuda', 'cuda:N' or 'mps' where available.")
    formats: list[Literal["graph", "svg", "dot", "png"]] = Field(
        default_factory=list, description="Extra renderings of the autograd graph."
    )
    step: int | None = Field(
        None,
        ge=0,
        le=999_999_999,
        description="Stop after this many executed statements (step through a run).",
    )
    direction: Literal["forward", "backward"] = Field(
        "forward", description="Draw arrows the way data flows, or the way gradients flow."
    )
    style: Literal["playground", "torchviz"] = Field(
        "playground", description="'torchviz' draws what torchviz.make_dot draws."
    )
    legend: bool = Field(True, description="Draw a legend of the colours in the picture.")
    scale: float = Field(1.0, ge=0.5, le=4.0, description="Picture size: 2 = twice as large.")
    background: Literal["transparent", "white", "dark"] = Field(
        "transparent", description="'dark' draws with a palette for a dark slide theme."
    )
    lang: Literal["en", "zh"] | None = Field(
        None, description="Language of the picture's words and refusals (default: Accept-Language)."
    )
    rankdir: Literal["LR", "TB"] = Field(
        "LR", description="'TB' lays the picture out top to bottom (a phone's page asks for it)."
    )
    unfold: list[Annotated[str, StringConstraints(pattern=r"^[gm][0-9]{1,6}$")]] = Field(
        default_factory=list,
        max_length=64,
        description="Folds (graph.groups ids: g0, ...) and module calls (graph.modules ids: m0, "
        "...) to draw in full instead of as one box.",
    )
    fold: list[Annotated[str, StringConstraints(pattern=r"^[gm][0-9]{1,6}$")]] = Field(
        default_factory=list,
        max_length=64,
        description="Folds (g0, ...) and module calls (m0, ...) to draw as one box, over the "
        "default (folds and torch.nn calls of a large graph shut, a program's own modules "
        "open) and over `unfold` for the same id. An id of no fold or call of this graph is "
        "ignored, with a note.",
    )
    detail: Literal["full", "drawn"] = Field(
        "full",
        description="'drawn': the graph only as the picture draws it (its nodes, the edges "
        "between them and their gradients, fold and module boxes) and only the tensors those "
        "hold, with counts of the rest in graph.left_out: a big graph's answer stays small.",
    )


class ErrorInfo(BaseModel):
    type: str = Field(description="The exception's type, e.g. RuntimeError.")
    message: str = Field(description="The exception's message, verbatim from torch or Python.")
    line: int = Field(description="1-based line in `code`.")
    source_line: int | None = Field(
        description="The line in what the user typed (math mode: None for lines it added)."
    )
    hint: str = Field(description="What it means and how to fix it, in English.")
    hints: dict[str, str] = Field(description="The hint by language: 'en' and 'zh'.")


class StepInfo(BaseModel):
    line: int = Field(description="1-based line in `code`.")
    source_line: int | None = Field(
        description="The line in what the user typed (math mode: None for lines it added)."
    )
    source: str
    status: Literal["ok", "error"]
    output: str = Field(
        description="What the statement printed (a bare expression shows its value)."
    )
    warnings: list[str]
    error: ErrorInfo | None


class TensorInfo(BaseModel):
    value: Values
    grad: Values
    shape: list[int]
    dtype: str
    device: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    retains_grad: bool
    version: int
    truncated: bool = Field(description="True when value/grad exceed the element cap (null).")
    summary: dict[str, Scalar] | None


class SpanInfo(BaseModel):
    line: int
    col: int
    end_line: int | None
    end_col: int | None


class TensorNodeInfo(BaseModel):
    kind: Literal["tensor"]
    id: str = Field(description="Stable id from creation order: t0, t1, ...")
    names: list[str]
    label: str
    role: Literal["leaf", "intermediate", "output", "constant", "detached"] = Field(
        description="constant: requires no grad (a constant, a no_grad result, or a Python "
        "number the op took as a tensor); detached: a detach() or .data result."
    )
    span: SpanInfo | None
    shape: list[int]
    dtype: str
    device: str
    value: Values
    grad: Values = Field(description="`.grad` exactly as PyTorch exposes it.")
    flow_grad: Values = Field(description="The gradient that flowed into it in the last backward.")
    requires_grad: bool
    is_leaf: bool
    retains_grad: bool
    version: int
    detached_from: str | None = Field(
        description="For a detach() or .data result: the tensor node it was detached from."
    )
    truncated: bool
    summary: dict[str, Scalar] | None


class SavedInfo(BaseModel):
    name: str
    shape: list[int] | None
    freed: bool = Field(description="Freed by a backward without retain_graph.")


class FunctionNodeInfo(BaseModel):
    kind: Literal["function"]
    id: str = Field(description="Stable id: f0, f1, ... (inputs before the ops that use them).")
    op: str = Field(
        description="type(grad_fn).__name__, as print(t.grad_fn) shows it: MulBackward0, "
        "AccumulateGrad, CopySlices."
    )
    label: str
    saved: list[SavedInfo]
    attrs: dict[str, Any]
    executed: bool


class EdgeInfo(BaseModel):
    id: str
    source: str
    target: str
    kind: Literal["data", "constant", "detached", "view", "gradient"] = Field(
        description="data: an autograd edge; constant: an operand PyTorch keeps no autograd "
        "edge for, into its op (or a constant's lineage), no gradient flows along it; detached: "
        "a tensor to its detach()/.data result; view: a base to its view; gradient: backward's "
        "gradient argument into its root."
    )
    grad: Values = Field(description="The gradient that flowed along it in the last backward.")


class BackwardCallInfo(BaseModel):
    number: int = Field(description="1 for the run's first backward / autograd.grad call, ...")
    line: int = Field(description="The line of the call, in `code`.")
    step: int = Field(description="The statement (1-based, in execution order) that made it.")
    completed: bool = Field(description="False when the call raised.")
    roots: list[str] = Field(description="The tensor nodes it started from (in the picture).")
    order: list[str] = Field(description="Function ids, in the order PyTorch executed them.")
    grads: dict[str, Values] = Field(
        description="Edge id → the gradient along it in this call (edges the call reached)."
    )


class ErrorMarkInfo(BaseModel):
    node: str = Field(description="The node the error is about.")
    reason: Literal["freed", "modified", "saved_by", "non_scalar", "no_grad", "non_leaf_grad"]
    message: str = Field(description="Torch's exact error (or warning) text.")
    line: int
    backward_call: int | None = Field(
        description="freed: the backward call that freed the saved tensors."
    )
    version: int | None = Field(description="modified: the tensor's version now.")
    saved_version: int | None = Field(description="modified / saved_by: the version saved.")


class FoldInfo(BaseModel):
    id: str = Field(description="g0, g1, ...: the id of the fold's box in the picture.")
    kind: Literal["fold"]
    count: int = Field(description="Iterations folded (the last, drawn in full, not counted).")
    lines: list[int] = Field(description="First and last source line of the loop body's ops.")
    nodes: list[str] = Field(description="The folded iterations' node ids (not drawn).")
    shown: list[str] = Field(description="The last iteration's node ids, drawn in full.")


class ModuleInfo(BaseModel):
    id: str = Field(description="m0, m1, ... in call order: the id of its cluster or box.")
    kind: Literal["module"]
    path: str = Field(description="Where the program reaches it: 'net.0', 'model.encoder.1'.")
    type: str = Field(description="Its class name: 'Linear', or the program's own class.")
    library: bool = Field(description="A torch.nn class (false: the program's own class).")
    parent: str | None = Field(description="The enclosing module call (null: the program's).")
    inputs: list[list[int]] = Field(description="Shapes of its tensor arguments.")
    outputs: list[list[int]] = Field(description="Shapes of the tensors it returned.")
    nodes: list[str] = Field(description="The node ids it made (its children's included).")
    arguments: list[str] = Field(description="The tensor nodes it was called with.")


class ParameterChangeInfo(BaseModel):
    tensor: str = Field(description="The parameter's tensor node id.")
    before: Values
    after: Values


class OptimizerStepInfo(BaseModel):
    number: int = Field(description="Which optimizer.step() of the run this was (1, 2, ...).")
    changes: list[ParameterChangeInfo]


class LeftOutInfo(BaseModel):
    nodes: int = Field(description="Graph nodes not drawn (inside a fold or a shut module box).")
    edges: int = Field(description="Edges not between two drawn nodes.")
    backward_steps: list[int] = Field(
        description="Per backward call (as backward_calls), the steps of its order not drawn."
    )
    tensors: int = Field(
        description="The program's tensors left out: bound to a node not drawn, or past "
        "PLAYGROUND_PAGE_MAX_ROWS."
    )


class GraphInfo(BaseModel):
    nodes: list[TensorNodeInfo | FunctionNodeInfo]
    edges: list[EdgeInfo]
    backward_order: list[list[str]] = Field(
        description="Per backward call, the function ids in the order PyTorch executed them."
    )
    backward_calls: list[BackwardCallInfo] = Field(
        description="Each backward call with its own gradients (bounded: "
        "PLAYGROUND_GRAPH_BACKWARD_CALLS; past it the first and the last, and a note)."
    )
    error_nodes: list[str] = Field(description="Ids of the nodes the run's error is about.")
    errors: list[ErrorMarkInfo] = Field(description="Why each error node is one.")
    notes: list[str]
    optimizer_step: OptimizerStepInfo | None = Field(
        description="What the last optimizer.step() changed (null: no step)."
    )
    groups: list[FoldInfo] = Field(
        description="A loop's iterations that built the same shape of graph, folded into one box."
    )
    modules: list[ModuleInfo] = Field(
        description="Each nn.Module call and the nodes it made: a cluster in the picture, or "
        "one box when collapsed (request: unfold / fold)."
    )
    detail: Literal["full", "drawn"] = Field(
        "full",
        description="'drawn' (request detail 'drawn'): only what the picture draws; absent "
        "from a full answer.",
    )
    left_out: LeftOutInfo | None = Field(
        None, description="detail 'drawn': how much of the run the answer leaves out."
    )


class ParameterSeriesInfo(BaseModel):
    name: str = Field(description="'w', or a module's parameter as 'net.0.weight'.")
    shape: list[int]
    kind: Literal["value", "norm"] = Field(description="Points are its value, or its L2 norm.")
    points: list[Values] = Field(description="One per backward call; null while unbound.")
    elements: list[Values] | None = Field(description="Per call, every value (2 to 4 elements).")


class TrainingInfo(BaseModel):
    calls: int = Field(description="Backward calls in the run: the x axis is 1..calls.")
    lines: list[int] = Field(description="The source line of each backward call.")
    loss: list[Values] = Field(description="The backward root's value at each call.")
    parameters: list[ParameterSeriesInfo]
    truncated: bool


class RunResponse(BaseModel):
    ok: bool
    code: str = Field(description="The PyTorch source that ran (compiled form in math mode).")
    device: str
    notes: list[str]
    read_as: list[str] = Field(
        default_factory=list,
        description="Math mode: each statement typeset as it was read, e.g. 'z = 2·x + x·y'.",
    )
    steps: list[StepInfo]
    error: ErrorInfo | None
    tensors: dict[str, TensorInfo]
    timings_ms: dict[str, float]
    training: TrainingInfo | None = Field(
        description="The loss and the parameters at each backward call (null: no backward)."
    )
    graph: GraphInfo | None = Field(None, description="With formats: graph.")
    svg: str | None = Field(None, description="With formats: svg (inline-safe SVG).")
    dot: str | None = Field(None, description="With formats: dot.")
    png: str | None = Field(
        None,
        description="With formats: png (base64).",
        json_schema_extra={"contentEncoding": "base64", "contentMediaType": "image/png"},
    )


class Problem(BaseModel):
    """An RFC 9457 problem (`application/problem+json`): every refusal and failure."""

    type: str = Field(description="A URI for the kind of problem: /docs/problems#<kind>.")
    title: str = Field(description="The kind in words, in the Accept-Language asked for.")
    status: int
    detail: str = Field(description="What happened, in English.")
    instance: str | None = Field(None, description="The path the request was for.")
    kind: Literal[
        "syntax", "not_allowed", "limit", "device", "request", "not_found",
        "method_not_allowed", "timeout", "too_large", "rate_limited", "busy",
        "worker_lost", "internal",
    ]  # fmt: skip
    line: int | None = Field(None, description="Where in the program (1-based), if anywhere.")
    col: int | None = Field(None, description="0-based column in characters.")
    limit: str | None = Field(None, description="kind 'limit': the setting, e.g. max_steps.")
    value: float | int | None = Field(None, description="kind 'limit': the setting's value.")
    hints: dict[str, str] | None = Field(
        None, description="Math mode: what to write instead, by language ('en', 'zh')."
    )
    errors: list[FieldError] | None = Field(None, description="kind 'request': per field.")


class FieldError(BaseModel):
    loc: list[str]
    msg: str


class Health(BaseModel):
    status: Literal["ok", "no workers"]
    torch: str = Field(description="The PyTorch version programs run on.")
    redis: Literal["ok", "down"] | None = Field(
        None, description="The shared store's state, when PLAYGROUND_REDIS_URL is set."
    )


class Devices(BaseModel):
    devices: list[str]
    default: str


class LessonInfo(BaseModel):
    id: str = Field(description="A stable slug: /?lesson=<id>.")
    title: dict[str, str] = Field(description="By language: 'en' and 'zh'.")
    explanation: dict[str, str] = Field(description="One paragraph, by language.")
    mode: Literal["python", "math"]
    source: str
    inputs: dict[str, float | list[float]]
    truth: dict[str, Any] = Field(
        description="Training lessons: the parameters they should find, by series name."
    )
