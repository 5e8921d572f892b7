"""Running a playground state through the one composer, and the page's view model around it.

Programs run through the same `Runner` as the JSON API (app/service/runner.py: the answer cache,
then a worker process that calls `pipeline.execute` + `pipeline.payload`), so a page and an API
call for the same program get the same answer, with the same limits and the same sandbox. The
page asks for `detail: "drawn"`: that answer cut to what its picture draws (app/trace/slim.py),
so a big graph's answer is not written, sent and parsed for nodes no one sees.

A run whose worker was lost is never run again from here: the program may be what killed it,
and a page asking again would cost a worker per try. The page says so, and the student decides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from app.lessons import LESSONS, Lesson
from app.pipeline import RunRequest, available_devices
from app.problems import refusal_fields
from app.service.pool import Saturated, WorkerLost
from app.service.runner import Runner
from app.web import formatting as fmt
from app.web.build import Bounds, Lines, refused_view, result_view
from app.web.i18n import LANGUAGE_NAMES, LANGUAGES, Labels, labels
from app.web.state import InputError, PlayState, encode
from app.web.views import (
    HIDEABLE,
    Chrome,
    InputRow,
    InputsView,
    LessonView,
    LinkView,
    Option,
    PageView,
    ResultView,
)

FORMATS = ("graph", "svg")
# The page's layouts (the form's `layout` field, the LAYOUT_COOKIE) → Graphviz's rankdir: a
# narrow graph panel (static/js/main.js: a phone, a laptop's column) reads it top to bottom.
LAYOUTS = {"wide": "LR", "tall": "TB"}
LAYOUT_COOKIE = "pg_layout"
# An answer's values nest as deep as its tensors have dimensions (plus the payload's own few
# levels): deeper than this is refused before json.loads and the formatters, which recurse.
# A tensor's value is rectangular, so its nesting shows as a run of "[" at its start: looking for
# that run is exact for what a worker sends, and costs a substring search, not a parse.
ANSWER_DEPTH = 128
_TOO_DEEP = b"[" * (ANSWER_DEPTH + 1)


class AnswerTooLarge(ValueError):
    """An answer the page will not read in the web process (too large, or nested too deep)."""


@dataclass(frozen=True, slots=True)
class Ran:
    result: ResultView
    leaves: tuple[tuple[str, str], ...] | None  # math mode's free variables; None: not known
    graph: Mapping[str, Any] | None = None  # the graph JSON (for "Download HTML")


async def run_state(
    state: PlayState,
    runner: Runner,
    lang: str,
    client: str = "local",
    layout: str = "wide",
    detail: str = "drawn",
) -> Ran:
    """Runner → payload JSON → view model; a refusal is content too (no exception escapes).
    `client`: who asks (app/service/ratelimit.py:client_key), for the runner's fairness.
    `layout`: "tall" lays the graph out top to bottom, for a narrow screen (LAYOUTS).
    `detail`: "drawn" asks for what the picture draws (a big graph's answer stays small),
    "full" for the whole graph (a download keeps it)."""
    t = labels(lang)
    try:
        inputs = state.input_values()
    except InputError as exc:
        return Ran(refused_view({"type": "input", "message": str(exc)}, t), None)
    request = RunRequest(
        source=state.source,
        mode=state.mode,
        inputs=inputs,
        device=state.device,
        formats=FORMATS,
        step=state.step,
        legend=False,  # the page draws its own legend, in the reader's language
        lang=lang,  # the picture's words and any refusal, in the reader's language too
        rankdir=LAYOUTS.get(layout, "LR"),
        unfold=state.unfold,
        fold=state.fold,
        detail=detail,
    )
    try:
        status, body = await _ask(runner, request, client)
        whole = body
        if status == 200 and state.step is not None:  # the slider's length: the whole run
            counting = RunRequest(state.source, state.mode, inputs, state.device)
            status, whole = await _ask(runner, counting, client)
    except Saturated:
        return Ran(refused_view({"type": "busy", "message": t.busy}, t), None)
    except WorkerLost:  # not asked again: see the module's docstring
        return Ran(refused_view({"type": "worker_lost", "message": t.worker_lost}, t), None)
    except AnswerTooLarge:
        return Ran(refused_view({"type": "limit", "message": t.answer_too_deep}, t), None)
    if status != 200:
        return Ran(refused_view(refusal_fields(body), t), None)
    math = state.mode == "math"
    truth = lesson_truth(state)
    total = len(whole["steps"])
    bounds = Bounds(runner.settings.page_max_nodes, runner.settings.page_max_rows)
    result = result_view(body, _lines(body, math), t, lang, math, total, bounds, truth)
    result = replace(result, layout=layout if layout in LAYOUTS else "wide")
    return Ran(result, _leaves(whole, state) if math else (), body.get("graph"))


async def _ask(runner: Runner, request: RunRequest, client: str) -> tuple[int, dict[str, Any]]:
    """(status, payload or refusal), asked once. Raises Saturated, WorkerLost, AnswerTooLarge."""
    status, raw, _cached = await runner.run(request, client=client)
    return status, read_answer(raw, runner.settings.page_max_answer_bytes)


def read_answer(raw: bytes, max_bytes: int) -> dict[str, Any]:
    """A worker's answer, decoded in the web process only when it is small and shallow enough:
    json.loads holds the event loop for its whole length (page_max_answer_bytes bounds it)."""
    if len(raw) > max_bytes or _TOO_DEEP in raw:
        raise AnswerTooLarge(f"{len(raw)} bytes")
    try:
        answer: dict[str, Any] = json.loads(raw)
    except RecursionError as exc:  # nesting that is not a tensor's: still never a 500
        raise AnswerTooLarge("nested too deeply") from exc
    return answer


def lesson_truth(state: PlayState) -> Mapping[str, Any] | None:
    """The true parameters when the program is a lesson that knows them, unchanged (the page and
    POST /run both see only the source, so the source is what says which lesson it is)."""
    source = _normalised(state.source)
    for lesson in LESSONS:
        if lesson.truth and lesson.mode == state.mode and _normalised(lesson.source) == source:
            return lesson.truth
    return None


def _normalised(source: str) -> str:
    return source.replace("\r\n", "\n").strip()


def _lines(body: Mapping[str, Any], math: bool) -> Lines:
    """Math mode: lines of the compiled code → lines the student typed, from the payload's steps
    (`source_line` is null for the lines the compiler added: `import torch` and the leaves)."""
    if not math:
        return Lines(None)
    steps = body["steps"]
    return Lines({s["line"]: s["source_line"] for s in steps if s["source_line"] is not None})


def _leaves(body: Mapping[str, Any], state: PlayState) -> tuple[tuple[str, str], ...]:
    typed = dict(state.inputs)
    return tuple(
        (name, typed.get(name) or _input_text(info["value"]))
        for name, info in body["tensors"].items()
        if info["is_leaf"] and info["requires_grad"]
    )


def _input_text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, list) else fmt.number(value)


def inputs_view(state: PlayState, ran: Ran) -> InputsView:
    pairs = ran.leaves if ran.leaves is not None else state.inputs
    rows = tuple(InputRow(name, value, f"input-{name}") for name, value in pairs)
    return InputsView(math=state.mode == "math", mode=state.mode, rows=rows)


def chrome_for(
    embed: bool, big: str = "", edit: str = "", hide: str = "", present: str = ""
) -> Chrome:
    """`present=1` (presenter mode) hides all but the graph, the step slider and "Play
    backward": the program, console, table and lesson picker, whatever `hide` says."""
    if not embed:
        return Chrome(False, False, True, "", True, True, True, True, True)
    asked = {p.strip() for p in hide.split(",")}
    if present == "1":
        asked |= {"editor", "console", "table", "lessons"}
    hidden = [part for part in HIDEABLE if part in asked]
    return Chrome(
        embed=True,
        big=big == "1",
        editable=edit == "1",
        hide=",".join(hidden),
        show_editor="editor" not in hidden,
        show_console="console" not in hidden,
        show_table="table" not in hidden,
        show_slider="slider" not in hidden,
        show_lessons="lessons" not in hidden,
        present=present == "1",
    )


def lesson_state(lesson: Lesson) -> PlayState:
    inputs = tuple((name, json.dumps(value)) for name, value in lesson.inputs.items())
    return PlayState(source=lesson.source, mode=lesson.mode, inputs=inputs)


@dataclass(frozen=True, slots=True)
class PageInput:
    state: PlayState
    lang: str
    chrome: Chrome
    lesson: Lesson | None
    notice: str
    origin: str  # scheme://host of this request, for the embed snippet


def page_view(page: PageInput, ran: Ran) -> PageView:
    state, t, chrome = page.state, labels(page.lang), page.chrome
    token = encode(state.with_lang(page.lang))
    path = "/embed" if chrome.embed else "/"
    shared = {"s": token, **({"lesson": page.lesson.id} if page.lesson else {})}
    embed_src = f"{page.origin}/embed?{urlencode(shared)}"
    return PageView(
        t=t,
        chrome=chrome,
        page_path=path,
        source=state.source,
        gutter=tuple(range(1, state.source.count("\n") + 2)),
        modes=(
            Option("math", t.mode_math, state.mode == "math"),
            Option("python", t.mode_python, state.mode == "python"),
        ),
        inputs=inputs_view(state, ran),
        devices=_devices(state.device),
        lessons=_lessons(page.lesson, page.lang),
        lesson=_lesson_view(page.lesson, page.lang),
        languages=_languages(page, path, token),
        result=ran.result,
        lang=page.lang,
        share_url=f"{page.origin}/?{urlencode(shared)}",
        embed_code=_embed_code(embed_src, t),
        playground_url=f"/?{urlencode(shared)}",
        notice=page.notice,
        unfold=" ".join(state.unfold),
        fold=" ".join(state.fold),
    )


def _devices(current: str) -> tuple[Option, ...]:
    names: Sequence[str] = available_devices()
    if current not in names:
        names = (*names, current)  # shown so the refusal that names it makes sense
    return tuple(Option(name, name, name == current) for name in names)


def _lessons(current: Lesson | None, lang: str) -> tuple[Option, ...]:
    chosen = current.id if current else ""
    return tuple(
        Option(lesson.id, lesson.title.get(lang, lesson.title["en"]), lesson.id == chosen)
        for lesson in LESSONS
    )


def _lesson_view(lesson: Lesson | None, lang: str) -> LessonView | None:
    if lesson is None:
        return None
    return LessonView(
        title=lesson.title.get(lang, lesson.title["en"]),
        explanation=lesson.explanation.get(lang, lesson.explanation["en"]),
    )


def _languages(page: PageInput, path: str, token: str) -> tuple[LinkView, ...]:
    query: dict[str, str] = {"s": token}
    if page.lesson is not None:
        query["lesson"] = page.lesson.id
    chrome = page.chrome
    if chrome.embed:
        query.update({"big": "1" if chrome.big else "", "edit": "1" if chrome.editable else ""})
        query["hide"] = chrome.hide
    query = {key: value for key, value in query.items() if value}
    return tuple(
        LinkView(
            label=LANGUAGE_NAMES[code],
            href=f"{path}?{urlencode({**query, 'lang': code})}",
            lang=code,
            current=code == page.lang,
        )
        for code in LANGUAGES
    )


def _embed_code(src: str, t: Labels) -> str:
    return (
        f'<iframe src="{_attr(src)}" title="{_attr(t.title)}" width="960" height="600" '
        'style="border:1px solid #ccc;border-radius:8px" loading="lazy"></iframe>'
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
