"""The training view: the loss and each parameter per backward call, as small charts.

`training_view` turns the payload's `training` field (app/engine/records.py `TrainingSeries`, as
the JSON API sends it) into view models with every coordinate and label already computed;
templates/partials/_training.html only writes them out as inline SVG.

Coordinates are in the chart's viewBox units (VIEW_WIDTH × VIEW_HEIGHT); the plot area is
LEFT..RIGHT × TOP..BOTTOM. Backward call i (1-based) of `calls` sits at
x = LEFT + (i - 1) / (calls - 1) · (RIGHT - LEFT); a value v at
y = BOTTOM - (v - lo) / (hi - lo) · (BOTTOM - TOP), where lo and hi are the first and last y
ticks (their logarithms on a log scale). A value that is not a finite number ("nan", "inf",
null) is not drawn and breaks the line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.web.i18n import Labels
from app.web.views import (
    ChartDot,
    ChartLine,
    ChartText,
    ChartTick,
    ChartTruth,
    ChartView,
    TrainingView,
)

VIEW_WIDTH = 320
VIEW_HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 48.0, 310.0, 24.0, 166.0
KEYS = ("key-0", "key-1", "key-2", "key-3")  # line colours (static/css/playground.css)
MAX_POINTS = 600  # more backward calls than this: every k-th call is drawn, and the last
LOG_DECADES = 2  # the loss axis is logarithmic when the loss spans more decades than this
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: tuple[float | None, ...]  # one per backward call; None: not drawn


@dataclass(frozen=True, slots=True)
class Truth:
    index: int  # the line it belongs to (its colour)
    value: float
    label: str


@dataclass(frozen=True, slots=True)
class Scale:
    """A y axis: lo..hi (exponents of ten on a log scale) and its ticks, as (value, label)."""

    lo: float
    hi: float
    log: bool
    ticks: tuple[tuple[float, str], ...]

    def y(self, value: float) -> float:
        position = math.log10(value) if self.log else value
        return BOTTOM - (position - self.lo) / (self.hi - self.lo) * (BOTTOM - TOP)


def training_view(
    training: Mapping[str, Any] | None, t: Labels, truth: Mapping[str, Any] | None = None
) -> TrainingView | None:
    """The charts for a run's training series; None when the run made no backward call."""
    if training is None:
        return None
    calls = int(training["calls"])
    loss = tuple(number(value) for value in training["loss"])
    drawn_loss = [value for value in loss if value is not None]
    charts: list[ChartView] = []
    notes: list[str] = []
    if drawn_loss:
        log = min(drawn_loss) > 0 and max(drawn_loss) > min(drawn_loss) * 10**LOG_DECADES
        axis = t.axis_loss_log if log else t.axis_loss
        lines = [Series(t.axis_loss, loss)]
        charts.append(_chart("loss", "loss", t.chart_loss, axis, lines, [], calls, log, t))
        summary = t.training_summary_loss.format(
            calls=calls, first=short(drawn_loss[0]), last=short(drawn_loss[-1])
        )
    else:
        notes.append(t.training_no_loss)
        summary = t.training_summary.format(calls=calls)
    for parameter in training["parameters"]:
        known = (truth or {}).get(parameter["name"])
        charts.append(_parameter_chart(parameter, known, calls, t))
    if training.get("truncated"):
        notes.append(t.training_truncated.format(count=len(training["parameters"])))
    return TrainingView(
        summary=summary, expanded=calls > 1, notes=tuple(notes), charts=tuple(charts)
    )


