"""Math notation's input values → the literals its leaves are created from."""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.lang.errors import LimitExceeded, ProgramSyntaxError
from app.settings import Limits


def leaf_literal(name: str, inputs: Mapping[str, object], limits: Limits) -> str:
    """The source of leaf `name`'s value: its input as a float (list), else 1.0."""
    if name not in inputs:
        return "1.0"
    value = inputs[name]
    if not isinstance(value, list | tuple):
        return _float_literal(name, value)
    if not value:
        raise ProgramSyntaxError(f"input '{name}': the list is empty")
    if len(value) > limits.max_tensor_elements:
        msg = f"input '{name}' has {len(value)} elements"
        raise LimitExceeded("max_tensor_elements", limits.max_tensor_elements, msg)
    return "[" + ", ".join(_float_literal(name, item) for item in value) + "]"


def _float_literal(name: str, value: object) -> str:
    problem = "must be a number or a flat list of numbers"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return repr(number)
        problem = "must be a finite number"
    raise ProgramSyntaxError(f"input '{name}' {problem}, not {value!r:.40}")
