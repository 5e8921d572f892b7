"""JSON API v1 routes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.errors import json_response
from app.api.fast_run import run_request
from app.api.schemas import Devices, LessonInfo, Refusal, RunBody, RunResponse
from app.pipeline import LESSONS, available_devices, torch_version
from app.service.ratelimit import run_as
from app.service.runner import Runner

router = APIRouter()


@router.post(
    "/api/v1/run",
    response_model=RunResponse,
    responses={
        422: {"model": Refusal, "description": "The language refused the program."},
        429: {"description": "Too many requests from this client (see Retry-After)."},
        503: {
            "description": "Every worker is busy (`busy`, see Retry-After), or the worker "
            "running the program stopped (`worker_lost`: not retried, no Retry-After)."
        },
    },
    summary="Run a program and return values, gradients, steps and errors",
)
async def run(body: RunBody, request: Request) -> Response:
    """Requests that validate are answered by app/api/fast_run.py before they reach this route;
    it runs for the others (their 422) and documents the endpoint in the OpenAPI schema."""
    runner: Runner = request.app.state.runner
    asked = run_request(body, request.headers.get("accept-language"))
    status, content, cached = await run_as(runner, asked, request.state.client)
    headers = {"X-Cache": "hit" if cached else "miss"}
    return Response(content, status_code=status, media_type="application/json", headers=headers)


@router.get("/api/v1/devices", response_model=Devices, summary="Devices programs can run on")
async def devices() -> Response:
    return json_response({"devices": list(available_devices()), "default": "cpu"})


@router.get("/api/v1/lessons", response_model=list[LessonInfo], summary="The built-in lessons")
async def lessons() -> Response:
    return json_response([lesson.to_json() for lesson in LESSONS])


@router.get("/healthz", summary="Liveness")
async def healthz() -> Response:
    return json_response({"status": "ok", "torch": torch_version()})
