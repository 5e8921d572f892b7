"""The playground's whole state, and its compact form in a URL (`?s=`).

The browser writes the token (static/js/share.js): JSON → UTF-8 → raw DEFLATE
(`CompressionStream("deflate-raw")`) → base64url without padding. The server reads it on first load
so a shared link renders the same graph before any script runs, and writes it for the links it
renders itself ("open in playground"). A token is data from anyone: decompression is bounded,
its JSON is depth-checked before parsing (app/jsonsafe.py), and every integer in it or in a posted
form is ASCII digits of bounded length (`int("²")` raises; a 5,000-digit step is no step).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app import jsonsafe
from app.settings import Settings

MODES = ("math", "python")
MAX_TOKEN_CHARS = 100_000
MAX_INPUTS = 64
MAX_STEP_DIGITS = 9  # no run executes a billion statements
MAX_SHOWN_IDS = 64  # unfold / fold: as many as the API takes (app/api/schemas.py)
SHOWN_ID = re.compile(r"[gm][0-9]{1,6}")  # a fold (g0) or a module call (m0)
MAX_JSON_DEPTH = Settings.model_fields["max_json_depth"].default


class StateError(ValueError):
    """A token or form that does not describe a playground state."""


class InputError(ValueError):
    """An input value that is not a number or a flat list of numbers."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(f"{name} = {text!r}: expected a number or a list of numbers like [1, 2]")
        self.name = name


@dataclass(frozen=True, slots=True)
class PlayState:
    source: str
    mode: str = "python"
    inputs: tuple[tuple[str, str], ...] = ()  # math mode: (name, value as typed)
    device: str = "cpu"
    step: int | None = None
    lang: str | None = None
    # what the picture draws in full (folds, module calls) and as one box (module calls)
    unfold: tuple[str, ...] = ()
    fold: tuple[str, ...] = ()

    def with_lang(self, lang: str) -> PlayState:
        return replace(self, lang=lang)

    def input_values(self) -> dict[str, float | list[float]]:
        """Inputs for RunRequest; raises InputError naming the first bad one."""
        return {name: parse_input(name, text) for name, text in self.inputs if text.strip()}

    def to_json(self) -> dict[str, Any]:
        return {
            "v": 1,
            "source": self.source,
            "mode": self.mode,
            "inputs": dict(self.inputs),
            "device": self.device,
            "step": self.step,
            "lang": self.lang,
            **({"unfold": list(self.unfold)} if self.unfold else {}),
            **({"fold": list(self.fold)} if self.fold else {}),
        }


def parse_input(name: str, text: str) -> float | list[float]:
    stripped = text.strip()
    try:  # a flat list: one level (deeper is refused before parsing, never recursed into)
        value = jsonsafe.loads(stripped, 1) if stripped.startswith("[") else float(stripped)
    except ValueError as exc:
        raise InputError(name, text) from exc
    items = value if isinstance(value, list) else [value]
    if not items or not all(_is_number(item) for item in items):
        raise InputError(name, text)
    return [float(item) for item in items] if isinstance(value, list) else float(value)


def _is_number(item: object) -> bool:
    return isinstance(item, int | float) and not isinstance(item, bool) and math.isfinite(item)


def encode(state: PlayState) -> str:
    raw = json.dumps(state.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def parse_step(text: str) -> int | None:
    """The `step` form field: "" (every statement) or ASCII digits; StateError for anything
    else (`str.isdigit` also takes "²" and other digits int() refuses)."""
    if not text:
        return None
    if len(text) > MAX_STEP_DIGITS or not (text.isascii() and text.isdigit()):
        raise StateError(f"step must be at most {MAX_STEP_DIGITS} digits 0-9")
    return int(text)


def decode(token: str, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> PlayState:
    """The state in a `?s=` token; StateError for anything else (never more than max_bytes,
    nor nested deeper than max_depth)."""
    if len(token) > MAX_TOKEN_CHARS:
        raise StateError("token too long")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        unpacker = zlib.decompressobj(-15)
        raw = unpacker.decompress(packed, max_bytes)
        if unpacker.unconsumed_tail or unpacker.unused_data or not unpacker.eof:
            raise StateError("token too large or truncated")
        data = jsonsafe.loads(raw.decode("utf-8"), max_depth)
    except (binascii.Error, zlib.error, ValueError) as exc:  # JSON, JsonLimit, Unicode
        raise StateError(str(exc)) from exc
    if not isinstance(data, dict):
        raise StateError("not an object")
    return from_mapping(data)


def from_mapping(data: Mapping[str, Any]) -> PlayState:
    source = data.get("source")
    mode = data.get("mode", "python")
    device = data.get("device", "cpu")
    inputs = data.get("inputs", {})
    step = data.get("step")
    lang = data.get("lang")
    if not isinstance(source, str) or mode not in MODES or not isinstance(device, str):
        raise StateError("source, mode or device missing")
    if not isinstance(inputs, dict) or len(inputs) > MAX_INPUTS:
        raise StateError("inputs must be an object")
    pairs = tuple((str(name), _input_text(value)) for name, value in inputs.items())
    if step is not None and not _is_step(step):
        raise StateError(f"step must be a natural number of at most {MAX_STEP_DIGITS} digits")
    return PlayState(
        source=source,
        mode=mode,
        inputs=pairs,
        device=device,
        step=step,
        lang=lang if isinstance(lang, str) else None,
        unfold=shown_ids(data.get("unfold", [])),
        fold=shown_ids(data.get("fold", [])),
    )


def shown_ids(value: object) -> tuple[str, ...]:
    """`unfold` / `fold`: a list of ids (the form's field: its text split at spaces);
    StateError for anything else."""
    items = value
    if not isinstance(items, list | tuple) or len(items) > MAX_SHOWN_IDS:
        raise StateError(f"unfold and fold must be lists of at most {MAX_SHOWN_IDS} ids")
    if not all(isinstance(item, str) and SHOWN_ID.fullmatch(item) for item in items):
        raise StateError("unfold and fold hold ids like g0 (a fold) or m1 (a module call)")
    return tuple(dict.fromkeys(items))


def _is_step(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**MAX_STEP_DIGITS
    )


def _input_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | list) and not isinstance(value, bool):
        return json.dumps(value)
    raise StateError("an input must be a number, a list or text")
