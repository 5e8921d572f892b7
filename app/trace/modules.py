"""Module calls → `Graph.modules`: which nodes each `nn.Module` call made, and where it lives.

The recorder's calls (app/engine/module_calls.py) name grad_fns and tensors; here they become
node ids. A function node belongs to the innermost call that claimed it, a tensor to the call
it was recorded in, and a module's own parameters (with their AccumulateGrad) to the last call
of that module whose ops are in the graph: in a loop every call uses them, and the last
iteration is the one a fold draws in full. A call's nodes include its children's. Calls that
hold no node of the graph (an earlier iteration's graph, unreachable now) are left out; ids
follow call order.

A module's path is where the program reaches it: a global name and the child names below it
(`net.0`, `model.encoder.layers.1.linear`), else its caller's path and its name there, else
its class name (a module made and called in one expression).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch.autograd.graph import Node

from app.engine.module_calls import ModuleCall
from app.trace.model import ModuleGroup


def module_groups(
    recorded: Iterable[ModuleCall],
    namespace: dict[str, Any],
    function_ids: dict[Node, str],
    tensor_ids: dict[int, str],
) -> tuple[ModuleGroup, ...]:
    calls = list(recorded)
    index_of = {id(call): index for index, call in enumerate(calls)}
    parents = [index_of.get(id(call.parent)) for call in calls]
    own = _own_nodes(calls, function_ids, tensor_ids)
    held = [list(nodes) for nodes in own]
    for index in reversed(range(len(calls))):  # children come after their parent
        parent = parents[index]
        if parent is not None:
            held[parent] += held[index]
    kept = [i for i in range(len(calls)) if held[i]]
    ids = {index: f"m{n}" for n, index in enumerate(kept)}
    paths = _paths(calls, parents, namespace)
    return tuple(
        ModuleGroup(
            id=ids[i],
            path=paths[i],
            type=type(calls[i].module).__name__,
            library=type(calls[i].module).__module__.startswith("torch."),
            parent=_kept_parent(parents, i, ids),
            inputs=tuple(calls[i].inputs),
            outputs=tuple(calls[i].outputs),
            nodes=tuple(sorted(set(held[i]), key=_graph_order)),
            arguments=tuple(tensor_ids[t] for t in calls[i].arguments if t in tensor_ids),
        )
        for i in kept
    )


def _own_nodes(
    calls: list[ModuleCall], function_ids: dict[Node, str], tensor_ids: dict[int, str]
) -> list[list[str]]:
    """Per call, the nodes whose innermost call it is."""
    innermost: dict[str, int] = {}
    for index, call in enumerate(calls):  # a child's index is above its parent's
        for function in call.functions:
            if function in function_ids:
                innermost[function_ids[function]] = index
        for tensor in call.tensors:
            if tensor in tensor_ids:
                innermost.setdefault(tensor_ids[tensor], index)
    accumulators = {
        id(function.variable): node_id
        for function, node_id in function_ids.items()
        if hasattr(function, "variable")
    }
    # a call whose ops are in the graph (a call whose result nobody named is not drawn)
    last_call = {
        id(call.module): index
        for index, call in enumerate(calls)
        if any(function in function_ids for function in call.functions)
    }
    for index in last_call.values():
        for parameter in calls[index].module.parameters(recurse=False):
            for node_id in (tensor_ids.get(id(parameter)), accumulators.get(id(parameter))):
                if node_id is not None and node_id not in innermost:
                    innermost[node_id] = index
    own: list[list[str]] = [[] for _ in calls]
    for node_id, index in innermost.items():
        own[index].append(node_id)
    return own


def _graph_order(node_id: str) -> tuple[bool, int]:
    """The graph's own order (tensors t0…, then functions f0…): a call's grad_fns are a set."""
    return node_id.startswith("f"), int(node_id[1:])


def _kept_parent(parents: list[int | None], index: int, ids: dict[int, str]) -> str | None:
    parent = parents[index]
    while parent is not None and parent not in ids:
        parent = parents[parent]
    return None if parent is None else ids[parent]


def _paths(
    calls: list[ModuleCall], parents: list[int | None], namespace: dict[str, Any]
) -> list[str]:
    named: dict[int, str] = {}
    for name, value in namespace.items():
        if isinstance(value, torch.nn.Module) and not name.startswith("_"):
            for inner, module in value.named_modules():
                named.setdefault(id(module), f"{name}.{inner}" if inner else name)
    paths: list[str] = []
    for call, index in zip(calls, parents, strict=True):
        path = named.get(id(call.module))
        if path is None and index is not None:
            parent = calls[index].module
            child = next((n for n, m in parent.named_children() if m is call.module), None)
            path = None if child is None else f"{paths[index]}.{child}"
        paths.append(path or type(call.module).__name__)
    return paths
