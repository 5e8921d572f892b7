"""The service's own bounds (issue 12): the wall time holds whatever a run does, failures are
never cached, and a run that lost its worker is never run again. Real uvicorn, real workers."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from app.pipeline import RunRequest
from app.service import worker
from app.settings import Settings
from tests.servers import Server, serve, the_only_worker, worker_pids
from tests.test_service import BIG, ENDLESS, SEED, assert_seed_still_works, post

MAX_RUN_SECONDS = 1.0
ROOMY = {"max_tensor_elements": 10**7, "max_live_elements": 10**8}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # no client is marked slow here (slow_client_seconds 0): the bounds are measured on a worker
    # at its usual priority, not behind the fairness rules (tests/test_fairness.py has those)
    settings = {"workers": "1", "max_run_seconds": str(MAX_RUN_SECONDS), "layout_seconds": "5",
                "slow_workers": "0", "slow_client_seconds": "0", "worker_memory_mb": "1536",
                **BIG}  # fmt: skip
    with serve(tmp_path_factory.mktemp("bounds"), settings) as running:
        yield running


def _timed(url: str, source: str) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = post(url, source)
    return response, time.monotonic() - start


def test_one_long_call_is_answered_within_a_second_past_the_wall_time(server: Server) -> None:
    response, elapsed = _timed(server.url, ENDLESS)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["kind"], problem["limit"]) == ("limit", "max_run_seconds")
    assert elapsed <= MAX_RUN_SECONDS + 1.0, f"answered after {elapsed:.2f} s"
    assert_seed_still_works(server.url)


def test_a_run_that_ended_past_its_wall_time_is_a_limit_refusal() -> None:
    """One call the engine cannot interrupt, that ends by itself after the wall time: its
    result would depend on the machine's speed, so it is refused like a time-out."""
    source = "a = torch.ones(3000, 3000)\nb = a @ a\n"  # checked before the call, not after
    roomy = worker.answer(RunRequest(source=source), Settings(**ROOMY))
    assert roomy.status == 200 and roomy.complete and not roomy.out_of_time
    settings = Settings(max_run_seconds=0.2, **ROOMY)
    answer = worker.answer(RunRequest(source=source), settings)
    assert answer.status == 422 and answer.out_of_time and not answer.complete
    problem = json.loads(answer.body)
    assert problem["limit"] == "max_run_seconds"
    assert problem.get("line") is None  # the run's own end, not the engine's check between calls


@pytest.mark.parametrize(
    ("source", "limit"),
    [
        ("while True:\n    pass\n", "max_loop_iterations"),
        (ENDLESS, "max_run_seconds"),
        ("x = torch.ones(40000, 10000)\n", "worker_memory_mb"),
        ("x = torch.zeros(60000000)\ny = x.tolist()\n", "worker_memory_mb"),
    ],
    ids=["loop-limit", "wall-time", "torch-allocation", "python-memory-error"],
)
def test_a_run_that_ran_out_of_a_resource_is_a_refusal_and_never_cached(
    server: Server, source: str, limit: str
) -> None:
    for _ in range(2):
        response = post(server.url, source)
        assert response.status_code == 422, response.text[:300]
        assert response.json()["limit"] == limit
        assert response.headers["x-cache"] == "miss"
    assert_seed_still_works(server.url)


def test_a_run_that_ran_out_of_memory_costs_its_worker_and_a_big_run_fits_after(
    server: Server,
) -> None:
    """A failed allocation can leave a worker's heap too fragmented for the next big run (it was
    refused at its first allocation): the worker answers, then a fresh one takes its place."""
    before = the_only_worker(server.pid)
    response = post(server.url, "x = torch.zeros(60000000)\ny = x.tolist()\n")
    assert response.json()["limit"] == "worker_memory_mb"
    deadline = time.monotonic() + 30
    while worker_pids(server.pid) in ([before], []):
        assert time.monotonic() < deadline, "the worker was not replaced"
        time.sleep(0.05)
    big = post(server.url, "a = torch.ones(6000, 6000)\nb = (a + a).sum()\n")
    assert big.status_code == 200, big.text[:300]


def test_a_complete_answer_is_still_cached(server: Server) -> None:
    source = SEED + "print('kept')\n"
    first, second = post(server.url, source), post(server.url, source)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_until_computing(pid: int, since: int) -> None:
    """Until the process has used a fifth of a second of CPU more than `since`."""
    deadline = time.monotonic() + 30
    while _cpu_ticks(pid) - since < os.sysconf("SC_CLK_TCK") / 5:
        assert time.monotonic() < deadline, "the worker never started computing"
        time.sleep(0.02)


def test_a_run_whose_worker_crashed_costs_one_worker_and_is_not_run_again(server: Server) -> None:
    before = the_only_worker(server.pid)
    idle = _cpu_ticks(before)
    answers: list[tuple[httpx.Response, float]] = []
    running = threading.Thread(target=lambda: answers.append(_timed(server.url, ENDLESS + "#x\n")))
    running.start()
    _wait_until_computing(before, idle)  # it has taken the run: it is not merely queued
    os.kill(before, signal.SIGSEGV)  # what a crash in C code does to the worker
    running.join()
    response, elapsed = answers[0]
    assert response.status_code == 503, response.text
    assert response.json()["kind"] == "worker_lost"
    assert elapsed < MAX_RUN_SECONDS + 0.5  # answered at once, not after a second try
    assert_seed_still_works(server.url)
    after = worker_pids(server.pid)
    assert len(after) == 1 and after[0] != before  # one replacement, and it is idle again


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two workers, behind a proxy on loopback that names each client in X-Forwarded-For."""
    settings = {"workers": "2", "slow_workers": "0", "max_run_seconds": "2",
                "trusted_proxies": "127.0.0.1", "rate_limit_per_minute": "0",
                "worker_memory_mb": "1536", **BIG}  # fmt: skip
    base = tmp_path_factory.mktemp("fair")
    with serve(base, settings, uvicorn_args=("--no-proxy-headers",)) as running:
        yield running


def _as(url: str, client: str, source: str) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = httpx.post(f"{url}/api/v1/run", json={"source": source}, timeout=120,
                          headers={"X-Forwarded-For": client})  # fmt: skip
    return response, time.monotonic() - start


def test_an_attacker_with_many_slow_runs_never_holds_every_worker(behind_a_proxy: Server) -> None:
    url, attacker = behind_a_proxy.url, "198.51.100.66"
    first, _ = _as(url, attacker, ENDLESS)  # known now: its runs ran out of time
    assert first.json()["limit"] == "max_run_seconds"
    attacks: list[httpx.Response] = []
    threads = [
        threading.Thread(target=lambda n=n: attacks.append(_as(url, attacker, f"{ENDLESS}#{n}")[0]))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the attacker's runs wait or hold one worker
    for n in range(5):
        response, elapsed = _as(url, "203.0.113.7", SEED + f"print({n})\n")
        assert response.status_code == 200, response.text
        assert elapsed < 1.0, f"a student waited {elapsed:.2f} s behind the attacker"
    for thread in threads:
        thread.join()
    assert [a.status_code for a in attacks] == [422] * 4  # delayed, not refused
