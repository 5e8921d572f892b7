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
        en, zh = f"input '{name}': the list is empty", f"输入 '{name}'：列表是空的"
        raise ProgramSyntaxError(en, None, {"en": en, "zh": zh})
    if len(value) > limits.max_tensor_elements:
        msg = f"input '{name}' has {len(value)} elements"
        raise LimitExceeded("max_tensor_elements", limits.max_tensor_elements, msg)
    return "[" + ", ".join(_float_literal(name, item) for item in value) + "]"


def _float_literal(name: str, value: object) -> str:
    problem, zh = "must be a number or a flat list of numbers", "必须是数字或一维数字列表"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return repr(number)
        problem, zh = "must be a finite number", "必须是有限的数"
    en = f"input '{name}' {problem}, not {value!r:.40}"
    raise ProgramSyntaxError(
        en, None, {"en": en, "zh": f"输入 '{name}' {zh}，而不是 {value!r:.40}"}
    )
