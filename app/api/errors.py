"""Exceptions → HTTP, in one place. No traceback ever reaches a client."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from app import jsonsafe
from app.lang.errors import ProgramError
from app.lang.messages import preferred_language
from app.service.pool import Saturated, WorkerLost

log = logging.getLogger("autograd_playground")


MAX_ENCODED_DEPTH = 64  # what this module encodes is ours and shallow; json.dumps recurses


def json_response(content: Any, status_code: int = 200) -> Response:
    """Strict JSON: values are already made JSON-safe, so a NaN here is a bug, not data. The
    depth is checked before encoding, so no value makes the encoder recurse (a 422 `limit`)."""
    if not jsonsafe.within_depth(content, MAX_ENCODED_DEPTH):
        message = f"the answer nests deeper than {MAX_ENCODED_DEPTH} levels"
        detail = {"type": "limit", "message": message, "limit": "max_json_depth"}
        content, status_code = {"detail": {**detail, "value": MAX_ENCODED_DEPTH}}, 422
    body = json.dumps(content, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type="application/json")


def refusal(detail: dict[str, Any], status_code: int = 422) -> Response:
    return json_response({"detail": detail}, status_code)


def unavailable(exc: Saturated | WorkerLost) -> tuple[int, bytes, dict[str, str]]:
    """503 for a full queue or a lost worker: (status, JSON body, headers), for the FastAPI
    handlers below and the run route's fast path alike. Only `busy` invites a retry
    (Retry-After): a lost worker may have been lost to the program itself, and a client that
    retries it on its own would cost a worker per try."""
    if isinstance(exc, Saturated):
        detail = {"type": "busy", "message": "every worker is busy; try again in a moment"}
        return 503, _detail_body(detail), {"Retry-After": "1"}
    message = (
        "the worker running this program stopped before it answered (the program may be what "
        "stopped it); it was not run again"
    )
    return 503, _detail_body({"type": "worker_lost", "message": message}), {}


def _detail_body(detail: dict[str, str]) -> bytes:
    return json.dumps({"detail": detail}, separators=(",", ":")).encode()


def install(app: FastAPI) -> None:
    @app.exception_handler(ProgramError)
    async def program_error(request: Request, exc: ProgramError) -> Response:
        return refusal(exc.to_dict(preferred_language(request.headers.get("accept-language"))))

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['msg']}"
        return refusal({"type": "request", "message": message, "errors": errors})

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> Response:
        detail = {"type": "request", "message": str(exc.detail)}
        return refusal(detail, status_code=exc.status_code)

    @app.exception_handler(Saturated)
    @app.exception_handler(WorkerLost)
    async def no_worker(_request: Request, exc: Saturated | WorkerLost) -> Response:
        status, body, headers = unavailable(exc)
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    @app.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return refusal({"type": "internal", "message": "internal error"}, status_code=500)
