"""The Jinja environment: autoescape on for every template, StrictUndefined, no globals of ours.

The rendered SVG is the only value a template marks `|safe`; render built it from escaped labels
and stripped anything active from it (app/render/svg.py).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


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
