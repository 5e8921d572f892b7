"""app/render/dot_text.py writes what the `graphviz` package writes, byte for byte."""

from __future__ import annotations

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.render import dot_text

TEXT = st.text(alphabet=st.sampled_from('ab_1.-" \\<>&\n中∂→:'), max_size=12)
# graphviz warns (we do not) about text ending in one backslash; the text is the same
pytestmark = pytest.mark.filterwarnings("ignore::graphviz.exceptions.DotSyntaxWarning")
NAMES = st.sampled_from(["id", "class", "color", "shape", "style", "fontsize", "node", "Edge"])


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_quote_matches_graphviz(text: str) -> None:
    assert dot_text.quote(text) == graphviz.quoting.quote(text)
    escaped = graphviz.escape(text)  # marked "no HTML": stays text even when it looks like <…>
    assert dot_text.quote(escaped) == graphviz.quoting.quote(escaped)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["t0", "f1", "legend", "node"]),
            st.one_of(st.none(), TEXT, TEXT.map(graphviz.escape)),
            st.dictionaries(NAMES, st.one_of(st.none(), TEXT), max_size=4),
        ),
        max_size=5,
    ),
    st.dictionaries(NAMES, TEXT, max_size=3),
)
def test_graph_source_matches_graphviz(
    items: list[tuple[str, str | None, dict[str, str | None]]], defaults: dict[str, str]
) -> None:
    ours = [dot_text.defaults("node", **defaults), dot_text.defaults("edge", **defaults)]
    theirs = graphviz.Digraph("autograd", graph_attr={"rankdir": "LR", "bgcolor": "transparent"})
    theirs.attr("node", **defaults)
    theirs.attr("edge", **defaults)
    for index, (name, label, attributes) in enumerate(items):
        ours.append(dot_text.node(name, label, **attributes))
        theirs.node(name, label, **attributes)
        if index:
            ours.append(dot_text.edge(items[index - 1][0], name, label, **attributes))
            theirs.edge(items[index - 1][0], name, label, **attributes)
    written = dot_text.digraph("autograd", {"rankdir": "LR", "bgcolor": "transparent"}, ours)
    assert written == theirs.source
