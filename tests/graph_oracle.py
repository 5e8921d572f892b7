"""Test-only graph oracle: REAL `exec`, `import torch` and torchviz, in a subprocess.

What the graph tests hold the API's graph model to. Like tests/oracle.py, it never imports app code
and app code never imports it. One subprocess answers a whole batch; each program runs twice, each
time in a fresh namespace after `torch.manual_seed(0)`:

1. **plain**: the program as written. Afterwards `torchviz.make_dot(out, params=<named leaves>)`
   draws the graph behind the tensor `out` (the root of the program's one backward), and the
   answer lists what torchviz found: its function nodes (grad_fn type names), the edges between
   them in the order torchviz wrote them (that is, `next_functions` order), the shape of the leaf
   behind each AccumulateGrad, its DOT source, and every named tensor's value and `.grad`.
2. **retained**: every expression whose source span the caller lists (the spans of the API graph's
   tensor nodes) is wrapped, on the AST, in a call that records the tensor it made and calls
   `retain_grad()` on it when it is a non-leaf that requires grad; before each top-level statement
   every recorded tensor that has since come to require grad (an in-place write), and every tensor
   bound to a name, is retained too. After the run, each recorded tensor's `.grad` is what
   `retain_grad()` says flowed into it; `named` gives the same for the tensors bound to names.
   Tensors are kept once each, in the order first made (an op that returns its input in place
   makes no new entry), grouped by span.
"""

from __future__ import annotations

import re
from typing import Any

from tests.oracle import run_script

Span = tuple[int, int, int, int]

SCRIPT = r"""
import ast
import contextlib
import io
import json
import math
import sys
import warnings

warnings.simplefilter("ignore")  # torchviz imports distutils; its warning is not our business
import torch
import torchviz

FILENAME = "<program>"


def json_safe(value):
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def values(tensor):
    return None if tensor is None else json_safe(tensor.detach().cpu().tolist())


def fresh():
    torch.manual_seed(0)
    torch.set_grad_enabled(True)
    return {"torch": torch}


def run_statements(module, namespace, before=None):
    for statement in module.body:
        if before is not None:
            before()
        code = compile(ast.Module(body=[statement], type_ignores=[]), FILENAME, "exec")
        exec(code, namespace)


def parse_torchviz(dot, root):
    # torchviz writes `\tID [label=... fillcolor=...]` for tensors, `\tID [label=Op]` for
    # functions and `\tA -> B` for edges (ids are id() of the objects).
    functions, tensors, edges = {}, {}, []
    for line in dot.body:
        text = line.strip()
        head, _, rest = text.partition(" ")
        if rest.startswith("->"):
            target = rest[2:].strip().split(" ")[0]
            edges.append([head, target])
        elif rest.startswith("[label="):
            if "fillcolor=" in rest:
                tensors[head] = rest
            else:
                functions[head] = rest[len("[label="):-1]
    function_edges = [e for e in edges if e[0] in functions and e[1] in functions]
    leaf_shapes = {}
    for source, target in edges:
        if source in tensors and target in functions and "lightblue" in tensors[source]:
            shape = tensors[source].rsplit("(", 1)[1].split(")", 1)[0]
            leaf_shapes[target] = [int(s) for s in shape.split(",") if s.strip()]
    return {
        "functions": functions,
        "edges": function_edges,
        "leaf_shapes": leaf_shapes,
        "root": root,
    }


def plain(source):
    namespace = fresh()
    output = io.StringIO()
    error = None
    with contextlib.redirect_stdout(output):
        try:
            run_statements(ast.parse(source, FILENAME), namespace)
        except Exception as exc:
            error = {"type": type(exc).__name__, "message": str(exc)}
    torch.set_grad_enabled(True)
    named = {
        name: {
            "value": values(v),
            "grad": values(v.grad) if (v.is_leaf or v.retains_grad) else None,
            "is_leaf": v.is_leaf,
            "requires_grad": v.requires_grad,
        }
        for name, v in namespace.items()
        if isinstance(v, torch.Tensor)
    }
    answer = {"error": error, "named": named, "torchviz": None, "torchviz_dot": None}
    out = namespace.get("out")
    if isinstance(out, torch.Tensor) and out.grad_fn is not None:
        params = {
            name: v for name, v in namespace.items()
            if isinstance(v, torch.Tensor) and v.is_leaf and v.requires_grad
        }
        dot = torchviz.make_dot(out, params=params)
        answer["torchviz"] = parse_torchviz(dot, str(id(out.grad_fn)))
        answer["torchviz_dot"] = dot.source
    return answer


class Wrap(ast.NodeTransformer):
    def __init__(self, spans):
        self.spans = spans

    def visit(self, node):
        node = super().visit(node)
        if isinstance(node, ast.expr) and not isinstance(
            getattr(node, "ctx", None), (ast.Store, ast.Del)
        ):
            key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
            if key in self.spans:
                call = ast.Call(
                    func=ast.Name("__keep__", ast.Load()),
                    args=[ast.Constant(self.spans[key]), node],
                    keywords=[],
                )
                return ast.copy_location(call, node)
        return node


def retained(source, spans):
    keys = {tuple(span): "%d:%d:%d:%d" % tuple(span) for span in spans}
    module = ast.fix_missing_locations(Wrap(keys).visit(ast.parse(source, FILENAME)))
    recorded = []
    seen = set()

    def retain(tensor):
        if tensor.requires_grad and not tensor.is_leaf and not tensor.retains_grad:
            tensor.retain_grad()

    def keep(key, value):
        # a tensor, or the tensors of a tuple (split, unbind, max(dim=...), topk, ...)
        for item in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(item, torch.Tensor):
                if id(item) not in seen:
                    seen.add(id(item))
                    recorded.append((key, item))
                retain(item)
        return value

    namespace = fresh()

    def retain_all():
        for _, tensor in recorded:
            retain(tensor)
        for value in list(namespace.values()):
            if isinstance(value, torch.Tensor):
                retain(value)

    namespace["__keep__"] = keep
    error = None
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            run_statements(module, namespace, before=retain_all)
        except Exception as exc:
            error = {"type": type(exc).__name__, "message": str(exc)}
    torch.set_grad_enabled(True)
    flows = {}
    for key, tensor in recorded:
        flows.setdefault(key, []).append({
            "value": values(tensor),
            "grad": values(tensor.grad),
            "requires_grad": tensor.requires_grad,
            "is_leaf": tensor.is_leaf,
        })
    named = {
        name: values(value.grad)
        for name, value in namespace.items()
        if isinstance(value, torch.Tensor)
    }
    return {"error": error, "flows": flows, "named": named}


def main():
    request = json.load(sys.stdin)
    results = {}
    for name, source, spans in request:
        answer = plain(source)
        answer["retained"] = retained(source, spans)
        results[name] = answer
    sys.__stdout__.write(json.dumps(results))


main()
"""


