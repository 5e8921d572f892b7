"""Render time by graph size, beside torchviz: `.venv/bin/python -m bench.render_sizes`.

Two shapes of graph, each at several sizes, in one run:

- **chain** (`h = h.sin() * 1.01` in a loop, four graph nodes an iteration) at about 10, 100,
  500, 1,000 and 5,000 nodes;
- **shared leaf** (`h = h.sin() * x`: every iteration reuses the leaf `x`, as an RNN reuses its
  weights, so x's AccumulateGrad fans out to every step) at about 10, 100 and 200 nodes.

For each it prints the whole time a worker takes (`pipeline.execute` with an SVG, laid out
in-process, picture reuse off: the issue's targets are 500 nodes ≤ 50 ms, 1,000 ≤ 150 ms,
5,000 ≤ 1 s) with the picture's cap raised past the graph, and the same as served, where the
picture holds the default cap's nodes nearest the output (`max_graph_nodes`); our run and
trace times (pipeline.execute, formats ["graph"]); the time of app.render.dot.to_dot; the
DOT → clean SVG time of every layout engine app.render.layout finds (pygraphviz in-process,
as the workers draw; graphviz-pure and Debian's dot as processes); and
`torchviz.make_dot(out).pipe('svg')` on the same output tensor, with the ratio of each
engine's whole render (to_dot + layout + clean-up) to torchviz's. A layout that runs past
LAYOUT_SECONDS shows as `>N s`. torchviz walks the graph recursively, so the bench raises
Python's recursion limit for it. Figures only: nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable

import torchviz

from app.pipeline import Outcome, RunRequest, execute
from app.render.dot import to_dot
from app.render.layout import LayoutError, engines, layout, prefer_in_process
from app.render.svg import clean_svg
from app.settings import Settings

SHAPES = {
    "chain": ("h = h.sin() * 1.01", (10, 100, 500, 1_000, 5_000)),
    "shared leaf": ("h = h.sin() * x", (10, 100, 200)),
}
LAYOUT_SECONDS = 30.0
DEFAULT_CAP = Settings.model_fields["max_graph_nodes"].default


def program(step: str, nodes: int) -> str:
    """A loop whose graph has about `nodes` nodes: x, x * 1, out's ops and 4 an iteration."""
    iterations = max(1, round((nodes - 4) / 4))
    return (
        "import torch\n"
        "x = torch.tensor(1., requires_grad=True)\n"
        "h = x * 1\n"
        f"for i in range({iterations}):\n"
        f"    {step}\n"
        "out = h\n"
        "out.backward()\n"
    )


def best_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def run(source: str, settings: Settings, repeat: int) -> tuple[Outcome, float, float]:
    """The outcome, and the best run and trace times over `repeat` runs."""
    outcomes = [
        execute(RunRequest(source=source, formats=("graph",)), settings) for _ in range(repeat)
    ]
    run_ms = min(o.timings_ms["run"] for o in outcomes)
    trace_ms = min(o.timings_ms["trace"] for o in outcomes)
    return outcomes[-1], run_ms, trace_ms


def svg_ms(dot: str, engine: str, repeat: int) -> float | None:
    try:
        return best_ms(lambda: clean_svg(layout(dot, "svg", LAYOUT_SECONDS, engine=engine)), repeat)
    except LayoutError:
        return None


def measure(
    step: str, nodes: int, settings: Settings, served: Settings, names: list[str]
) -> list[str]:
    repeat = 5 if nodes <= 100 else (3 if nodes <= 1_000 else 1)
    outcome, run_ms, trace_ms = run(program(step, nodes), settings, repeat)
    graph = outcome.graph
    assert graph is not None and outcome.run.error is None, outcome.run.error
    dot = to_dot(graph)
    dot_ms = best_ms(lambda: to_dot(graph), repeat)
    layouts = [svg_ms(dot, name, repeat) for name in names]
    out = outcome.run.namespace["out"]
    torchviz_nodes = sum(1 for line in torchviz.make_dot(out).body if "[label=" in line)
    torchviz_ms = best_ms(lambda: torchviz.make_dot(out).pipe("svg"), repeat)
    ratios = [None if ms is None else (dot_ms + ms) / torchviz_ms for ms in layouts]
    # end to end as a worker does it: the pipeline with an SVG, laid out in-process
    request = RunRequest(source=program(step, nodes), formats=("svg",))
    whole = best_ms(lambda: execute(request, settings), repeat)
    # as served: the picture shows the default cap's nodes nearest the output (with a note)
    capped = best_ms(lambda: execute(request, served), repeat)
    return [
        str(len(graph.nodes)),
        _ms(whole),
        _ms(capped),
        _ms(run_ms),
        _ms(trace_ms),
        _ms(dot_ms),
        *(_ms(ms) for ms in layouts),
        str(torchviz_nodes),
        _ms(torchviz_ms),
        *("—" if r is None else f"{r:.2f}×" for r in ratios),
    ]


def _ms(value: float | None) -> str:
    return f">{LAYOUT_SECONDS:.0f} s" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Render time by graph size, beside torchviz.")
    parser.add_argument("--shape", choices=list(SHAPES), nargs="*", default=list(SHAPES))
    arguments = parser.parse_args()
    sys.setrecursionlimit(50_000)  # torchviz's make_dot recurses once per grad_fn in a chain
    settings = Settings(
        max_graph_nodes=100_000,
        layout_seconds=LAYOUT_SECONDS,
        max_run_seconds=60.0,
        max_ops=1_000_000,
        max_loop_iterations=100_000,
        picture_reuse=False,  # the same program again must be laid out again
        graph_reuse_entries=0,  # and run and traced again
    )
    prefer_in_process()  # as the workers do: pygraphviz first, when it is installed
    # As the workers do: what start-up imported is left out of the collector's full passes
    # (each ~150 ms over torch's objects otherwise, landing in whichever run allocates then).
    execute(RunRequest(source=program(SHAPES["chain"][0], 10), formats=("svg",)), settings)
    gc.collect()
    gc.freeze()
    names = ["pygraphviz", *(name for name, _ in engines())]
    served = settings.model_copy(update={"max_graph_nodes": DEFAULT_CAP})
    header = ["nodes", "whole ms", f"capped {DEFAULT_CAP} ms", "run ms", "trace ms", "to_dot ms",
              *(f"svg {n} ms" for n in names), "torchviz nodes", "torchviz ms",
              *(f"{n}/torchviz" for n in names)]  # fmt: skip
    widths = [max(len(h), 9) for h in header]
    for shape in arguments.shape:
        step, sizes = SHAPES[shape]
        print(f"\n{shape}: `{step}` in a loop")
        print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
        for size in sizes:
            cells = measure(step, size, settings, served, names)
            print(" | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)), flush=True)


if __name__ == "__main__":
    main()
