"""Exceptions → HTTP, in one place: every error the API answers is an RFC 9457 problem
(`application/problem+json`) built by app/problems.py from a typed error. No traceback ever
reaches a client."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from app import jsonsafe, problems
from app.lang.errors import ProgramError
from app.problems import Problem
from app.service.pool import Saturated, SlowClient, WorkerLost

log = logging.getLogger("autograd_playground")


MAX_ENCODED_DEPTH = 64  # what this module encodes is ours and shallow; json.dumps recurses


def json_response(content: Any, status_code: int = 200) -> Response:
    """Strict JSON: values are already made JSON-safe, so a NaN here is a bug, not data. The
    depth is checked before encoding, so no value makes the encoder recurse (a 422 `limit`)."""
    if not jsonsafe.within_depth(content, MAX_ENCODED_DEPTH):
        message = f"the answer nests deeper than {MAX_ENCODED_DEPTH} levels"
        return problem_response(problems.limit("max_json_depth", MAX_ENCODED_DEPTH, message))
    body = json.dumps(content, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type="application/json")


def reply(
    problem: Problem, instance: str | None, lang: str = "en"
) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, headers) of a problem: for FastAPI's handlers and the ASGI guards alike."""
    headers = {**problem.headers, "Content-Language": lang}
    return problem.code, problems.encode(problem, instance, lang), headers


def problem_response(problem: Problem, request: Request | None = None) -> Response:
    instance = request.url.path if request is not None else None
    lang = problems.choose_language(request.headers.get("accept-language")) if request else "en"
    status, body, headers = reply(problem, instance, lang)
    return Response(body, status_code=status, media_type=problems.MEDIA_TYPE, headers=headers)


def unavailable(exc: Saturated | WorkerLost) -> Problem:
    """503 for a full queue or a lost worker. Only `busy` invites a retry (Retry-After): a
    lost worker may have been lost to the program itself, and a client that retries it on its
    own would cost a worker per try. A run held back because its client's runs ran out of
    time lately is that client's 429, not the service's 503."""
    if isinstance(exc, SlowClient):
        detail = (
            "your recent programs ran out of time, so your runs wait behind the others' and "
            "this one waited too long; try again in a moment"
        )
        return Problem("rate_limited", detail, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Saturated):
        detail = "every worker is busy; try again in a moment"
        return Problem("busy", detail, headers={"Retry-After": "1"})
    message = (
        "the worker running this program stopped before it answered (the program may be what "
        "stopped it); it was not run again"
    )
    return Problem("worker_lost", message)


def invalid(errors: list[dict[str, Any]]) -> Problem:
    """A request that does not match its schema (pydantic's errors, FastAPI's or ours)."""
    rows = [{"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))} for e in errors]
    first = rows[0] if rows else {"loc": [], "msg": "invalid request"}
    return Problem("request", f"{'.'.join(first['loc'])}: {first['msg']}", errors=rows)


def install(app: FastAPI) -> None:
    @app.exception_handler(ProgramError)
    async def program_error(request: Request, exc: ProgramError) -> Response:
        return problem_response(problems.from_program_error(exc), request)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(invalid(list(exc.errors())), request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        problem = problems.for_status(exc.status_code, str(exc.detail), exc.headers)
        return problem_response(problem, request)

    @app.exception_handler(Saturated)
    @app.exception_handler(WorkerLost)
    async def no_worker(request: Request, exc: Saturated | WorkerLost) -> Response:
        return problem_response(unavailable(exc), request)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return problem_response(Problem("internal", "internal error"), request)
