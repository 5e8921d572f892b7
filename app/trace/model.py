"""The graph model: plain, JSON-ready data, independent of torch.

docs/ARCHITECTURE.md, "The graph model", describes it.

Ids come from creation order (`t0`, `f0`, `e0`, ...), never from `id()`, so the same program always
gives the same graph, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.plain import plain


@dataclass(frozen=True, slots=True)
class SourceSpan:
    line: int
    col: int
    end_line: int | None
    end_col: int | None


@dataclass(frozen=True, slots=True)
class TensorNode:
    id: str
    names: tuple[str, ...]
    label: str
    role: str  # leaf | intermediate | output | constant | detached
    span: SourceSpan | None
    shape: tuple[int, ...]
    dtype: str
    device: str
    value: Any
    grad: Any
    flow_grad: Any
    requires_grad: bool
    is_leaf: bool
    retains_grad: bool
    version: int
    detached_from: str | None
    truncated: bool
    summary: dict[str, Any] | None
    kind: str = "tensor"


@dataclass(frozen=True, slots=True)
class SavedSlot:
    name: str
    shape: tuple[int, ...] | None
    freed: bool


@dataclass(frozen=True, slots=True)
class FunctionNode:
    id: str
    op: str
    label: str
    saved: tuple[SavedSlot, ...]
    attrs: dict[str, Any]
    executed: bool
    kind: str = "function"

    @property
    def freed(self) -> bool:
        return any(slot.freed for slot in self.saved)


@dataclass(frozen=True, slots=True)
class Edge:
    id: str
    source: str
    target: str
    kind: str  # data | constant | detached | view | gradient
    grad: Any


@dataclass(frozen=True, slots=True)
class ParameterChange:
    """What the last `optimizer.step()` did to one parameter (a tensor node of the graph)."""

    tensor: str  # the tensor node's id
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class OptimizerStepInfo:
    number: int  # 1 for the run's first optimizer.step(), ...
    changes: tuple[ParameterChange, ...]


@dataclass(frozen=True, slots=True)
class BackwardCallInfo:
    """One backward / autograd.grad call: what ran, in order, and the gradient on each edge."""

    number: int  # 1 for the run's first backward call, ...
    line: int
    step: int  # the statement (1-based, in execution order) that made the call
    completed: bool  # False when it raised
    roots: tuple[str, ...]  # the tensors it started from
    order: tuple[str, ...]  # function ids, in the order PyTorch executed them
    grads: dict[str, Any]  # edge id → the gradient along it in this call (edges it reached)


@dataclass(frozen=True, slots=True)
class ErrorMark:
    """Where an error (or the non-leaf `.grad` warning) sits in the graph, and why."""

    node: str
    reason: str  # freed | modified | saved_by | non_scalar | no_grad | non_leaf_grad
    message: str  # torch's exact message
    line: int
    backward_call: int | None = None  # freed: the call that freed the saved tensors
    version: int | None = None  # modified: the tensor's version now
    saved_version: int | None = None  # modified / saved_by: the version that was saved


@dataclass(frozen=True, slots=True)
class Fold:
    """Iterations of a loop that built the same shape of graph, folded into one `×count` box:
    `nodes` are the folded iterations' nodes, `shown` the last iteration's, drawn in full."""

    id: str  # g0, g1, ...
    count: int  # iterations folded (the one drawn in full not counted)
    lines: tuple[int, int]  # first and last source line of the loop body's operations
    nodes: tuple[str, ...]
    shown: tuple[str, ...]
    kind: str = "fold"


@dataclass(frozen=True, slots=True)
class ModuleGroup:
    """One call of an `nn.Module` (app/trace/modules.py): the nodes it made, its children's
    included (each node's innermost call is the deepest one holding it)."""

    id: str  # m0, m1, ... in the order the calls were made
    path: str  # where the program reaches the module: `net.0`, `model.encoder.layers.1.linear`
    type: str  # its class name: `Linear`, or the program's own class
    library: bool  # a torch.nn class (False: a class the program defined)
    parent: str | None  # the enclosing call (`nn.Sequential` → its children), None from the program
    inputs: tuple[tuple[int, ...], ...]  # shapes of its tensor arguments
    outputs: tuple[tuple[int, ...], ...]  # shapes of the tensors it returned
    nodes: tuple[str, ...]
    arguments: tuple[str, ...] = ()  # the tensor nodes it was called with (those in the graph)
    kind: str = "module"


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[TensorNode | FunctionNode, ...]
    edges: tuple[Edge, ...]
    backward_order: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default=())
    optimizer_step: OptimizerStepInfo | None = None
    backward_calls: tuple[BackwardCallInfo, ...] = ()
    errors: tuple[ErrorMark, ...] = ()
    groups: tuple[Fold, ...] = ()
    modules: tuple[ModuleGroup, ...] = ()
    # tensor node id → the loop iterations it was made in, (loop run, iteration) pairs,
    # outermost first (app/engine/loops.py): what folding reads; not part of the answer
    made_in: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    @property
    def error_nodes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(mark.node for mark in self.errors))

    def to_json(self) -> dict[str, Any]:
        return {name: plain(value) for name, value in self.records().items()}

    def records(self) -> dict[str, Any]:
        """The answer's graph fields with the records themselves as values: orjson writes
        dataclasses and tuples natively, to the same bytes as `to_json`'s plain data, several
        times faster than converting them; `to_json` is this, converted (one list of fields)."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "backward_order": self.backward_order,
            "backward_calls": self.backward_calls,
            "error_nodes": self.error_nodes,
            "errors": self.errors,
            "notes": self.notes,
            "optimizer_step": self.optimizer_step,
            "groups": self.groups,
            "modules": self.modules,
        }
