"""JSON API v1 routes. Every status a route can answer is in its `responses`, with its body
(`Problem` for every error) and headers, so a generated client knows them all."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.errors import json_response
from app.api.run import answer
from app.api.schemas import Devices, Health, LessonInfo, Problem, RunBody, RunResponse
from app.pipeline import LESSONS, torch_version
from app.service.runner import Runner

router = APIRouter()

PROBLEM = "application/problem+json"
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
X_CACHE = {
    "X-Cache": {
        "description": "'hit' when answered from the cache of earlier runs.",
        "schema": {"type": "string", "enum": ["hit", "miss"]},
    }
}


def problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"model": Problem, "description": description}
    out["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    if headers:
        out["headers"] = headers
    return out


# What the guards (app/api/guards.py) and the error handlers may answer on any route.
COMMON: dict[int | str, dict[str, Any]] = {
    405: problem(
        "The method is not allowed here (see Allow).", {"Allow": {"schema": {"type": "string"}}}
    ),
    500: problem("A bug (`internal`): no traceback is sent."),
}
NOT_MODIFIED = {"description": "Not modified (If-None-Match matched the ETag)."}
WITH_BODY = {
    408: problem("The body did not arrive within body_timeout_seconds (`timeout`)."),
    413: problem("The body is larger than max_body_bytes (`too_large`)."),
    429: problem("Too many runs from this client (`rate_limited`).", RETRY_AFTER),
}


@router.post(
    "/api/v1/run",
    operation_id="runProgram",
    response_model=RunResponse,
    responses={
        200: {
            "description": "The run: values, gradients, steps, errors (a program that raises "
            "inside torch is a result). With `Accept: image/svg+xml` or `image/png`: the "
            "autograd graph's picture itself.",
            "headers": X_CACHE,
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        422: problem(
            "The language refused the program, a limit was reached, or the body is "
            "not a valid RunBody (`request`)."
        ),  # fmt: skip
        503: problem(
            "Every worker is busy (`busy`, see Retry-After), or the worker running the program "
            "stopped (`worker_lost`: not retried, no Retry-After).",
            RETRY_AFTER,
        ),
        **WITH_BODY,
        **COMMON,
    },
    summary="Run a program and return values, gradients, steps and errors",
    description="Runs a PyTorch program (or math notation) in a sandboxed worker and answers "
    "what torch computed. Refusals and failures are `application/problem+json`.",
)
async def run(body: RunBody, request: Request) -> Response:
    # Answered by app/api/run.py:answer, the same function as the ASGI short path (a comment,
    # not a docstring: FastAPI would publish a docstring as the operation's description).
    raw = await request.body()
    headers = {name: value for name, value in request.headers.items()}
    reply = await answer(request.app.state.runner, raw, headers, request.state.client)
    return Response(reply.body, status_code=reply.status, headers=reply.headers)


@router.get(
    "/api/v1/devices",
    operation_id="listDevices",
    response_model=Devices,
    responses={304: NOT_MODIFIED, **COMMON},
    summary="Devices programs can run on",
)
async def devices(request: Request) -> Response:
    """This instance's devices and, with a GPU pool configured, the pool's."""
    runner: Runner = request.app.state.runner
    return json_response({"devices": await runner.deployment.devices(), "default": "cpu"})


@router.get(
    "/api/v1/lessons",
    operation_id="listLessons",
    response_model=list[LessonInfo],
    responses={304: NOT_MODIFIED, **COMMON},
    summary="The built-in lessons",
)
async def lessons() -> Response:
    return json_response([lesson.to_json() for lesson in LESSONS])


@router.get(
    "/healthz",
    operation_id="health",
    response_model=Health,
    responses={503: {"model": Health, "description": "No worker can take a run."}, **COMMON},
    summary="Liveness",
)
async def healthz(request: Request) -> Response:
    # 503 while no worker can take a run (a readiness probe takes the instance out of the
    # balancer); Redis down is degraded, not unhealthy: the instance still answers.
    health = {"status": "ok", "torch": torch_version()}
    if request.app.state.store is not None:
        health["redis"] = await request.app.state.store.ping()
    pool = request.app.state.runner.pool
    if pool is not None and pool.alive == 0:
        health["status"] = "no workers"
        return json_response(health, status_code=503)
    return json_response(health)
