"""DOT text, written the way the `graphviz` package writes it, without its per-call machinery.

`graphviz.Digraph` checks its arguments through a decorator on every `node`, `edge` and
attribute quote: for a 10-node graph that was 0.3 ms of the 2 ms a picture takes. These functions
produce the same text (same quoting, attributes sorted by name, tab-indented lines), which
tests/test_dot_text.py checks against the package itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from graphviz import quoting

_IS_HTML = quoting.HTML_STRING.match
_IS_ID = quoting.ID.match
_KEYWORDS = quoting.KEYWORDS
_ESCAPE_QUOTES = quoting.ESCAPE_UNESCAPED_QUOTES


# Names, colours and styles repeat in every graph: ~200 quotes a picture, most of them cached.
# typed=True keeps a `nohtml` string apart from an equal plain one (they quote differently).
@lru_cache(maxsize=4096, typed=True)
def quote(identifier: str) -> str:
    """`graphviz.quoting.quote`: an HTML-like `<...>` stays as is (unless marked `nohtml` by
    `graphviz.escape`), a plain ID or number stays bare, anything else is double-quoted."""
    if _IS_HTML(identifier) and not isinstance(identifier, quoting.NoHtml):
        return identifier
    if not _IS_ID(identifier) or identifier.lower() in _KEYWORDS:
        return f'"{_ESCAPE_QUOTES(identifier)}"'
    return identifier


def attribute_list(label: str | None, attributes: Mapping[str, str | None]) -> str:
    """` [label=… a=… b=…]` (label first, then the rest sorted by name), or '' when empty."""
    parts = [f"label={quote(label)}"] if label is not None else []
    parts += [
        f"{quote(name)}={quote(value)}"
        for name, value in sorted(attributes.items())
        if value is not None
    ]
    return f" [{' '.join(parts)}]" if parts else ""


def node(name: str, label: str | None = None, **attributes: str | None) -> str:
    return f"\t{quote(name)}{attribute_list(label, attributes)}\n"


def edge(tail: str, head: str, label: str | None = None, **attributes: str | None) -> str:
    """An edge between two node ids (ours never hold a `:` port)."""
    return f"\t{quote(tail)} -> {quote(head)}{attribute_list(label, attributes)}\n"


def defaults(kind: str, **attributes: str) -> str:
    """Attributes for every `graph`, `node` or `edge` that follows ('' when there are none)."""
    listed = attribute_list(None, attributes)
    return f"\t{kind}{listed}\n" if listed else ""


def digraph(name: str, graph_attributes: Mapping[str, str], lines: Iterable[str]) -> str:
    head = f"digraph {quote(name)} {{\n" + defaults("graph", **graph_attributes)
    return head + "".join(lines) + "}\n"
