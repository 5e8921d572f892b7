"""The ASGI app: `app.main:app` (tests, Docker and deployment rely on that name)."""

from __future__ import annotations

from fastapi import FastAPI

from app import __version__
from app.api import errors, routes
from app.web import routes as web_routes


def create_app() -> FastAPI:
    app = FastAPI(
        title="Autograd Playground",
        version=__version__,
        description="See the autograd graph PyTorch really builds: values, gradients, errors.",
    )
    app.include_router(routes.router)
    app.include_router(web_routes.router)
    errors.install(app)
    return app


app = create_app()
