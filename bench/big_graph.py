"""Big graphs, folded, through the service: `.venv/bin/python -m bench.big_graph`.

Two programs whose autograd graph has thousands of nodes:

- **chain**: `h = h.sin() * 1.01` in a loop (the program of `bench/render_sizes.py`), sized for
  `--nodes` at 4 nodes an iteration (two grad_fn steps; with its constants drawn it makes 5);
- **mlp**: a 2-layer MLP (2 → 8 → 1, tanh) trained on XOR for 100 steps by SGD with momentum,
  written out, its updates kept in the graph (`create_graph=True`, as when one differentiates
  through training): the last loss's graph holds every step, forward and backward.

For each, in one run (every figure the best of `--repeat`, each try a different program — a
constant changes — so no answer cache or kept trace answers a first view):

1. the stages in-process (`pipeline.execute`, nothing kept): run, trace (with folding), the
   first view's picture (formats graph + svg, as the page asks), the answer's JSON size, and
   the CPU time of the three (the process's own: it moves less with the machine's load than
   the wall times do);
2. through real workers (`Runner` with one worker process and the slow clients' one beside it,
   `slow_workers`' default, as the API and the page call it): the first view end to end (the
   web process's call until the answer is read back with `json.loads`, as the page does), then
   expanding the first fold (`unfold`), answered from the kept trace of the worker that ran
   the first view (the pool sends it there: app/service/affinity.py), and the same with
   `graph_reuse_entries = 0` (the program run again);
3. the same through the worker with `detail: "drawn"` (the page's request since issue 16: the
   answer holds only what the picture draws), and where its first view's time goes: the
   worker's stages (its own `timings_ms`), the rest of the call (the answer's JSON written,
   sent through the worker's socket, the queue), and `json.loads` in the web process;
4. today's first view without folding, for the chain: the `max_graph_nodes` nodes nearest
   the output (`summarise`), as the page drew it before folding.

Run against an older checkout (`PYTHONPATH=<checkout> python bench/big_graph.py`) it prints the
same rows for that code (a setting it does not know is left out); in one from before the pool's
affinity, an expand often reaches the other worker and runs the program again. Figures only:
nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.pipeline import RunRequest, execute, payload
from app.render.dot import to_dot
from app.render.layout import layout, prefer_in_process
from app.render.svg import clean_svg
from app.service import worker
from app.service.runner import Runner
from app.settings import Settings
from app.trace.summarise import drawn_nodes, summarise
from bench.render_sizes import program as chain_program

LAYOUT_SECONDS = 30.0
ROOM = 60.0  # max_run_seconds: on a shared machine a run may take longer than the default 5 s
MLP = """\
import torch
x = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
y = torch.tensor([[0.], [1.], [1.], [0.]])
params = [torch.randn(2, 8), torch.zeros(8), torch.randn(8, 1), torch.zeros(1)]
for p in params:
    p.requires_grad_()
