"""POST /api/v1/run, answered by one function: `answer(runner, raw body, headers, client)`.

The ASGI short path (app/api/fast_run.py) and the FastAPI route (app/api/routes.py, which also
documents the endpoint in the OpenAPI schema) both call it, so validation, content-type rules,
the cache header, content negotiation and the error bodies cannot drift apart.

- The body must be JSON (`application/json` or `application/*+json`; a missing Content-Type is
  read as JSON, as FastAPI does) and match
  `RunBody`; anything else is a 422 `request` problem with the field errors.
- `Accept: image/svg+xml` or `image/png` (preferred over JSON) answers the picture itself.
- Refusals and failures are problems (app/problems.py), in the `Accept-Language` given.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app import jsonsafe, problems
from app.api.errors import invalid, reply, unavailable
from app.api.schemas import RunBody
from app.pipeline import RunRequest
from app.problems import Problem
from app.service.pool import Saturated, WorkerLost

RUN_PATH = "/api/v1/run"
JSON = "application/json"
PICTURES = {"image/svg+xml": "svg", "image/png": "png"}
NOT_JSON = "the body must be JSON (Content-Type: application/json)"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # Content-Type included


async def answer(runner: Any, raw: bytes, headers: dict[str, str], client: str) -> Reply:
    """`headers`: the request's, names in lower case."""
    lang = problems.choose_language(headers.get("accept-language"))
    parsed = parse(raw, headers.get("content-type"), runner.settings.max_json_depth)
    if isinstance(parsed, Problem):
        return _problem(parsed, lang)
    media = negotiate(headers.get("accept"))
    lang = parsed.lang or lang  # the body's `lang` over Accept-Language: picture and refusal
    request = run_request(parsed, PICTURES.get(media), lang)
    try:
        status, content, cached = await runner.run(request, client=client)
    except (Saturated, WorkerLost) as exc:
        return _problem(unavailable(exc), lang)
    cache = {"X-Cache": "hit" if cached else "miss"}
    if status != 200:
        body = problems.localize(content, RUN_PATH, lang)
        headers = {"Content-Type": problems.MEDIA_TYPE, "Content-Language": lang, **cache}
        return Reply(status, body, headers)
    if media != JSON:
        return Reply(200, picture(content, PICTURES[media]), {"Content-Type": media, **cache})
    return Reply(200, content, {"Content-Type": JSON, **cache})


def parse(raw: bytes, content_type: str | None, max_depth: int) -> RunBody | Problem:
    media = (content_type or JSON).split(";", 1)[0].strip().lower()
    if not (media == JSON or (media.startswith("application/") and media.endswith("+json"))):
        return Problem("request", f"body: {NOT_JSON}", errors=[{"loc": ["body"], "msg": NOT_JSON}])
    try:
        data = jsonsafe.loads(raw, max_depth)
    except jsonsafe.JsonLimit as exc:
        return problems.limit(exc.limit, exc.value, str(exc))
    except ValueError as exc:  # json's own errors
        return Problem("request", f"body: not valid JSON ({exc})")
    try:
        return RunBody.model_validate(data)
    except ValidationError as exc:
        return invalid([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])


def negotiate(accept: str | None) -> str:
    """JSON, or a picture type the client prefers to JSON (q-values; ties go to the order)."""
    best, best_q = JSON, -1.0
    for part in (accept or JSON).split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = _quality(params)
        if media in ("*/*", "application/*"):
            media = JSON
        if (media == JSON or media in PICTURES) and quality > best_q:
            best, best_q = media, quality
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def run_request(body: RunBody, picture_format: str | None = None, lang: str = "en") -> RunRequest:
    formats = tuple(body.formats)
    if picture_format is not None and picture_format not in formats:
        formats = (*formats, picture_format)
    return RunRequest(
        source=body.source,
        mode=body.mode,
        inputs=body.inputs,
        device=body.device,
        formats=formats,
        step=body.step,
        direction=body.direction,
        style=body.style,
        legend=body.legend,
        unfold=tuple(body.unfold),
        fold=tuple(body.fold),
        lang=lang,
        background=body.background,
        scale=body.scale,
        rankdir=body.rankdir,
        detail=body.detail,
    )


def picture(content: bytes, name: str) -> bytes:
    """The picture in a run's JSON answer, as the bytes of its media type."""
    value = json.loads(content)[name]
    return base64.b64decode(value) if name == "png" else str(value).encode()


def _problem(problem: Problem, lang: str) -> Reply:
    status, body, headers = reply(problem, RUN_PATH, lang)
    return Reply(status, body, {"Content-Type": problems.MEDIA_TYPE, **headers})
