"""The one gate every picture passes before Graphviz draws it, whatever its style.

Layout time grows steeply with a graph's size and shape, and a Graphviz library call cannot be
stopped once started; so every picture — the playground's own or torchviz's — is held to the
same bounds here: at most `max_graph_nodes` nodes (its producer shows the part nearest the
output, or falls back to one that does), and past `BOUNDED_LAYOUT_NODES` a layout whose network
simplex passes are bounded (nslimit). Its time is bounded in layout.py: large pictures are laid
out in a child process under `layout_seconds`.
"""

from __future__ import annotations

# Graphviz runs network simplex for x coordinates without an iteration bound by default; where
# one node fans out to many (a weight reused by every step of a loop) that grows steeply. Past
# this size the passes are bounded to one per node (nslimit=1): an equally valid, slightly less
# compact layout. Smaller graphs keep Graphviz's default, so their pictures do not change.
BOUNDED_LAYOUT_NODES = 60
LAYOUT_BOUNDS = "graph [nslimit=1]"


class TooManyNodes(Exception):
    """A picture's producer gave more nodes than any picture may have."""


def bounded(dot: str, nodes: int, max_nodes: int) -> str:
    """`dot` (a digraph of `nodes` nodes, its legend aside) with the layout bounds it needs;
    TooManyNodes past `max_nodes`."""
    if nodes > max_nodes:
        raise TooManyNodes(
            f"the picture would have {nodes} nodes, more than max_graph_nodes = {max_nodes}"
        )
    if nodes <= BOUNDED_LAYOUT_NODES:
        return dot
    head, brace, body = dot.partition("{\n")
    if not brace or "nslimit=" in body.split("\n", 2)[0]:
        return dot  # bounded by its producer already (the playground style's own line)
    return f"{head}{brace}\t{LAYOUT_BOUNDS}\n{body}"