def number(value: Any) -> float | None:
    """A payload number as a float; None for "nan"/"inf" strings, null and anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def short(value: float) -> str:
    return f"{value:.4g}"


def _parameter_chart(parameter: Mapping[str, Any], known: Any, calls: int, t: Labels) -> ChartView:
    name = parameter["name"]
    shape = tuple(parameter["shape"])
    points = tuple(number(value) for value in parameter["points"])
    elements = parameter.get("elements")
    flat_truth = _flat(known)
    truths: list[Truth] = []
    if elements is not None and any(row is not None for row in elements):
        count = max(len(row) for row in elements if row is not None)
        lines = [
            Series(
                f"{name}[{_index(i, shape)}]",
                tuple(
                    number(row[i]) if row is not None and i < len(row) else None for row in elements
                ),
            )
            for i in range(count)
        ]
        axis = t.axis_value
        if flat_truth is not None and len(flat_truth) == count:
            truths = [Truth(i, v, t.truth.format(value=short(v))) for i, v in enumerate(flat_truth)]
    elif parameter["kind"] == "value":
        lines = [Series(name, points)]
        axis = t.axis_value
        if flat_truth is not None and len(flat_truth) == 1:
            truths = [Truth(0, flat_truth[0], t.truth.format(value=short(flat_truth[0])))]
    else:
        lines = [Series(f"‖{name}‖", points)]
        axis = t.axis_norm
        if flat_truth is not None and len(flat_truth) == math.prod(shape):
            norm = math.sqrt(sum(v * v for v in flat_truth))
            truths = [Truth(0, norm, t.truth_norm.format(value=short(norm)))]
    return _chart("parameter", name, name, axis, lines, truths, calls, False, t)


def _flat(value: Any) -> list[float] | None:
    """A truth (a number or nested lists of numbers) flattened; None when it is something else."""
    if value is None:
        return None
    out: list[float] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif number(item) is not None:
            out.append(float(item))
        else:
            return None
    return out


def _index(flat: int, shape: tuple[int, ...]) -> str:
    """Element `flat` of a tensor of this shape, as its index: `1` or `0, 1`."""
    if len(shape) <= 1:
        return str(flat)
    parts = []
    for size in reversed(shape):
        flat, rest = divmod(flat, size) if size else (flat, 0)
        parts.append(rest)
    return ", ".join(str(part) for part in reversed(parts))


def _chart(
    kind: str,
    name: str,
    title: str,
    axis: str,
    lines: Sequence[Series],
    truths: Sequence[Truth],
    calls: int,
    log: bool,
    t: Labels,
) -> ChartView:
    drawn = [value for line in lines for value in line.values if value is not None]
    drawn += [truth.value for truth in truths]
    scale = _log_scale(drawn) if log else _linear_scale(drawn)
    calls_shown = _calls_drawn(calls)
    chart_lines = tuple(
        _line(KEYS[i % len(KEYS)], line, calls_shown, calls, scale, t)
        for i, line in enumerate(lines)
    )
    chart_truths = tuple(_truth(truth, scale) for truth in truths)
    description = t.chart_description.format(
        heading=_heading(title, axis, t), calls=calls, series="; ".join(_said(lines, truths))
    )
    return ChartView(
        kind=kind,
        name=name,
        title=title,
        description=description,
        view_box=f"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}",
        scale="log" if scale.log else "linear",
        plot_x=coord(LEFT),
        plot_y=coord(TOP),
        plot_width=coord(RIGHT - LEFT),
        plot_height=coord(BOTTOM - TOP),
        x_ticks=tuple(_x_tick(call, calls) for call in x_ticks(calls)),
        y_ticks=tuple(
            _y_tick(scale.y(_tick_value(value, scale)), label) for value, label in scale.ticks
        ),
        x_label=ChartText(coord(RIGHT), coord(VIEW_HEIGHT - 4), t.axis_call),
        y_label=ChartText(coord(4), coord(14), axis),
        lines=chart_lines,
        truths=chart_truths,
    )


def _heading(title: str, axis: str, t: Labels) -> str:
    """The chart's name and its axis, each word once: "Loss (log scale)", not "Loss (loss (log
    scale))"; the axis is named only for what it adds to the title."""
    if axis.casefold().startswith(title.casefold()):
        return title + axis[len(title) :]
    return t.chart_heading.format(title=title, axis=axis)


def _said(lines: Sequence[Series], truths: Sequence[Truth]) -> list[str]:
    """Each line's first and last values; a chart of one line is named by its heading already,
    so its values stand alone ("Loss …: 9 → 0.56", not "Loss …: loss 9 → 0.56")."""
    if len(lines) == 1:
        parts = [_first_last(lines[0])]
    else:
        parts = [f"{line.label} {_first_last(line)}" for line in lines]
    return parts + [truth.label for truth in truths]


def _first_last(line: Series) -> str:
    drawn = [value for value in line.values if value is not None]
    return f"{short(drawn[0])} → {short(drawn[-1])}" if drawn else "—"


def coord(value: float) -> str:
    return f"{value:.1f}"


