"""JSON API v1 routes."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends
from fastapi.responses import Response

from app.api.errors import json_response
from app.api.schemas import Devices, LessonInfo, Refusal, RunBody, RunResponse
from app.pipeline import LESSONS, RunRequest, available_devices, execute, payload, torch_version
from app.settings import Settings, get_settings

router = APIRouter()


@router.post(
    "/api/v1/run",
    response_model=RunResponse,
    responses={422: {"model": Refusal, "description": "The language refused the program."}},
    summary="Run a program and return values, gradients, steps and errors",
)
async def run(body: RunBody, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    request = RunRequest(
        source=body.source,
        mode=body.mode,
        inputs=body.inputs,
        device=body.device,
        formats=tuple(body.formats),
        step=body.step,
        direction=body.direction,
        style=body.style,
    )
    # The run is CPU-bound: keep it off the event loop so health checks stay responsive.
    outcome = await to_thread.run_sync(execute, request, settings)
    return json_response(payload(outcome))


@router.get("/api/v1/devices", response_model=Devices, summary="Devices programs can run on")
async def devices() -> Response:
    return json_response({"devices": list(available_devices()), "default": "cpu"})


@router.get("/api/v1/lessons", response_model=list[LessonInfo], summary="The built-in lessons")
async def lessons() -> Response:
    return json_response([lesson.to_json() for lesson in LESSONS])


@router.get("/healthz", summary="Liveness")
async def healthz() -> Response:
    return json_response({"status": "ok", "torch": torch_version()})
