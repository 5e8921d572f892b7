"""Big graphs, folded: `.venv/bin/python -m bench.big_graph [--nodes 10000]`.

A chain built by a loop (`h = h.sin() * 1.01`, the program of `bench/render_sizes.py`, sized
for `--nodes` at 4 nodes an iteration; with its constants drawn it makes about 5, and the run
prints the real count). For the same run it prints two first views of the picture, each as the
time of its stages and end to end (run + trace + fold + picture):

- **today**: the graph unfolded, cut to the `max_graph_nodes` nodes nearest the output
  (`summarise`), as the page drew it before folding;
- **folded**: the loop's iterations folded into one `×N` box (`app/trace/fold.py`), the last
  iteration and the chain's start drawn in full.

The picture is DOT → SVG laid out as the workers do (in-process when pygraphviz is there) and
cleaned. Figures only: nothing is asserted about time.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from app.pipeline import RunRequest, execute
from app.render.dot import to_dot
from app.render.layout import layout, prefer_in_process
from app.render.svg import clean_svg
from app.settings import Settings
from app.trace.fold import fold_repeats
from app.trace.model import Graph
from app.trace.summarise import drawn_nodes, summarise
from bench.render_sizes import best_ms
from bench.render_sizes import program as chain_program

LAYOUT_SECONDS = 30.0


def program(nodes: int) -> str:
    return chain_program("h = h.sin() * 1.01", nodes)


def picture_ms(graph: Graph, cap: int, repeat: int) -> tuple[float, int]:
    """DOT → clean SVG of the first view, and how many nodes it draws."""
    shown = summarise(graph, cap)
    ms = best_ms(lambda: clean_svg(layout(to_dot(summarise(graph, cap)), "svg", LAYOUT_SECONDS)),
                 repeat)  # fmt: skip
    return ms, drawn_nodes(shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    prefer_in_process()
    settings = Settings(max_graph_nodes=Settings.model_fields["max_graph_nodes"].default)
    cap = settings.max_graph_nodes
    outcome = execute(RunRequest(source=program(options.nodes), formats=("graph",)), settings)
    graph = outcome.graph
    assert graph is not None and outcome.run.error is None, outcome.run.error
    run_ms, trace_ms = outcome.timings_ms["run"], outcome.timings_ms["trace"]
    flat = replace(graph, groups=())
    fold_ms = best_ms(lambda: fold_repeats(flat), options.repeat)
    today_ms, today_nodes = picture_ms(flat, cap, options.repeat)
    folded_ms, folded_nodes = picture_ms(graph, cap, options.repeat)
    print(f"graph: {len(graph.nodes)} nodes; run {run_ms:.0f} ms, trace {trace_ms:.0f} ms")
    print("| first view | nodes drawn | fold | picture | end to end |")
    print("|---|---|---|---|---|")
    base = run_ms + trace_ms
    print(f"| today: {cap} nearest the output | {today_nodes} | — | {today_ms:.0f} ms "
          f"| {base + today_ms:.0f} ms |")  # fmt: skip
    folds = graph.groups[0].count if graph.groups else 0
    whole = base + fold_ms + folded_ms
    print(f"| folded (×{folds}) | {folded_nodes} | {fold_ms:.1f} ms | {folded_ms:.0f} ms "
          f"| {whole:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