def x_position(call: int, calls: int) -> float:
    if calls <= 1:
        return (LEFT + RIGHT) / 2
    return LEFT + (call - 1) / (calls - 1) * (RIGHT - LEFT)


def _calls_drawn(calls: int) -> tuple[int, ...]:
    if calls <= MAX_POINTS:
        return tuple(range(1, calls + 1))
    stride = math.ceil(calls / MAX_POINTS)
    return tuple(sorted({*range(1, calls + 1, stride), calls}))


def _line(
    key: str, series: Series, shown: Sequence[int], calls: int, scale: Scale, t: Labels
) -> ChartLine:
    runs: list[list[str]] = []
    run: list[str] = []
    for call in shown:
        value = series.values[call - 1] if call - 1 < len(series.values) else None
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{coord(x_position(call, calls))},{coord(scale.y(value))}")
    if run:
        runs.append(run)
    drawn = [value for value in series.values if value is not None]
    return ChartLine(
        key=key,
        label=series.label,
        segments=tuple(" ".join(points) for points in runs if len(points) > 1),
        dots=tuple(ChartDot(*points[0].split(",")) for points in runs if len(points) == 1),
        last=t.last_value.format(value=short(drawn[-1])) if drawn else "",
    )


def _truth(truth: Truth, scale: Scale) -> ChartTruth:
    y = scale.y(truth.value)
    text_y = y - 4 if y - 4 >= TOP + 10 else y + 12
    return ChartTruth(
        key=KEYS[truth.index % len(KEYS)],
        x1=coord(LEFT),
        x2=coord(RIGHT),
        y=coord(y),
        label=ChartText(coord(RIGHT - 3), coord(text_y), truth.label),
    )


def _x_tick(call: int, calls: int) -> ChartTick:
    x = coord(x_position(call, calls))
    return ChartTick(x, coord(TOP), x, coord(BOTTOM), x, coord(BOTTOM + 13), str(call))


def _y_tick(y: float, label: str) -> ChartTick:
    return ChartTick(
        coord(LEFT), coord(y), coord(RIGHT), coord(y), coord(LEFT - 5), coord(y + 3.5), label
    )


def _tick_value(value: float, scale: Scale) -> float:
    return 10.0**value if scale.log else value


def x_ticks(calls: int) -> tuple[int, ...]:
    """1, then multiples of a round step up to `calls` (none too close to 1)."""
    if calls <= 1:
        return (1,)
    step = max(1, int(_nice(calls - 1, 5, (1, 2, 5, 10))))
    return (1, *(k for k in range(step, calls + 1, step) if k - 1 >= step / 2))


def _nice(span: float, count: int, mantissas: Sequence[float] = (1, 2, 2.5, 5, 10)) -> float:
    raw = span / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in mantissas if raw <= m * magnitude * (1 + 1e-9))


def _linear_scale(values: Sequence[float]) -> Scale:
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo == hi:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    if not math.isfinite(hi - lo):  # beyond float range: just the extremes
        return Scale(lo, hi, False, ((lo, f"{lo:.3g}"), (hi, f"{hi:.3g}")))
    step = _nice(hi - lo, 4)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    values_at = [k * step for k in range(first, last + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if round(step / 10.0 ** math.floor(math.log10(step) + 1e-9), 6) == 2.5:
        decimals += 1
    plain = max(abs(values_at[0]), abs(values_at[-1])) < 1e5 and step >= 1e-4
    ticks = tuple((v, _fixed(v, decimals) if plain else f"{v:.3g}") for v in values_at)
    return Scale(values_at[0], values_at[-1], False, ticks)


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _log_scale(values: Sequence[float]) -> Scale:
    lo = math.floor(math.log10(min(values)))
    hi = math.ceil(math.log10(max(values)))
    hi = max(hi, lo + 1)
    stride = max(1, math.ceil((hi - lo) / 5))
    hi = lo + stride * math.ceil((hi - lo) / stride)
    ticks = tuple((float(e), _power(e)) for e in range(lo, hi + 1, stride))
    return Scale(float(lo), float(hi), True, ticks)


def _power(exponent: int) -> str:
    if exponent in (0, 1):
        return str(10**exponent)
    return "10" + str(exponent).translate(SUPERSCRIPT)
