"""Walking a run's tensors and grad_fn nodes into a Graph (the drawing is render's job).

Forward direction, as torchviz draws it: a leaf → its AccumulateGrad → each op that used it →
the op's output tensor (when the program made one) → the ops that used that tensor → ... Each
edge carries the gradient that flowed along it in the last backward, observed by the recorder.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

import torch
from torch.autograd.graph import Node

from app.engine.loops import LoopPath
from app.engine.recorder import BackwardCall, Operand, Produced, Recorder, saved_slots
from app.engine.records import Run
from app.engine.snapshot import json_safe, values_of, version_of
from app.engine.training import named_parameters
from app.lang.errors import char_column
from app.lang.program import source_segment, split_source
from app.trace.calls import GradSource, backward_calls
from app.trace.errors import error_marks
from app.trace.model import (
    Edge,
    FunctionNode,
    Graph,
    OptimizerStepInfo,
    ParameterChange,
    SavedSlot,
    SourceSpan,
    TensorNode,
)
from app.trace.modules import module_groups
from app.trace.operands import constant_tensors, lineage, promoted_numbers

_LABEL_CHARS = 32


def build_graph(run: Run, source: str, max_elements: int, max_calls: int = 20) -> Graph:
    """`max_calls`: backward calls listed with their gradients in full (past it, the first and
    the last ones, and a note)."""
    recorder = run.recorder or Recorder()
    builder = _Builder(run, recorder, source, max_elements)
    return builder.build(max_calls)


def node_ids(run: Run) -> tuple[dict[Node, str], dict[int, str]]:
    """The ids `build_graph` gives the run's grad_fn nodes and tensors (by `id()`), without
    building the nodes: how another picture of the same run (the torchviz style) finds which
    of what it draws the graph's module calls and folds hold."""
    builder = _Builder(run, run.recorder or Recorder(), "", 0)
    builder.choose()
    return builder.function_ids, builder.tensor_ids


