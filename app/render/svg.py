"""Making Graphviz's SVG safe to inline in a page.

Labels are already escaped, so Graphviz writes them as text; this pass is the belt to that brace:
it drops the XML prolog and comments, and any script, foreignObject, event attribute or link that
does not point inside the document. No URL attribute is ever set on the graph, so none is lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "use"}
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def clean_svg(raw: bytes) -> str:
    root = ET.fromstring(raw)  # raises on anything that is not well-formed XML
    if _is_clean(root):
        # The usual case, checked above: keep Graphviz's own text (re-serialising the tree
        # costs more than the layout), less the prolog, comments and blank space.
        text = _COMMENT.sub("", raw.decode("utf-8"))
        text = text[text.index("<svg") :]
        text = text.replace("<svg", '<svg class="autograd-graph"', 1)
    else:
        _strip(root)
        root.set("class", "autograd-graph")
        text = ET.tostring(root, encoding="unicode")
    return re.sub(r">\s+<", "><", text)


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
