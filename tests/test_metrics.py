"""/metrics in Prometheus's text format, scraped from a real uvicorn: its figures follow the
traffic. And the request id: echoed, and carried by the JSON log lines."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import time
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import Server, serve, the_only_worker, worker_pids

BURST = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = {"workers": "1", "rate_limit_burst": str(BURST), "rate_limit_per_minute": "6",
                "slow_workers": "0", "log_format": "json"}  # fmt: skip
    with serve(tmp_path_factory.mktemp("metrics"), settings) as running:
        yield running


def _scrape(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(server.url + "/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _value(figures: dict, name: str, **labels: str) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def test_figures_change_with_traffic(server: Server) -> None:
    before = _scrape(server)
    body = {"source": f"x = torch.tensor({time.time_ns() % 1000}.0, requires_grad=True)\n"
            "y = (x * 3).sum()\ny.backward()", "formats": ["svg"]}  # fmt: skip
    with httpx.Client(timeout=30) as client:
        first = client.post(server.url + "/api/v1/run", json=body)
        second = client.post(server.url + "/api/v1/run", json=body)
        client.get(server.url + "/no-such-page")
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    after = _scrape(server)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("playground_requests_total", route="/api/v1/run", status="200") == 2
    assert grew("playground_requests_total", route="other", status="404") == 1
    assert grew("playground_cache_hits_total", cache="process") == 1
    assert grew("playground_cache_misses_total", cache="process") == 1
    for stage in ("parse", "run", "trace", "render"):  # the one run computed, stage by stage
        assert grew("playground_run_stage_seconds_count", stage=stage) == 1
        assert grew("playground_run_stage_seconds_sum", stage=stage) > 0
    assert _value(after, "playground_workers_alive") == 1
    assert _value(after, "playground_queue_length") == 0


def test_rate_limited_requests_are_counted(server: Server) -> None:
    before = _scrape(server)
    with httpx.Client(timeout=30) as client:
        statuses = [
            client.post(server.url + "/api/v1/run", json={"source": "x = 1"}).status_code
            for _ in range(BURST + 3)
        ]
    refused = statuses.count(429)
    assert refused >= 3
    after = _scrape(server)
    assert (
        _value(after, "playground_rate_limited_total")
        - _value(before, "playground_rate_limited_total")
        == refused
    )


def test_a_replaced_worker_is_counted(server: Server) -> None:
    before = _value(_scrape(server), "playground_workers_replaced_total")
    worker = the_only_worker(server.pid)
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        figures = _scrape(server)
        if _value(figures, "playground_workers_alive") == 1 and worker_pids(server.pid) != [worker]:
            break
        time.sleep(0.1)
    assert _value(figures, "playground_workers_replaced_total") == before + 1
    assert _value(figures, "playground_workers_alive") == 1


def test_the_request_id_is_echoed_and_logged(server: Server) -> None:
    sent = httpx.get(server.url + "/healthz", headers={"x-request-id": "lesson-7.abc"}, timeout=10)
    made = httpx.get(server.url + "/healthz", timeout=10)
    hostile = httpx.get(server.url + "/healthz", headers={"x-request-id": 'a b"}'}, timeout=10)
    assert sent.headers["x-request-id"] == "lesson-7.abc"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["x-request-id"])  # not echoed as sent
    time.sleep(0.2)
    lines = (server.cwd.parent / "uvicorn.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    access = [r for r in records if r["logger"] == "autograd_playground.access"]
    mine = [r for r in access if r.get("request_id") == "lesson-7.abc"]
    assert len(mine) == 1
    assert (mine[0]["route"], mine[0]["status"], mine[0]["method"]) == ("/healthz", 200, "GET")
    assert mine[0]["ms"] >= 0 and mine[0]["level"] == "info"


def test_healthz_fails_while_no_worker_can_take_a_run() -> None:
    """What takes an instance out of a balancer by its readiness probe: a pool with no live
    worker (none started yet, or all failing to start) has nothing to run with."""
    from app.main import create_app
    from app.service.runner import Runner
    from app.settings import Settings

    async def health(workers: int) -> httpx.Response:
        app = create_app()
        app.state.runner = Runner(Settings(workers=workers))  # its pool not started: no workers
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/healthz")

    no_workers = asyncio.run(health(1))
    assert no_workers.status_code == 503 and no_workers.json()["status"] == "no workers"
    in_process = asyncio.run(health(0))  # runs in the web process: nothing to wait for
    assert in_process.status_code == 200 and in_process.json()["status"] == "ok"


@pytest.mark.parametrize(
    "source",
    [
        "x = torch.tensor(2., requires_grad=True)\n(x * x).backward()",
        # names and printed text shaped like the timings must not be taken for them
        "timings_ms = torch.tensor(3., requires_grad=True)\ny = timings_ms * 2\ny.backward()\n"
        'print(\'"timings_ms":{"parse":9,"run":9}\')',
        "parse = torch.ones(2, requires_grad=True)\ntimings_ms = parse.sum()\n"
        "timings_ms.backward()",
    ],
    ids=["plain", "hostile-names", "stage-names"],
)
def test_stage_timings_are_read_from_the_answer_exactly(source: str) -> None:
    """The quick scan finds what a full JSON parse finds (the oracle), pictures included."""
    from app.pipeline import RunRequest
    from app.service.metrics import stage_timings
    from app.service.worker import answer
    from app.settings import Settings

    status, body, *_ = answer(RunRequest(source=source, formats=("svg", "graph")), Settings())
    assert status == 200
    assert stage_timings(body) == json.loads(body)["timings_ms"]