class _Builder:
    def __init__(self, run: Run, recorder: Recorder, source: str, max_elements: int) -> None:
        self.run = run
        self.recorder = recorder
        self.source = source
        self.lines = source.splitlines()
        self.split = split_source(source)
        self.max_elements = max_elements
        # Gradients shown are those of the last backward that completed; one that raised
        # (a second backward without retain_graph) is still listed in backward_order.
        completed = [call for call in recorder.backwards if call.completed]
        self.last: BackwardCall | None = completed[-1] if completed else None
        self.produced: dict[int, Produced] = {}
        self.names: dict[int, list[str]] = {}
        self.tensors: list[torch.Tensor] = []
        self.functions: list[Node] = []
        self.function_ids: dict[Node, str] = {}
        self.tensor_ids: dict[int, str] = {}
        self.edges: list[Edge] = []
        self.sources: dict[str, GradSource] = {}  # edge id → where its gradient is read
        self.numbers: list[tuple[str, Operand, Node]] = []  # (node id, the number, its op)
        # asked of every tensor: looked up, not searched for (a graph has thousands of them)
        calls = recorder.backwards
        self.roots = {id(r) for call in calls for r in call.roots}
        self.failed_roots = {id(r) for call in calls if not call.completed for r in call.roots}
        self.gradients = {id(g) for call in calls for g in call.gradients if g is not None}
        self.accumulators: dict[int, Node] | None = None  # leaf → its AccumulateGrad
        self.consumed: set[tuple[Node, int]] | None = None  # (function, output) some op took
        self.executed: set[Node] | None = None  # functions some call's record saw run
        self.read: dict[int, Any] = {}  # id of a gradient the recorder holds → its values

    def choose(self) -> None:
        """Which functions and tensors the graph holds, and their ids."""
        candidates = self._candidates()
        self._collect_functions(self._anchors(candidates))
        self._choose_tensors(candidates)

    def build(self, max_calls: int) -> Graph:
        self.choose()
        nodes: list[TensorNode | FunctionNode] = [self._tensor_node(t) for t in self.tensors]
        nodes += [self._number_node(node_id, operand) for node_id, operand, _ in self.numbers]
        nodes += [self._function_node(f) for f in self.functions]
        self._data_edges()
        self._constant_edges()
        self._extra_edges()
        order = tuple(
            tuple(self.function_ids[f] for f in call.order if f in self.function_ids)
            for call in self.recorder.backwards
        )
        calls, notes = backward_calls(self, max_calls)
        return Graph(
            nodes=tuple(nodes),
            edges=tuple(self.edges),
            backward_order=order,
            notes=notes,
            optimizer_step=self._optimizer_step(),
            backward_calls=calls,
            errors=error_marks(self),
            modules=module_groups(
                self.recorder.modules.calls, self.run.namespace, self.function_ids, self.tensor_ids
            ),
            made_in=self._made_in(),
        )

    def _made_in(self) -> dict[str, LoopPath]:
        """Tensor node id → the loop iterations it was made in (none: outside every loop); a
        number an op took, those of the op's output."""
        made_in: dict[str, LoopPath] = {}
        for tensor in self.tensors:
            produced = self.produced.get(id(tensor))
            if produced is not None and produced.made_in:
                made_in[self.tensor_ids[id(tensor)]] = produced.made_in
        if self.numbers:
            outputs: dict[Node, LoopPath] = {}
            for item in self.recorder.produced:
                if item.tensor.grad_fn is not None:
                    outputs.setdefault(item.tensor.grad_fn, item.made_in)
            for node_id, _, function in self.numbers:
                if outputs.get(function):
                    made_in[node_id] = outputs[function]
        return made_in

    def _optimizer_step(self) -> OptimizerStepInfo | None:
        """What the last optimizer.step() changed, for the parameters in the picture."""
        step = self.recorder.last_step
        if step is None or not step.completed:
            return None
        changes = tuple(
            ParameterChange(
                self.tensor_ids[id(update.tensor)],
                self._values(update.before),
                self._values(update.after),
            )
            for update in step.updates
            if id(update.tensor) in self.tensor_ids
        )
        return OptimizerStepInfo(step.number, changes)

    # which tensors and functions -------------------------------------------------------

    def _candidates(self) -> list[torch.Tensor]:
        """Every tensor the program made or named, in creation order, each once."""
        seen: dict[int, torch.Tensor] = {}
        for item in self.recorder.produced:
            seen.setdefault(id(item.tensor), item.tensor)
            self.produced.setdefault(id(item.tensor), item)
        bound = [(n, v) for n, v in self.run.namespace.items() if isinstance(v, torch.Tensor)]
        for name, value in [*bound, *named_parameters(self.run.namespace)]:
            seen.setdefault(id(value), value)
            self.names.setdefault(id(value), []).append(name)
        for call in self.recorder.backwards:
            for gradient in call.gradients:
                if gradient is not None:
                    seen.setdefault(id(gradient), gradient)
        return list(seen.values())

    def _anchors(self, candidates: list[torch.Tensor]) -> list[torch.Tensor]:
        """The graph is what the named tensors and the last backward's roots hang on: in a
        training loop, earlier iterations' graphs are unreachable and stay out of the picture."""
        roots = self.recorder.backwards[-1].roots if self.recorder.backwards else []
        named = [t for t in candidates if id(t) in self.names]
        return named + [r for r in roots if all(r is not t for t in named)]

    def _collect_functions(self, candidates: Iterable[torch.Tensor]) -> None:
        """grad_fn nodes reachable from the tensors; ids in post-order (inputs before users)."""
        for tensor in candidates:
            if tensor.grad_fn is not None:
                self._post_order(tensor.grad_fn)

    def _post_order(self, start: Node) -> None:
        stack: list[tuple[Node, bool]] = [(start, False)]
        while stack:
            function, expanded = stack.pop()
            if function in self.function_ids:
                continue
            if expanded:
                self.function_ids[function] = f"f{len(self.functions)}"
                self.functions.append(function)
                continue
            stack.append((function, True))
            for nxt, _ in reversed(function.next_functions):
                if nxt is not None and nxt not in self.function_ids:
                    stack.append((nxt, False))

    def _choose_tensors(self, candidates: list[torch.Tensor]) -> None:
        """The tensors the picture holds: named ones, those the functions made or accumulate
        into, backward's gradient arguments and failed roots, every operand without an autograd
        edge, and the lineage of constants, growing the functions as new tensors bring theirs."""
        wanted = {
            id(t): t
            for t in candidates
            if id(t) in self.names or self._is_gradient_argument(t) or self._is_failed_root(t)
        }
        scanned = -1
        while scanned != len(self.functions):
            scanned = len(self.functions)
            wanted.update((id(t), t) for t in candidates if t.grad_fn in self.function_ids)
            wanted.update((id(t), t) for t in self._leaves())
            for tensor in self._operand_tensors(list(wanted.values())):
                wanted.setdefault(id(tensor), tensor)
            self._collect_functions(list(wanted.values()))
        order = {id(t): i for i, t in enumerate(candidates)}
        chosen = sorted(wanted.values(), key=lambda t: order.get(id(t), len(order)))
        self.tensors = chosen
        self.tensor_ids = {id(t): f"t{i}" for i, t in enumerate(chosen)}
        self._number_ids(len(chosen))

    def _leaves(self) -> list[torch.Tensor]:
        return [f.variable for f in self.functions if hasattr(f, "variable")]

    def _operand_tensors(self, tensors: list[torch.Tensor]) -> list[torch.Tensor]:
        """Constant operands of the functions, and the lineage of constants, transitively."""
        found: list[torch.Tensor] = []
        for function in self.functions:
            found += constant_tensors(function, self._function_operands(function))
        seen = {id(t) for t in tensors}
        stack = [*tensors, *found]
        while stack:
            tensor = stack.pop()
            produced = self.produced.get(id(tensor))
            sources = lineage(tensor, produced)
            if produced is not None and produced.detached_from is not None:
                sources.append(produced.detached_from)
            for source in sources:
                if id(source) not in seen:
                    seen.add(id(source))
                    found.append(source)
                    stack.append(source)
        return found

    def _function_operands(self, function: Node) -> tuple[Operand, ...]:
        return self.recorder.function_operands.get(function, ())

    def _number_ids(self, start: int) -> None:
        for function in self.functions:
            for operand in promoted_numbers(function, self._function_operands(function)):
                self.numbers.append((f"t{start + len(self.numbers)}", operand, function))

    def _is_failed_root(self, tensor: torch.Tensor) -> bool:
        return id(tensor) in self.failed_roots

    def _is_gradient_argument(self, tensor: torch.Tensor) -> bool:
        return id(tensor) in self.gradients

    # nodes -------------------------------------------------------------------------------

    def _tensor_node(self, tensor: torch.Tensor) -> TensorNode:
        produced = self.produced.get(id(tensor))
        names = tuple(self.names.get(id(tensor), ()))
        value, truncated, summary = values_of(tensor, self.max_elements)
        grad = None
        if tensor.is_leaf or tensor.retains_grad:
            grad = None if tensor.grad is None else values_of(tensor.grad, self.max_elements)[0]
        detached = produced.detached_from if produced else None
        return TensorNode(
            id=self.tensor_ids[id(tensor)],
            names=names,
            label=", ".join(names) or self._expression(produced, tensor),
            role=self._role(tensor, detached),
            span=_span(produced.node, self.lines) if produced else None,
            shape=tuple(tensor.shape),
            dtype=str(tensor.dtype).removeprefix("torch."),
            device=str(tensor.device),
            value=value,
            grad=grad,
            flow_grad=self._values(self._flow_into(tensor)),
            requires_grad=tensor.requires_grad,
            is_leaf=tensor.is_leaf,
            retains_grad=tensor.retains_grad,
            version=version_of(tensor),
            detached_from=self.tensor_ids.get(id(detached)) if detached is not None else None,
            truncated=truncated,
            summary=summary,
        )

    def _number_node(self, node_id: str, operand: Operand) -> TensorNode:
        """A Python number the op took as a tensor: PyTorch wraps it as a 0-dim tensor
        (int64, float64 or bool), which no program can hold."""
        value = operand.value
        dtype = (
            "bool" if isinstance(value, bool) else "int64" if isinstance(value, int) else "float64"
        )
        text = source_segment(self.split, operand.node) or repr(value)
        return TensorNode(
            id=node_id, names=(), label=" ".join(text.split())[:_LABEL_CHARS], role="constant",
            span=_span(operand.node, self.lines), shape=(), dtype=dtype, device=self.run.device,
            value=json_safe(value), grad=None, flow_grad=None, requires_grad=False, is_leaf=True,
            retains_grad=False, version=0, detached_from=None, truncated=False, summary=None,
        )  # fmt: skip

    def _role(self, tensor: torch.Tensor, detached: torch.Tensor | None) -> str:
        if detached is not None:
            return "detached"
        if not tensor.requires_grad:
            return "constant"
        if tensor.is_leaf:
            return "leaf"
        # The outputs are what backward started from; before any backward, the dead ends.
        if self._is_root(tensor) if self.recorder.backwards else not self._is_consumed(tensor):
            return "output"
        return "intermediate"

    def _is_root(self, tensor: torch.Tensor) -> bool:
        return id(tensor) in self.roots

    def _is_consumed(self, tensor: torch.Tensor) -> bool:
        if self.consumed is None:  # the functions are all known once nodes are made
            self.consumed = {(nxt, nr) for f in self.functions for nxt, nr in f.next_functions}
        return (tensor.grad_fn, tensor.output_nr) in self.consumed

    def _expression(self, produced: Produced | None, tensor: Any = None) -> str:
        """The source that made it, or (a `.grad` an op took) the operand's own source."""
        node = produced.node if produced is not None else self._operand_node(tensor)
        if node is None:
            return "tensor"
        text = source_segment(self.split, node) or "tensor"
        text = " ".join(text.split())
        return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"

    def _operand_node(self, tensor: Any) -> ast.AST | None:
        for operands in self.recorder.function_operands.values():
            for operand in operands:
                if operand.value is tensor:
                    return operand.node
        return None

    def _function_node(self, function: Node) -> FunctionNode:
        saved: list[SavedSlot] = []
        attrs: dict[str, Any] = {}
        known_shapes = self.recorder.saved_shapes.get(function, {})
        released = _released(function, known_shapes)
        for slot in saved_slots(function):
            name = slot.removeprefix("_saved_")
            if released and slot in known_shapes:  # a tensor slot: its tensor went with the rest
                shape = known_shapes[slot]
                saved.append(SavedSlot(name, None if shape is None else tuple(shape), True))
                continue
            try:
                value = getattr(function, slot)
            except RuntimeError:  # freed by a backward without retain_graph
                shape = known_shapes.get(slot)
                saved.append(SavedSlot(name, None if shape is None else tuple(shape), True))
                continue
            if isinstance(value, torch.Tensor):
                saved.append(SavedSlot(name, tuple(value.shape), False))
            elif value is not None:
                attrs[name] = _plain(value)
        if self.executed is None:
            self.executed = {f for call in self.recorder.backwards for f in call.sent}
        executed = function in self.executed
        op = type(function).__name__
        return FunctionNode(
            id=self.function_ids[function],
            op=op,
            label=op,
            saved=tuple(saved),
            attrs=attrs,
            executed=executed,
        )

    # edges -------------------------------------------------------------------------------

    def _edge(
        self, source: str, target: str, kind: str, grad: Any = None, where: GradSource = None
    ) -> None:
        """`where` says where this edge's gradient is read in each backward call's record."""
        edge_id = f"e{len(self.edges)}"
        if where is not None:
            self.sources[edge_id] = where
            grad = self._values(self.grad_in(where, self.last))
        self.edges.append(Edge(edge_id, source, target, kind, grad))

    def grad_in(self, where: GradSource, call: BackwardCall | None) -> torch.Tensor | None:
        """The gradient along an edge in one call: what flowed into a function's output
        (`flow`), or what a function sent to its input (`sent`)."""
        if call is None or where is None:
            return None
        kind, function, index = where
        grads = (call.flow if kind == "flow" else call.sent).get(function)
        return grads[index] if grads and index < len(grads) else None

    def _data_edges(self) -> None:
        outputs: dict[tuple[Node, int], torch.Tensor] = {}
        for tensor in self.tensors:
            if tensor.grad_fn is not None:
                outputs.setdefault((tensor.grad_fn, tensor.output_nr), tensor)
        for function in self.functions:
            if hasattr(function, "variable") and id(function.variable) in self.tensor_ids:
                leaf = function.variable
                self._edge(self.tensor_ids[id(leaf)], self.function_ids[function], "data",
                           where=("flow", function, 0))  # fmt: skip
        linked: set[int] = set()
        for function in self.functions:
            for index, (nxt, nr) in enumerate(function.next_functions):
                if nxt is None:
                    continue
                where = ("sent", function, index)
                tensor = outputs.get((nxt, nr))
                if tensor is None:
                    self._edge(self.function_ids[nxt], self.function_ids[function], "data",
                               where=where)  # fmt: skip
                    continue
                self._link_output(tensor, linked)
                tensor_id = self.tensor_ids[id(tensor)]
                self._edge(tensor_id, self.function_ids[function], "data", where=where)
        for tensor in outputs.values():
            self._link_output(tensor, linked)

    def _link_output(self, tensor: torch.Tensor, linked: set[int]) -> None:
        """op → the tensor it produced, once, carrying the gradient that flowed into it."""
        if id(tensor) in linked:
            return
        linked.add(id(tensor))
        source = self.function_ids[tensor.grad_fn]
        where = ("flow", tensor.grad_fn, tensor.output_nr)
        self._edge(source, self.tensor_ids[id(tensor)], "data", where=where)

    def _constant_edges(self) -> None:
        """Operands without an autograd edge → their op; a constant's lineage → it."""
        numbers: dict[Node, list[str]] = {}
        for node_id, _, function in self.numbers:
            numbers.setdefault(function, []).append(node_id)
        for function in self.functions:
            target = self.function_ids[function]
            for tensor in constant_tensors(function, self._function_operands(function)):
                self._edge(self.tensor_ids[id(tensor)], target, "constant")
            for node_id in numbers.get(function, ()):
                self._edge(node_id, target, "constant")
        for tensor in self.tensors:
            for source in lineage(tensor, self.produced.get(id(tensor))):
                self._edge(self.tensor_ids[id(source)], self.tensor_ids[id(tensor)], "constant")

    def _extra_edges(self) -> None:
        for tensor in self.tensors:
            produced = self.produced.get(id(tensor))
            source = produced.detached_from if produced else None
            if source is not None and id(source) in self.tensor_ids:
                self._edge(self.tensor_ids[id(source)], self.tensor_ids[id(tensor)], "detached")
            base = tensor._base
            if base is not None and id(base) in self.tensor_ids:
                self._edge(self.tensor_ids[id(base)], self.tensor_ids[id(tensor)], "view")
        for call in self.recorder.backwards:
            for root, gradient in zip(call.roots, call.gradients, strict=False):
                if gradient is not None and id(root) in self.tensor_ids:
                    self._edge(self.tensor_ids[id(gradient)], self.tensor_ids[id(root)],
                               "gradient", self._values(gradient))  # fmt: skip

    # gradients ---------------------------------------------------------------------------

    def _flow_into(self, tensor: torch.Tensor) -> torch.Tensor | None:
        """The gradient that reached this tensor in the last backward (None if none did)."""
        if self.last is None:
            return None
        if tensor.grad_fn is not None:
            grads = self.last.flow.get(tensor.grad_fn)
            return grads[tensor.output_nr] if grads and tensor.output_nr < len(grads) else None
        if self.accumulators is None:  # the functions are all known once nodes are made
            self.accumulators = {}
            for f in self.functions:
                if hasattr(f, "variable"):
                    self.accumulators.setdefault(id(f.variable), f)
        function = self.accumulators.get(id(tensor))
        if function is None or function.variable is not tensor:
            return None
        grads = self.last.flow.get(function)
        return grads[0] if grads else None

    def _values(self, tensor: torch.Tensor | None) -> Any:
        return None if tensor is None else self.values(tensor)

    def values(self, tensor: torch.Tensor) -> Any:
        """A gradient's values, read once though the last call's are listed twice (on the
        edges and in the call's own record); the recorder keeps each tensor alive."""
        key = id(tensor)
        if key not in self.read:
            self.read[key] = values_of(tensor, self.max_elements)[0]
        return self.read[key]


def _span(node: ast.AST, lines: list[str]) -> SourceSpan | None:
    """In characters (ast counts UTF-8 bytes), as an editor counts them."""
    line = getattr(node, "lineno", None)
    if line is None:
        return None
    end_line, end_col = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
    return SourceSpan(
        line,
        char_column(lines, line, node.col_offset),  # type: ignore[attr-defined]
        end_line,
        None if end_line is None or end_col is None else char_column(lines, end_line, end_col),
    )


def _released(function: Node, known_shapes: dict[str, list[int] | None]) -> bool:
    """Whether a backward without `retain_graph` freed the node's saved tensors (it frees them
    all at once). Reading a freed slot raises, and torch's error costs more than the rest of
    the node's record: one slot that held a tensor when the recorder met the node is looked at
    through its raw handle instead, whose data is gone once freed."""
    for slot, shape in known_shapes.items():
        if shape is not None:
            raw = getattr(function, "_raw" + slot, None)
            return raw is not None and not isinstance(raw, tuple | list) and raw.data is None
    return False


def _plain(value: Any) -> Any:
    """Non-tensor saved values (`alpha`, `dim`, sizes) as JSON-ready data."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return json_safe(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
