"""HTTP as clients expect it: problem+json bodies (RFC 9457) on every error, compression,
ETag/304 and Cache-Control on GETs, HEAD, Accept and Accept-Language, CORS headers a script may
read, and API docs that load nothing from another host."""

from __future__ import annotations

import asyncio
import gzip
import json
import re

import httpx
import pytest

from app import problems
from app.main import create_app
from app.web.state import PlayState, encode

SEED = "x = torch.tensor(3., requires_grad=True)\ny = x * x\ny.backward()\n"
RFC_MEMBERS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert RFC_MEMBERS <= body.keys(), body
    assert body["type"] == f"/docs/problems#{kind}" and body["kind"] == kind
    assert body["status"] == status and body["detail"]
    return body


def test_an_unknown_path_and_a_wrong_method_are_problems(http: httpx.Client) -> None:
    missing = assert_problem(http.get("/api/v1/nothing"), 404, "not_found")
    assert missing["instance"] == "/api/v1/nothing"
    wrong = http.put("/api/v1/run", json={"source": SEED})
    assert_problem(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "POST"  # the exception's headers are kept


def test_an_internal_error_is_a_500_problem_without_a_traceback() -> None:
    app = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/boom")

    response = asyncio.run(get())
    body = assert_problem(response, 500, "internal")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert body["detail"] == "internal error"


def test_every_problem_type_is_documented(http: httpx.Client) -> None:
    page = http.get("/docs/problems")
    assert page.status_code == 200
    for kind, (status, title, _zh) in problems.KINDS.items():
        assert f'id="{kind}"' in page.text and title in page.text and str(status) in page.text


def test_titles_follow_accept_language(http: httpx.Client) -> None:
    english = http.post("/api/v1/run", json={"source": "import os"})
    chinese = http.post("/api/v1/run", json={"source": "import os"},
                        headers={"accept-language": "fr;q=1, zh-CN;q=0.9, en;q=0.8"})  # fmt: skip
    assert english.json()["title"] == problems.KINDS["not_allowed"][1]
    assert chinese.json()["title"] == problems.KINDS["not_allowed"][2]
    assert chinese.headers["content-language"] == "zh"
    # issue 17: a refusal's detail follows the language too; hints carry both (ours, never torch's)
    assert chinese.json()["detail"] == english.json()["hints"]["zh"] != english.json()["detail"]
    assert english.json()["detail"] == chinese.json()["hints"]["en"]


@pytest.mark.parametrize(
    ("accept", "media", "start"),
    [
        ("image/svg+xml", "image/svg+xml", b"<svg"),
        ("image/png", "image/png", b"\x89PNG"),
        ("application/json, image/svg+xml;q=0.5", "application/json", b"{"),
        ("image/png;q=0.2, image/svg+xml", "image/svg+xml", b"<svg"),
        ("*/*", "application/json", b"{"),
    ],
)
def test_run_honours_accept(http: httpx.Client, accept: str, media: str, start: bytes) -> None:
    response = http.post("/api/v1/run", json={"source": SEED}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media and response.content.startswith(start)


def test_a_refused_picture_is_still_a_problem(http: httpx.Client) -> None:
    response = http.post("/api/v1/run", json={"source": "import os"},
                         headers={"accept": "image/svg+xml"})  # fmt: skip
    assert_problem(response, 422, "not_allowed")


def test_a_picture_url_is_cacheable(http: httpx.Client) -> None:
    url = "/api/v1/picture.svg"
    first = http.get(url, params={"s": encode(PlayState(SEED))})
    assert first.status_code == 200 and first.headers["content-type"] == "image/svg+xml"
    assert re.fullmatch(r"public, max-age=\d+", first.headers["cache-control"])
    again = http.get(url, params={"s": encode(PlayState(SEED))},
                     headers={"if-none-match": first.headers["etag"]})  # fmt: skip
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    "path",
    ["/", "/api/v1/lessons", "/openapi.json", "/static/css/playground.css", "/api/v1/picture.svg"],
)
def test_text_is_compressed(http: httpx.Client, path: str) -> None:
    params = {"s": encode(PlayState(SEED))} if "picture" in path else None
    response = http.get(path, params=params, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    raw = http.get(path, params=params, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)  # it was worth it


def test_json_gets_have_etag_cache_control_and_304(http: httpx.Client) -> None:
    lessons = http.get("/api/v1/lessons")
    assert lessons.headers["cache-control"] == "public, max-age=300"
    etag = lessons.headers["etag"]
    assert http.get("/api/v1/lessons", headers={"if-none-match": etag}).status_code == 304
    assert http.get("/api/v1/lessons", headers={"if-none-match": '"other"'}).status_code == 200
    assert http.get("/healthz").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/lessons", "/api/v1/devices", "/healthz", "/docs",
                                  "/openapi.json", "/static/js/api-docs.js"])  # fmt: skip
def test_head_answers_like_get_without_a_body(http: httpx.Client, path: str) -> None:
    get = http.get(path, headers={"accept-encoding": "identity"})
    head = http.head(path, headers={"accept-encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


def test_scripts_on_other_origins_may_read_retry_after_and_x_cache(http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/run", json={"source": SEED}, headers={"origin": "https://lms.example"}
    )
    exposed = {
        name.strip().lower()
        for name in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"retry-after", "x-cache", "etag", "content-language"} <= exposed


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_our_own_files(http: httpx.Client, path: str) -> None:
    page = http.get(path)
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<script>" not in page.text  # no inline script
    for source in sources:
        if source != "/openapi.json":
            assert http.get(source).status_code == 200, source


def test_the_schema_documents_every_answer(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    assert set(components["Problem"]["properties"]["kind"]["enum"]) == set(problems.KINDS)
    operations = {
        op["operationId"]: op for path in schema["paths"].values() for op in path.values()
    }
    assert {
        "runProgram",
        "listLessons",
        "listDevices",
        "renderPicture",
        "health",
    } <= operations.keys()
    run = operations["runProgram"]["responses"]
    for status in ("405", "408", "413", "422", "429", "500", "503"):
        ref = run[status]["content"]["application/problem+json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Problem", status
    assert "Retry-After" in run["429"]["headers"] and "Retry-After" in run["503"]["headers"]
    assert "X-Cache" in run["200"]["headers"] and "image/svg+xml" in run["200"]["content"]
    assert components["RunBody"]["properties"]["source"]["minLength"] == 1
    assert components["RunResponse"]["properties"]["png"]["contentEncoding"] == "base64"
    assert components["Health"]["required"] == ["status", "torch"]
    text = json.dumps(schema)
    assert "app/" not in text and "fast_run" not in text  # no notes about our modules
