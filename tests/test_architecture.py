"""Import direction stays downward (STYLE.md): api/web → pipeline → render/trace/engine → lang.

Only api/web import fastapi; only engine/trace import torch; only render imports graphviz.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _package(path: Path) -> str:
    relative = path.relative_to(APP)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


MODULES = sorted(APP.rglob("*.py"))
# package → third-party roots it may import
ALLOWED_THIRD_PARTY = {
    "api": {"fastapi", "starlette", "pydantic", "anyio"},
    "service": {"anyio", "redis", "prometheus_client", "httpx"},
    "main": {"fastapi", "starlette"},
    "plain": set(),
    "lessons": set(),
    "web": {"fastapi", "starlette", "jinja2", "anyio"},
    "engine": {"torch", "numpy", "torchvision", "PIL"},
    "trace": {"torch", "torchviz"},
    "render": {"graphviz", "pygraphviz"},
    "settings": {"pydantic", "pydantic_settings"},
    "cli": {"uvicorn"},
    "server": {"uvicorn"},
    "jsonsafe": set(),
    "heatmap": set(),
    "problems": set(),
    "traced": set(),
    "collector": set(),
}
# what a leaf module that knows no layer must import from none of them
_EVERY_LAYER = {"app.lang", "app.engine", "app.trace", "app.render", "app.pipeline",
                "app.service", "app.api", "app.web"}  # fmt: skip
# package → app packages it must not import (nothing upward)
FORBIDDEN_APP = {
    "lang": {"app.engine", "app.trace", "app.render", "app.pipeline", "app.api", "app.web"},
    "engine": {"app.trace", "app.render", "app.pipeline", "app.api", "app.web"},
    "trace": {"app.render", "app.pipeline", "app.api", "app.web"},
    "render": {"app.engine", "app.pipeline", "app.api", "app.web"},
    "pipeline": {"app.api", "app.web"},
    "problems": _EVERY_LAYER,
    # the pipeline's kept traces: plain records only, whoever made them
    "traced": _EVERY_LAYER,
    # a helper of the pipeline's own stages: it knows nothing of them
    "collector": _EVERY_LAYER,
    "api": {"app.engine", "app.trace", "app.render", "app.web"},
    "web": {"app.engine", "app.trace", "app.render", "app.api"},
    "heatmap": {
        "app.lang",
        "app.engine",
        "app.trace",
        "app.render",
        "app.pipeline",
        "app.api",
        "app.web",
    },  # fmt: skip
}
THIRD_PARTY_ROOTS = {"fastapi", "starlette", "torch", "graphviz", "jinja2", "uvicorn", "pydantic",
                     "torchviz", "pygraphviz", "pydantic_settings", "anyio", "numpy",
                     "redis", "prometheus_client", "httpx", "torchvision", "PIL"}  # fmt: skip


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(APP)))
def test_imports_go_downward(path: Path) -> None:
    package = _package(path)
    imports = _imports(path)
    third_party = {name.split(".")[0] for name in imports} & THIRD_PARTY_ROOTS
    unexpected = third_party - ALLOWED_THIRD_PARTY.get(package, set())
    assert not unexpected, f"{path.name} ({package}) imports {unexpected}"
    upward = {
        name
        for name in imports
        for banned in FORBIDDEN_APP.get(package, ())
        if name.startswith(banned)
    }
    assert not upward, f"{path.name} ({package}) imports upward: {upward}"


PUBLIC = APP.parent / "autograd_playground"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(APP)))
def test_app_never_imports_the_public_package(path: Path) -> None:
    """autograd_playground is a layer over app (it may import any of it); app never imports it."""
    imports = _imports(path)
    assert not {name for name in imports if name.split(".")[0] == "autograd_playground"}


@pytest.mark.parametrize("path", sorted(PUBLIC.rglob("*.py")), ids=lambda p: p.name)
def test_public_package_imports(path: Path) -> None:
    """It composes app's layers; it draws nothing itself (graphviz stays in render) and serves
    nothing (no fastapi): the notebook runs no server."""
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & {"graphviz", "pygraphviz", "fastapi", "starlette", "uvicorn"}