def run_graph_programs(
    programs: list[tuple[str, str, list[Span]]],
) -> dict[str, dict[str, Any]]:
    """Run (name, source, spans to retain) triples with real exec in one subprocess."""
    answers: dict[str, dict[str, Any]] = run_script(SCRIPT, programs)
    return answers


def span_key(span: dict[str, int] | None) -> str | None:
    """The oracle's name for an API span (`line:col:end_line:end_col`)."""
    if span is None or span.get("end_line") is None:
        return None
    return f"{span['line']}:{span['col']}:{span['end_line']}:{span['end_col']}"


def stable_ids(dot: str) -> str:
    """torchviz's DOT with its `id()` node names renamed n0, n1, ... by first appearance."""
    names: dict[str, str] = {}
    lines = []
    for line in dot.split("\n"):
        match = re.match(r"^\t(\d+)( -> (\d+))?(.*)$", line, re.S)
        if match is None:
            lines.append(line)
            continue
        first = names.setdefault(match.group(1), f"n{len(names)}")
        if match.group(2):
            second = names.setdefault(match.group(3), f"n{len(names)}")
            lines.append(f"\t{first} -> {second}{match.group(4)}")
        else:
            lines.append(f"\t{first}{match.group(4)}")
    return "\n".join(lines)


HOOKED_SCRIPT = r"""
import ast
import contextlib
import io
import json
import math
import sys
import warnings

import torch

FILENAME = "<program>"


def json_safe(value):
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


class Calls:
    # Counts backward calls (Tensor.backward goes through torch.autograd.backward) and keeps,
    # per call, the gradient each hooked tensor received, under the name it had when hooked.
    def __init__(self):
        self.calls = []
        self.hooked = set()

    def wrap(self, function):
        def counted(*args, **kwargs):
            self.calls.append({})
            return function(*args, **kwargs)
        return counted

    def hook(self, name, tensor):
        if id(tensor) in self.hooked or not tensor.requires_grad:
            return
        self.hooked.add(id(tensor))

        def record(grad):
            self.calls[-1][name] = json_safe(grad.detach().clone().cpu().tolist())

        tensor.register_hook(record)


def run(source):
    calls = Calls()
    saved = torch.autograd.backward, torch.autograd.grad
    torch.autograd.backward = calls.wrap(saved[0])
    torch.autograd.grad = calls.wrap(saved[1])
    torch.manual_seed(0)
    torch.set_grad_enabled(True)
    namespace = {"torch": torch}
    error = None
    statements = ast.parse(source, FILENAME).body
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for statement in statements:
                for name, value in list(namespace.items()):
                    if isinstance(value, torch.Tensor):
                        calls.hook(name, value)
                module = ast.Module(body=[statement], type_ignores=[])
                exec(compile(module, FILENAME, "exec"), namespace)
    except Exception as exc:
        error = {"type": type(exc).__name__, "message": str(exc)}
    finally:
        torch.autograd.backward, torch.autograd.grad = saved
        torch.set_grad_enabled(True)
    return {"calls": calls.calls, "error": error}


def main():
    request = json.load(sys.stdin)
    sys.__stdout__.write(json.dumps({name: run(source) for name, source in request}))


main()
"""


def run_hooked_programs(programs: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Run (name, source) pairs with real exec in one subprocess, hooks on every tensor bound to
    a name before each top-level statement: {name: {"calls": [{tensor name: the gradient it
    received in that backward call}], "error"}}. A loop body is one statement, so its tensors
    are hooked when the next top-level statement starts; leaves are hooked from the start."""
    answers: dict[str, dict[str, Any]] = run_script(HOOKED_SCRIPT, programs)
    return answers
