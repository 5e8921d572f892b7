"""Page routes: the playground (`/`), the embed view (`/embed`) and the htmx run (`POST /run`).

Every route runs the program through the app's `Runner` (the answer cache, then a worker that calls
`pipeline.execute` + `pipeline.payload`): the same path and the same JSON the API answers with;
templates only show the view models app/web/build.py makes from it.

Refusals and htmx: htmx 2 does not swap 4xx answers by default. A program the language refuses is
content for this page (just as a step error is), so POST /run answers it with **200** and the
problems partial, retargeted with `HX-Retarget: #problems` so the last good graph stays on screen.
That also keeps the browser console free of failed-request errors while a student is mid-typing.
The JSON API keeps its 422.

Hostile input: a share link that cannot be read answers 400 with the default program and a
notice; a form field that is not what the form sends (`step=²`) is a 400 with the usual error
body. Links the page writes start with `public_url` (a setting), never with the request's `Host`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.lessons import LESSONS, find_lesson
from app.service.runner import Runner
from app.settings import Settings, get_settings
from app.web.export import export_html
from app.web.i18n import LANG_COOKIE, LANGUAGES, choose_language, labels
from app.web.page import (
    LAYOUT_COOKIE,
    PageInput,
    Ran,
    chrome_for,
    inputs_view,
    lesson_state,
    page_view,
    run_state,
)
from app.web.state import MODES, PlayState, StateError, decode, parse_step, shown_ids
from app.web.templating import templates
from app.web.views import Chrome, RunPart, context

router = APIRouter(include_in_schema=False)

SettingsDep = Annotated[Settings, Depends(get_settings)]
ONE_YEAR = 365 * 24 * 3600
MAX_FORM_FIELDS = 400


@router.get("/")
async def playground(request: Request, settings: SettingsDep) -> Response:
    return await _page(request, settings, chrome_for(embed=False))


@router.get("/embed")
async def embed(request: Request, settings: SettingsDep) -> Response:
    query = request.query_params
    chrome = chrome_for(
        True, query.get("big", ""), query.get("edit", ""), query.get("hide", ""),
        query.get("present", ""),
    )  # fmt: skip
    return await _page(request, settings, chrome)


@router.get("/export.html")
async def export(request: Request, settings: SettingsDep) -> Response:
    """ "Download HTML": the shared program's result as one self-contained file (no network)."""
    try:
        state = decode(
            request.query_params.get("s", ""), _max_state_bytes(settings), settings.max_json_depth
        )
    except StateError as exc:
        raise HTTPException(400, str(exc)) from exc
    lang = choose_language(request.query_params.get("lang"), state.lang, None)
    # the file keeps the whole graph's JSON for code that reads it, as the API answers it
    ran = await run_state(state, _runner(request), lang, request.state.client, detail="full")
    chrome = chrome_for(True, hide="table")
    part = {"t": labels(lang), "chrome": chrome, "result": ran.result}
    text = export_html(part, ran.graph or {}, labels(lang).title)
    headers = {"Content-Disposition": 'attachment; filename="autograd-playground.html"'}
    return HTMLResponse(text, headers=headers)


@router.post("/run")
async def run(request: Request, settings: SettingsDep) -> Response:
    form = await _form(request, settings)
    try:
        state = _posted_state(form)
    except StateError as exc:
        raise HTTPException(400, str(exc)) from exc
    chrome = chrome_for(
        form.get("embed") == "1", form.get("big", ""), form.get("edit", ""), form.get("hide", ""),
        form.get("present", ""),
    )  # fmt: skip
    lang = choose_language(form.get("lang"), None, request.cookies.get(LANG_COOKIE))
    layout = form.get("layout", "wide")
    ran = await run_state(state, _runner(request), lang, request.state.client, layout)
    if request.headers.get("HX-Request") != "true":  # a plain form post: the whole page
        page = PageInput(state, lang, chrome, None, "", _origin(settings))
        response = _render_page(request, page, ran)
    else:
        response = _run_partial(request, form, state, chrome, lang, ran)
    response.headers["Vary"] = "HX-Request"
    return response


