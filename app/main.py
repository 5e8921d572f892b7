"""The ASGI app: `app.main:app` (tests, Docker and deployment rely on that name)."""

from __future__ import annotations

import gc
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from app import __version__
from app.api import docs, errors, routes
from app.api.cors import ApiCors
from app.api.fast_run import FastRun
from app.api.guards import RequestGuards
from app.api.http import ConditionalGet
from app.api.observe import Observe, scrape
from app.service import logs
from app.service.metrics import Metrics
from app.service.runner import Runner
from app.service.shared_store import SharedStore
from app.settings import get_settings
from app.web import picture
from app.web import routes as web_routes
from app.web import setup as web_setup


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The worker pool lives as long as the app; every request reaches it through app.state."""
    runner = Runner(get_settings(), app.state.store)
    await runner.start()
    app.state.runner = runner
    # The web process imports torch too (devices, version, request types): a full
    # collection over everything imported took 200-250 ms, a stall every request in flight
    # waited through (p99 under load 20 ms → 190 ms). What start-up made lives as long as the
    # process: leave it out of the collector's passes, as the workers do.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        await runner.close()
        if app.state.store is not None:
            await app.state.store.close()


def create_app() -> FastAPI:
    app = FastAPI(
        title="Autograd Playground",
        version=__version__,
        description="See the autograd graph PyTorch really builds: values, gradients, errors.",
        lifespan=lifespan,
        docs_url=None,  # app/api/docs.py serves them from our own files
        redoc_url=None,
        **_no_telemetry(),
    )
    settings = get_settings()
    logs.configure(settings.log_format)
    # Redis when configured (replicas share answers and rate limits), else all in this process
    app.state.store = SharedStore(settings.redis_url) if settings.redis_url else None
    app.state.metrics = Metrics(lambda: getattr(app.state, "runner", None))
    app.add_api_route("/metrics", scrape, include_in_schema=False)
    app.include_router(routes.router)
    app.include_router(web_routes.router)
    app.include_router(docs.router)
    app.include_router(picture.router)
    errors.install(app)
    # Middleware added last runs first: security headers wrap everything, guards sit inside,
    # and the run route's short path is innermost, behind the guards.
    app.add_middleware(FastRun)
    app.add_middleware(RequestGuards, settings=settings, store=app.state.store)
    app.add_middleware(ApiCors)  # the JSON API is open to other tools; the pages are not
    app.add_middleware(ConditionalGet)  # HEAD, ETag/304, Cache-Control on GETs
    web_setup.install(app)  # static files and security headers
    # Compress what everything inside wrote (HTML, JSON, SVG, JS, CSS). Level 1, not
    # Starlette's 9: the web process's one event loop pays for it on every answer, and the
    # higher levels cost about twice the CPU for ~10% fewer bytes (bench/README.md).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    app.add_middleware(Observe, metrics=app.state.metrics)  # outermost: ids, logs, metrics
    return app


def _no_telemetry() -> dict[str, Any]:
    """FastAPI 0.16x asks OpenTelemetry on every request whether it is configured (environment
    lookups); we export none, so say so once. Older FastAPI has no such option."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


app = create_app()
