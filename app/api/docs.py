"""/docs (Swagger UI) and /redoc (ReDoc) from the package's own files under /static/vendor, so
they work offline and load nothing from another host; the start-up script is a static file too
(static/js/api-docs.js), not an inline one."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app import problems

router = APIRouter(include_in_schema=False)

SWAGGER = "/static/vendor/swagger-ui-5.36.0"
REDOC = "/static/vendor/redoc-2.5.4"
OPENAPI_URL = "/openapi.json"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/favicon.svg">{head}</head>
<body><div id="api-docs" data-viewer="{viewer}" data-openapi="{openapi}"></div>
<script src="{script}"></script><script src="/static/js/api-docs.js"></script></body></html>
"""


def page(title: str, viewer: str, script: str, head: str = "") -> HTMLResponse:
    html = PAGE.format(
        title=escape(title), head=head, viewer=viewer, openapi=OPENAPI_URL, script=script
    )
    return HTMLResponse(html)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    css = f'<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">'
    return page("Autograd Playground API", "swagger", f"{SWAGGER}/swagger-ui-bundle.js", css)


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return page("Autograd Playground API", "redoc", f"{REDOC}/redoc.standalone.js")


@router.get("/docs/problems")
async def problem_types() -> HTMLResponse:
    """What each problem `type` URI (/docs/problems#<kind>) means: the anchors resolve here."""
    rows = "".join(
        f'<tr id="{kind}"><td><code>{kind}</code></td><td>{status}</td>'
        f"<td>{escape(english)}</td><td>{escape(chinese)}</td></tr>"
        for kind, (status, english, chinese) in problems.KINDS.items()
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Problem types</title></head><body><h1>Problem types</h1>"
        "<p>Every error is <code>application/problem+json</code> (RFC 9457).</p>"
        f"<table><tr><th>kind</th><th>status</th><th>title</th><th>标题</th></tr>{rows}"
        "</table></body></html>"
    )
    return HTMLResponse(html)