def _run_partial(
    request: Request, form: Posted, state: PlayState, chrome: Chrome, lang: str, ran: Ran
) -> Response:
    inputs = inputs_view(state, ran)
    posted_names = tuple(name for name, _ in state.inputs)
    changed = form.get("inputs_mode") != state.mode or (
        ran.leaves is not None and tuple(name for name, _ in ran.leaves) != posted_names
    )
    part = RunPart(labels(lang), chrome, ran.result, inputs, changed)
    if ran.result.kind == "refusal":
        headers = {"HX-Retarget": "#problems", "HX-Reswap": "innerHTML"}
        return templates.TemplateResponse(
            request, "partials/_problems.html", context(part), headers=headers
        )
    return templates.TemplateResponse(request, "run.html", context(part))


async def _page(request: Request, settings: SettingsDep, chrome: Chrome) -> Response:
    query = request.query_params
    notice_key = ""
    lesson = find_lesson(query.get("lesson", ""))
    state: PlayState | None = None
    if query.get("s"):
        try:
            state = decode(query["s"], _max_state_bytes(settings), settings.max_json_depth)
        except StateError:
            notice_key = "link"
    if state is None:
        lesson = lesson or (LESSONS[0] if LESSONS else None)
        state = lesson_state(lesson) if lesson else PlayState(source="")
    lang = choose_language(query.get("lang"), state.lang, request.cookies.get(LANG_COOKIE))
    t = labels(lang)
    notice = t.refusal_link if notice_key else ""
    page = PageInput(state, lang, chrome, lesson, notice, _origin(settings))
    # a phone's page said it is narrow (static/js/main.js sets the cookie): drawn tall at once
    layout = request.cookies.get(LAYOUT_COOKIE, "wide")
    ran = await run_state(state, _runner(request), lang, request.state.client, layout)
    response = _render_page(request, page, ran)
    if notice_key:  # the page still helps (the default program), but the link was bad
        response.status_code = 400
    if query.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=ONE_YEAR, path="/", samesite="lax")
    return response


def _render_page(request: Request, page: PageInput, ran: Ran) -> Response:
    name = "embed.html" if page.chrome.embed else "index.html"
    return templates.TemplateResponse(request, name, context(page_view(page, ran)))


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner  # started by the app's lifespan (app/main.py)
    return runner


def _origin(settings: Settings) -> str:
    """The public base URL for the links a page writes ("" → relative links). Never the
    request's Host header: anyone can send any Host, and the links are shared."""
    return settings.public_url.rstrip("/")


def _max_state_bytes(settings: Settings) -> int:
    return settings.max_source_chars * 4 + 16_384


@dataclass(frozen=True, slots=True)
class Posted:
    fields: dict[str, str]
    inputs: tuple[tuple[str, str], ...]  # the inputs table's rows, in order

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)


async def _form(request: Request, settings: Settings) -> Posted:
    """The urlencoded form htmx posts (one value per field; input rows as parallel lists)."""
    body = await request.body()
    if len(body) > _max_state_bytes(settings) * 3:
        raise HTTPException(413, "the form is too large")
    try:
        text = body.decode("ascii", errors="replace")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError as exc:  # more fields than any form of ours has
        raise HTTPException(400, "too many form fields") from exc
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)
    names = [value for key, value in pairs if key == "input_name"]
    values = [value for key, value in pairs if key == "input_value"]
    return Posted(fields, tuple(zip(names, values, strict=False)))


def _posted_state(form: Posted) -> PlayState:
    """The posted form as a state; StateError for a field the form never sends."""
    mode = form.get("mode", "python")
    return PlayState(
        source=form.get("source"),
        mode=mode if mode in MODES else "python",
        inputs=form.inputs,
        device=form.get("device") or "cpu",
        step=parse_step(form.get("step")),
        lang=form.get("lang") or None,
        unfold=shown_ids(form.get("unfold").split()),
        fold=shown_ids(form.get("fold").split()),
    )
