"""`GET /api/v1/picture.svg?s=<share token>` (and `.png`): the autograd graph of a share link as
the picture itself, for `<img src>` in slides, Markdown or an LMS.

The token is the page's (`?s=` of a share link, app/web/state.py), so it lives in the web layer;
the run is the same runner call the page and the API make. A token names one program, so the
picture is cacheable (`Cache-Control: public`, and the ETag app/api/http.py adds). Errors are
problems (app/problems.py), like the JSON API's.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from app import problems
from app.pipeline import RunRequest
from app.web.state import InputError, StateError, decode

router = APIRouter()

MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
CACHE = "public, max-age=86400"
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problem(description: str) -> dict[str, object]:
    return {"description": description, "content": _PROBLEM}


@router.get(
    "/api/v1/picture.{format}",
    operation_id="renderPicture",
    summary="The autograd graph of a share link, as SVG or PNG",
    response_class=Response,
    responses={
        200: {
            "description": "The picture (cacheable: ETag, Cache-Control: public).",
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        400: _problem("The token is not a share link's (`request`)."),
        405: _problem("The method is not allowed here (see Allow)."),
        422: _problem("The program was refused, or a query field is missing (`request`)."),
        429: _problem("Too many runs from this client (`rate_limited`)."),
        500: _problem("A bug (`internal`): no traceback is sent."),
        503: _problem("No worker could run it (`busy`, `worker_lost`)."),
    },
)
async def picture(
    request: Request,
    format: Annotated[Literal["svg", "png"], Path(description="svg or png")],
    s: Annotated[str, Query(min_length=1, description="A share link's ?s= token.")],
) -> Response:
    settings = request.app.state.runner.settings
    try:
        state = decode(s, settings.max_source_chars * 4 + 16_384, settings.max_json_depth)
        inputs = state.input_values()
    except (StateError, InputError) as exc:
        raise HTTPException(400, f"s: {exc}") from exc
    run = RunRequest(state.source, state.mode, inputs, state.device, formats=(format,),
                     step=state.step)  # fmt: skip
    status, content, _cached = await request.app.state.runner.run(run, client=request.state.client)
    if status != 200:
        lang = problems.choose_language(request.headers.get("accept-language"))
        body = problems.localize(content, request.url.path, lang)
        headers = {"Content-Language": lang}
        return Response(body, status_code=status, media_type=problems.MEDIA_TYPE, headers=headers)
    value = json.loads(content)[format]
    data = base64.b64decode(value) if format == "png" else str(value).encode()
    return Response(data, media_type=MEDIA[format], headers={"Cache-Control": CACHE})
