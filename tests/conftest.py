"""Fixtures: the app served by a real uvicorn on loopback, and an HTTP client for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.servers import ROOT, serve

__all__ = ["ROOT", "RunApi"]


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The suite sends thousands of requests from one address: no rate limit on this server
    # (tests/test_service.py checks the limit on a server of its own).
    with serve(tmp_path_factory.mktemp("server"), {"rate_limit_per_minute": "0"}) as server:
        yield server.url


@pytest.fixture(scope="session")
def http(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=60) as client:
        yield client


RunApi = Callable[..., tuple[int, dict[str, Any]]]


@pytest.fixture(scope="session")
def run_api(http: httpx.Client) -> RunApi:
    """POST /api/v1/run; returns (status, json)."""

    def run(source: str, **fields: Any) -> tuple[int, dict[str, Any]]:
        response = http.post("/api/v1/run", json={"source": source, **fields})
        return response.status_code, response.json()

    return run