velocity = [torch.zeros_like(p) for p in params]
for step in range({steps}):
    w1, b1, w2, b2 = params
    loss = ((torch.tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2).mean()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    velocity = [0.9 * v + g for v, g in zip(velocity, grads)]
    params = [p - {lr} * v for p, v in zip(params, velocity)]
w1, b1, w2, b2 = params
loss = ((torch.tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2).mean()
loss.backward()
"""
PAGE_FORMATS = ("graph", "svg")


def programs(nodes: int, steps: int) -> dict[str, Callable[[int], str]]:
    """Name → the program of try `i` (a constant differs from one try to the next)."""
    return {
        "chain": lambda i: chain_program(f"h = h.sin() * {1.01 + i / 1e4}", nodes),
        "mlp": lambda i: MLP.format(steps=steps, lr=0.1 + i / 1e4),
    }


def settings(**fields: Any) -> Settings:
    """Settings with the fields this checkout knows (an older one lacks the newer ones)."""
    return Settings(**{k: v for k, v in fields.items() if k in Settings.model_fields})


def in_process(source: Callable[[int], str], repeat: int, detail: str = "full") -> dict[str, Any]:
    """Best stage times of `pipeline.execute` with the page's formats, nothing kept."""
    quiet = settings(graph_reuse_entries=0, max_run_seconds=ROOM)
    best: dict[str, float] = {}
    cpu = []
    for i in range(repeat):
        gc.collect()
        gc.freeze()  # as a worker is between runs: what earlier tries left is not walked
        started = time.process_time()
        outcome = execute(_request(source(i), detail), quiet)
        cpu.append((time.process_time() - started) * 1000)
        assert outcome.run.error is None and outcome.graph is not None, outcome.run.error
        for stage, ms in outcome.timings_ms.items():
            best[stage] = min(best.get(stage, ms), ms)
    start = time.perf_counter()
    body = _answer_bytes(outcome)
    graph = outcome.graph
    return {
        "stages": best,
        "cpu_ms": min(cpu),
        "nodes": len(graph.nodes),
        "folds": [(g.id, g.count) for g in graph.groups] if hasattr(graph, "groups") else [],
        "bytes": len(body),
        "json_ms": (time.perf_counter() - start) * 1000,
        "drawn": _drawn(outcome.renderings.get("svg") or ""),
        "graph": graph,
    }


def _request(source: str, detail: str) -> RunRequest:
    """The page's request; `detail` only where this checkout knows it."""
    extra = {"detail": detail} if "detail" in RunRequest.__dataclass_fields__ else {}
    return RunRequest(source=source, formats=PAGE_FORMATS, **extra)


def _answer_bytes(outcome: Any) -> bytes:
    """The answer's JSON as the worker writes it (an older checkout: its own way)."""
    if hasattr(worker, "_answer_json"):
        return worker._answer_json(outcome, payload)
    return worker._json(payload(outcome))


def _drawn(svg: str) -> int:
    """Nodes (and fold boxes) the SVG draws."""
    return len(re.findall(r'<g id="[^"]*" class="node', svg))


async def through_worker(
    source: Callable[[int], str], repeat: int, reuse: bool, first: int, detail: str = "full"
) -> dict[str, float]:
    """Best first view and expand, end to end through a Runner (one worker and the slow one), and
    the best view's parts: the worker's stages, `json.loads` here, the rest (write, socket)."""
    kept = {} if reuse else {"graph_reuse_entries": 0}
    # one worker and the slow clients' one beside it, as served: the expand goes to the worker
    # that traced the program, even while that one still tidies up after its answer
    runner = Runner(settings(workers=1, max_run_seconds=ROOM, **kept))
    await runner.start()
    try:
        await _ask(runner, _request(source(first - 1), detail))  # warm
        views, expands = [], []
        for i in range(first, first + repeat):
            request = _request(source(i), detail)
            ms, answer, parts = await _ask(runner, request)
            views.append((ms, parts))
            groups = answer.get("graph", {}).get("groups") or [{"id": "g0"}]
            ms, _, _ = await _ask(runner, replace(request, unfold=(groups[0]["id"],)))
            expands.append(ms)
    finally:
        await runner.close()
    view, parts = min(views)
    return {"view": view, "expand": min(expands), **parts}


async def _ask(
    runner: Runner, request: RunRequest
) -> tuple[float, dict[str, Any], dict[str, float]]:
    start = time.perf_counter()
    status, body, cached = await runner.run(request)
    read = time.perf_counter()
    answer = json.loads(body)
    end = time.perf_counter()
    assert status == 200 and not cached, (status, body[:300])
    worker_ms = sum(answer.get("timings_ms", {}).values())
    parts = {
        "worker": worker_ms,
        "parse": (end - read) * 1000,
        "rest": (read - start) * 1000 - worker_ms,
        "bytes": len(body),
    }
    return (end - start) * 1000, answer, parts


def today_ms(graph: Any, cap: int) -> tuple[float, int]:
    """The picture of the graph unfolded, cut to the `cap` nodes nearest the output."""
    flat = replace(graph, groups=()) if hasattr(graph, "groups") else graph
    start = time.perf_counter()
    shown = summarise(flat, cap)
    clean_svg(layout(to_dot(shown), "svg", LAYOUT_SECONDS))
    return (time.perf_counter() - start) * 1000, drawn_nodes(shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    prefer_in_process()
    gc.collect()
    gc.freeze()  # as the workers do
    cap = Settings().max_graph_nodes
    print(
        "| program | graph nodes | folds | run | trace + fold | picture | answer "
        "| CPU of the three | first view, worker | expand, kept trace | expand, run again "
        "| nodes drawn |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    slim_rows = []
    for name, source in programs(options.nodes, options.steps).items():
        own = in_process(source, options.repeat)
        kept = asyncio.run(through_worker(source, options.repeat, True, 100))
        again = asyncio.run(through_worker(source, options.repeat, False, 200))
        slim_rows.append(_slim_row(name, source, options.repeat, (kept, again)))
        stages = own["stages"]
        folds = ", ".join(f"×{count}" for _, count in own["folds"]) or "—"
        print(f"| {name} | {own['nodes']:,} | {folds} | {stages['run']:.0f} ms "
              f"| {stages['trace']:.0f} ms | {stages.get('render', 0):.0f} ms "
              f"| {own['bytes'] / 2**20:.1f} MiB, {own['json_ms']:.0f} ms | {own['cpu_ms']:.0f} ms "
              f"| {kept['view']:.0f} ms | {kept['expand']:.0f} ms | {again['expand']:.0f} ms "
              f"| {own['drawn']} |")  # fmt: skip
        if name == "chain":
            ms, drawn = today_ms(own["graph"], cap)
            print(f"| chain, unfolded: {cap} nearest the output (picture only) | | | | | "
                  f"{ms:.0f} ms | | | | | | {drawn} |")  # fmt: skip
    if "detail" in RunRequest.__dataclass_fields__:
        print(
            "\n| program, detail | answer | first view, worker | of which: worker's stages "
            "| JSON write + socket | json.loads | expand, kept trace | expand, run again |"
        )
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(row for pair in slim_rows for row in pair))  # fmt: skip


def _slim_row(
    name: str, source: Callable[[int], str], repeat: int, full: tuple[dict[str, float], ...]
) -> tuple[str, ...]:
    """The first view and expand with detail "full" (`full`: kept, run again) and "drawn"."""
    if "detail" not in RunRequest.__dataclass_fields__:
        return ()
    drawn = (
        asyncio.run(through_worker(source, repeat, True, 300, "drawn")),
        asyncio.run(through_worker(source, repeat, False, 400, "drawn")),
    )
    rows = []
    for detail, (view, again) in (("full", full), ("drawn", drawn)):
        rows.append(f"| {name}, {detail} | {view['bytes'] / 2**20:.2f} MiB | {view['view']:.0f} ms "
                    f"| {view['worker']:.0f} ms | {view['rest']:.0f} ms | {view['parse']:.0f} ms "
                    f"| {view['expand']:.0f} ms | {again['expand']:.0f} ms |")  # fmt: skip
    return tuple(rows)


if __name__ == "__main__":
    main()
