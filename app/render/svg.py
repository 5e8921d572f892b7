"""Making Graphviz's SVG safe to inline in a page.

Labels are already escaped, so Graphviz writes them as text; this pass is the belt to that brace:
it drops the XML prolog and comments, and any script, foreignObject, event attribute or link that
does not point inside the document. No URL attribute is ever set on the graph, so none is lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "use"}
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BETWEEN_TAGS = re.compile(r">\s+<")
_SIZE = re.compile(r'\b(width|height)="([\d.]+)pt"')
# What could make markup active, searched in the lower-cased bytes. Text cannot hold a raw `<`
# in well-formed XML, so every element shows as `<name` and every attribute as ` name=`: a
# document none of these match has nothing to strip. A match in a label's text (" on") only
# sends the picture down the slower, element-by-element path.
_ACTIVE_TAG = re.compile(rb"<[\w.-]*:?(?:script|foreignobject|iframe|object|embed|use)\b")
_OUTSIDE_LINK = re.compile(rb"href\s*=\s*(?![\"']#)")
_ACTIVE_TEXT = (b" on", b"\ton", b"\non", b"\ron", b"<!entity", b"cdata", b"javascript")


def clean_svg(raw: bytes) -> str:
    # A quick scan clears the usual picture; only what it cannot clear is parsed into a tree.
    if not (_well_formed(raw) and _plainly_clean(raw)):
        root = ET.fromstring(raw)  # raises on anything that is not well-formed XML
        if not _is_clean(root):
            _strip(root)
            root.set("class", "autograd-graph")
            return _BETWEEN_TAGS.sub("><", ET.tostring(root, encoding="unicode"))
    # Clean: keep Graphviz's own text (re-serialising a tree costs more than the layout), less
    # the prolog, comments and blank space.
    text = _COMMENT.sub("", raw.decode("utf-8"))
    text = text[text.index("<svg") :]
    text = text.replace("<svg", '<svg class="autograd-graph"', 1)
    return _BETWEEN_TAGS.sub("><", text)


def scaled(svg: str, scale: float) -> str:
    """The picture `scale` times its size: the root's width and height (in pt) grow, the viewBox
    stays, so every line and letter grows alike."""
    if scale == 1.0:
        return svg
    head_end = svg.index(">")

    def grown(match: re.Match[str]) -> str:
        return f'{match[1]}="{float(match[2]) * scale:.2f}pt"'

    return _SIZE.sub(grown, svg[:head_end], count=2) + svg[head_end:]


def _well_formed(raw: bytes) -> bool:
    """expat without callbacks: a fifth of the cost of building the tree."""
    try:
        expat.ParserCreate().Parse(raw, True)
    except expat.ExpatError:
        return False
    return True


def _plainly_clean(raw: bytes) -> bool:
    """True when a scan of the text finds nothing that could be active, and no class on the
    root (we set our own); False means "look element by element", not "dirty"."""
    lowered = raw.lower()
    if any(text in lowered for text in _ACTIVE_TEXT):
        return False
    if _ACTIVE_TAG.search(lowered) or _OUTSIDE_LINK.search(lowered):
        return False
    start = lowered.find(b"<svg")
    return start >= 0 and b"class" not in lowered[start : lowered.find(b">", start)]


def _is_clean(root: ET.Element) -> bool:
    """No forbidden element, event attribute or outside link anywhere; no class of its own."""
    if "class" in root.attrib:
        return False
    for element in root.iter():
        if _local(element.tag) in _FORBIDDEN_TAGS:
            return False
        for name, value in element.attrib.items():
            local = _local(name)
            if local.lower().startswith("on") or (local == "href" and not value.startswith("#")):
                return False
    return True


def _strip(element: ET.Element) -> None:
    for child in list(element):
        if _local(child.tag) in _FORBIDDEN_TAGS:
            element.remove(child)
            continue
        _strip(child)
    for name in list(element.attrib):
        local = _local(name)
        if local.lower().startswith("on"):
            del element.attrib[name]
        elif local == "href" and not element.attrib[name].startswith("#"):
            del element.attrib[name]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
