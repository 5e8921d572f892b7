"""The Jinja environment: autoescape on for every template, StrictUndefined, no globals of ours.

The rendered SVG is the only value a template marks `|safe`; render built it from escaped labels
and stripped anything active from it (app/render/svg.py).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROOT = Path(__file__).resolve().parents[2]


def _shipped(name: str) -> Path:
    """A checkout keeps templates/ and static/ at its root; a wheel ships them inside the
    package, as app/templates and app/static (pyproject.toml, `package-dir`)."""
    inside = Path(__file__).resolve().parents[1] / name
    return inside if inside.is_dir() else ROOT / name


TEMPLATES_DIR = _shipped("templates")
STATIC_DIR = _shipped("static")


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


templates = Jinja2Templates(env=environment())
