"""The self-contained HTML file ("Download HTML", autograd_playground.to_html), and the page's
own JavaScript and CSS inlined for it and for the notebook widget (anywidget's `_esm`). There is
no second copy of the graph view: the files under `static/js/` are read as they are and joined
into one module, each in its own scope.

A module's `import { a } from './b.js'` becomes `const { a } = modules['b.js']` and its
`export function f` / `export const f` the object its scope returns; nothing else is rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from app.web.templating import STATIC_DIR, environment

VIEW_MODULES = ("graph.js", "backward.js", "view.js")  # dependencies first
_IMPORT = re.compile(r"^import \{([^}]*)\} from '\./([\w.-]+)'\s*$", re.MULTILINE)
_EXPORT = re.compile(r"^export (?:async )?(function|const|let) (\w+)", re.MULTILINE)


def _scoped(name: str, text: str) -> str:
    exported = [match.group(2) for match in _EXPORT.finditer(text)]
    text = _IMPORT.sub(lambda m: f"const {{{m.group(1)}}} = modules['{m.group(2)}']", text)
    text = _EXPORT.sub(lambda m: m.group(0).removeprefix("export "), text)
    return f"modules['{name}'] = (() => {{\n{text}\nreturn {{ {', '.join(exported)} }}\n}})()\n"


@cache
def view_script() -> str:
    """One ES module body defining `mountView` (and the modules it uses) at its top level."""
    parts = ["const modules = {}\n"]
    for name in VIEW_MODULES:
        parts.append(_scoped(name, (STATIC_DIR / "js" / name).read_text(encoding="utf-8")))
    parts.append("const { mountView } = modules['view.js']\n")
    return "".join(parts)


@cache
def stylesheet() -> str:
    return Path(STATIC_DIR / "css" / "playground.css").read_text(encoding="utf-8")


def inline_script(text: str) -> str:
    """Script text safe inside <script>...</script>: no `</` can end the element early."""
    return text.replace("</", "<\\/")


def export_html(context: Mapping[str, Any], graph: Mapping[str, Any], title: str) -> str:
    """`context`: what `partials/_result.html` reads (t, chrome, result); `graph`: the graph
    JSON, kept in the file for code that reads it. CSS and script are inlined as they are."""
    page = {
        **context,
        "title": title,
        "graph": graph,
        "css": Markup(inline_script(stylesheet())),
        "script": Markup(inline_script(view_script())),
    }
    return environment().get_template("export.html").render(page)
