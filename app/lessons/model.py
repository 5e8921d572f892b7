"""What a lesson is: a program to run and a short explanation, in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str  # a stable slug, used in URLs: /?lesson=<id>
    title: dict[str, str]  # {"en": ..., "zh": ...}
    explanation: dict[str, str]  # one paragraph each
    source: str
    mode: str = "python"  # or "math"
    inputs: dict[str, Any] = field(default_factory=dict)
    # Training lessons that know the parameters they should find (by series name: "w",
    # "net.0.weight"), for the chart: {"w": [2, -3.4], "b": 4.2}.
    truth: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "explanation": self.explanation,
            "mode": self.mode,
            "source": self.source,
            "inputs": self.inputs,
            "truth": self.truth,
        }
