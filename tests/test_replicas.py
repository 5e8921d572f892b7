"""Two app instances behind Debian's nginx, sharing Debian's redis-server, all on loopback and
all started by this test (tests/balancer.py): what makes replicas interchangeable.

Skipped only where redis-server or nginx is not installed (`scripts/system-deps.sh`, run by
`make test`, installs them as root).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.server import SERVE_ARGS
from app.service.ratelimit import UNTRUSTED_FORWARD
from tests import balancer
from tests.servers import Server, children, serve

pytestmark = pytest.mark.skipif(
    bool(balancer.missing()),
    reason=f"not installed: {balancer.missing()} (scripts/system-deps.sh installs them as root)",
)
BURST = 300  # above what the load test sends, so only the limit test meets it
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # figures for the README
PROXY_ADDRESS = "127.0.0.2"  # nginx connects to the apps from here: the one trusted proxy
CUT_OFF = 0  # the status recorded for a response that broke off mid-body


@dataclass
class Deployment:
    redis: str
    a: Server
    b: Server
    lb: str
    lb_dir: Path


def _settings(redis: str) -> dict[str, str]:
    return {
        "workers": "1",
        "slow_workers": "0",
        "redis_url": redis,
        "rate_limit_per_minute": "60",  # one a second: a burst is spent, not refilled, in a test
        "rate_limit_burst": str(BURST),
        "trusted_proxies": PROXY_ADDRESS,
    }


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("replicas")
    with ExitStack() as stack:
        redis = stack.enter_context(balancer.redis_server(base / "redis"))
        a = stack.enter_context(serve(base / "a", _settings(redis), uvicorn_args=SERVE_ARGS))
        b = stack.enter_context(serve(base / "b", _settings(redis), uvicorn_args=SERVE_ARGS))
        lb = stack.enter_context(balancer.nginx(base / "nginx", [a.url, b.url], PROXY_ADDRESS))
        yield Deployment(redis, a, b, lb, base / "nginx")


@pytest.fixture(autouse=True)
def fresh_limits(deployment: Deployment) -> None:
    """Each test starts with full buckets (the tests own this Redis)."""
    import redis

    client = redis.Redis.from_url(deployment.redis)
    keys = list(client.scan_iter("playground:rate:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _program(tag: str) -> dict[str, object]:
    source = f"x = torch.tensor({len(tag)}.5, requires_grad=True)\ny = x * x  # {tag}\ny.backward()"
    return {"source": source}


def test_an_answer_computed_by_one_instance_is_served_by_the_other(deployment: Deployment) -> None:
    body = _program(f"shared-{time.time_ns()}")
    first = httpx.post(deployment.a.url + "/api/v1/run", json=body, timeout=30)
    second = httpx.post(deployment.b.url + "/api/v1/run", json=body, timeout=30)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-cache"] == "miss"
    assert second.headers["x-cache"] == "hit"  # B never ran it
    assert second.content == first.content
    assert second.json()["tensors"]["x"]["grad"] == 2 * first.json()["tensors"]["x"]["value"]


def test_a_clients_rate_limit_is_shared(deployment: Deployment) -> None:
    """Alternating between the instances, a client gets one burst in all, not one each."""
    body = _program("limit")
    statuses = []
    with httpx.Client(timeout=30) as client:
        for i in range(BURST + 20):
            server = deployment.a if i % 2 == 0 else deployment.b
            statuses.append(client.post(server.url + "/api/v1/run", json=body).status_code)
    accepted = statuses.count(200)
    assert set(statuses) == {200, 429}
    # a burst, plus what refilled at one a second while the test ran (well under 2 × BURST)
    assert BURST <= accepted <= BURST + 10, statuses
    assert statuses.index(429) >= BURST


def test_the_balancer_spreads_requests_and_passes_the_request_id(deployment: Deployment) -> None:
    before = [_requests_served(s) for s in (deployment.a, deployment.b)]
    with httpx.Client(timeout=30) as client:
        ids = [f"test-{i}" for i in range(6)]
        answers = [
            client.get(deployment.lb + "/healthz", headers={"x-request-id": request_id})
            for request_id in ids
        ]
    assert [answer.status_code for answer in answers] == [200] * 6
    assert [answer.headers["x-request-id"] for answer in answers] == ids
    assert all(answer.json()["redis"] == "ok" for answer in answers)
    after = [_requests_served(s) for s in (deployment.a, deployment.b)]
    assert after[0] > before[0] and after[1] > before[1]  # both instances answered some
    assert sum(after) - sum(before) == 6
    assert httpx.get(deployment.lb + "/metrics", timeout=10).status_code == 404  # inside only


def _requests_served(server: Server) -> float:
    text = httpx.get(server.url + "/metrics", timeout=10).text
    return sum(
        float(value)
        for value in re.findall(
            r'^playground_requests_total\{route="/healthz"[^}]*\} (\S+)$', text, re.MULTILINE
        )  # fmt: skip
    )


def test_client_addresses_come_from_the_proxy_header_only_when_the_proxy_is_trusted(
    deployment: Deployment,
) -> None:
    """The rate-limit buckets in Redis are named by the address the app believed."""
    import redis

    forged = {"x-forwarded-for": "198.51.100.7"}
    with httpx.Client(timeout=30) as client:
        direct = client.post(deployment.a.url + "/api/v1/run", json=_program("ip"), headers=forged)
        proxied = client.post(deployment.lb + "/api/v1/run", json=_program("ip"), headers=forged)
    assert direct.status_code == proxied.status_code == 200
    store = redis.Redis.from_url(deployment.redis)
    prefix = "playground:rate:"
    buckets = {key.decode().removeprefix(prefix) for key in store.scan_iter(prefix + "*")}
    store.close()
    # direct: an untrusted peer's header is not believed (all such requests count as one
    # client); proxied: nginx (trusted) replaced the client's header with the address it saw,
    # and the app believed that — never the forged address, never nginx's own
    assert buckets == {UNTRUSTED_FORWARD, "127.0.0.1"}


def test_killing_an_instance_mid_load_loses_no_request_the_balancer_could_retry(
    deployment: Deployment,
) -> None:
    """Runs only once, late: it kills instance B. A request nginx had already sent to B may fail
    (nginx never replays a POST it has sent: on a connection B held when it died, or a kept-alive
    one whose close nginx had not yet seen); one refused before sending goes to A. Then the
    first failure takes B out (passive health), and everything after is answered by A."""
    body = _program("load")
    results: list[tuple[float, float, int]] = []
    stop = time.monotonic() + 6.0

    def client_loop() -> None:
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < stop:
                started = time.monotonic()
                try:
                    status = client.post(deployment.lb + "/api/v1/run", json=body).status_code
                except httpx.RemoteProtocolError:  # B died between its headers and its body
                    status = CUT_OFF
                results.append((started, time.monotonic(), status))
                time.sleep(0.1)  # paced: under the rate limit's burst for the whole test

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(client_loop) for _ in range(4)]
        time.sleep(2.0)
        killed_at = _kill(deployment.b)
        for future in futures:
            future.result()
    errors = _upstream_errors(deployment.lb_dir, deployment.b.url)
    refused = [line for line in errors if "while connecting to upstream" in line]
    sent = [line for line in errors if line not in refused]
    failed = [r for r in results if r[2] != 200]
    # only requests nginx had sent to B failed (a 502, or an answer cut off when B died while
    # sending it); every refused one was retried on A
    assert {r[2] for r in failed} <= {502, CUT_OFF}
    assert len(failed) <= len(sent) <= 4, (failed, errors)  # at most one per client
    assert all(r[0] <= killed_at + 1.0 for r in failed), (failed, killed_at)
    after = [r for r in results if r[0] > killed_at + 1.0]
    assert len(after) > 20 and {r[2] for r in after} == {200}
    # B out after its first failures: without that, round robin would send it half of the rest
    assert 1 <= len(errors) <= 5 < len(after) / 4, (errors, len(after))
    assert httpx.get(deployment.lb + "/healthz", timeout=10).status_code == 200
    ARTIFACTS.mkdir(exist_ok=True)
    report = {
        "requests": len(results),
        "failed": len(failed),
        "after_kill": len([r for r in results if r[0] > killed_at]),
        "nginx_refused_by_b_and_retried": len(refused),
        "nginx_sent_to_b_and_failed": len(sent),
    }
    (ARTIFACTS / "replicas.json").write_text(json.dumps(report, indent=2))


def _kill(server: Server) -> float:
    """SIGKILL the instance (a crash, no draining), and its workers with it."""
    family = [server.pid, *children(server.pid)]
    family += [grandchild for pid in family[1:] for grandchild in children(pid)]
    for pid in family:
        os.kill(pid, signal.SIGKILL)
    return time.monotonic()


def _upstream_errors(nginx_dir: Path, upstream: str) -> list[str]:
    """nginx's error log lines about requests it tried to send to `upstream`."""
    log = (nginx_dir / "error.log").read_text(errors="replace").splitlines()
    return [line for line in log if "[error]" in line and f'upstream: "{upstream}/' in line]


def test_json_body_shapes_are_the_same_through_the_balancer(deployment: Deployment) -> None:
    body = _program(f"shape-{time.time_ns()}")
    direct = httpx.post(deployment.a.url + "/api/v1/run", json=body, timeout=30)
    proxied = httpx.post(deployment.lb + "/api/v1/run", json=body, timeout=30)
    assert json.loads(direct.content) == json.loads(proxied.content)


def test_an_instance_serves_on_when_redis_goes_down(tmp_path: Path) -> None:
    """No request fails: answers are computed (and cached in the process), the outage is logged
    once, and /healthz says so while staying 200 (the instance still serves). When Redis is
    back, the instance uses it again."""
    import redis as redis_client

    with ExitStack() as stack:
        redis = balancer.redis_server(tmp_path / "redis")
        url = stack.enter_context(redis)
        settings = {**_settings(url), "trusted_proxies": ""}
        server = stack.enter_context(serve(tmp_path / "app", settings, uvicorn_args=SERVE_ARGS))
        with httpx.Client(timeout=30) as client:
            shared = client.post(server.url + "/api/v1/run", json=_program("before"))
            assert shared.status_code == 200
            assert client.get(server.url + "/healthz").json()["redis"] == "ok"
            redis.__exit__(None, None, None)  # Redis stops
            answers = [client.post(server.url + "/api/v1/run", json=_program(f"down-{i % 3}"))
                       for i in range(9)]  # fmt: skip
            health = client.get(server.url + "/healthz")
            metrics = client.get(server.url + "/metrics").text
            port = int(url.rsplit(":", 1)[1].split("/")[0])
            url = stack.enter_context(balancer.redis_server(tmp_path / "redis2", port=port))
            time.sleep(2.5)  # SharedStore's RETRY_SECONDS: Redis is not asked before that
            back = client.get(server.url + "/healthz").json()["redis"]
            client.post(server.url + "/api/v1/run", json=_program("after-the-outage"))
            store = redis_client.Redis.from_url(url)
            stored = list(store.scan_iter("playground:answer:*"))
            store.close()
    assert [a.status_code for a in answers] == [200] * 9
    assert [a.headers["x-cache"] for a in answers] == ["miss"] * 3 + ["hit"] * 6
    assert health.status_code == 200 and health.json()["redis"] == "down"
    assert "playground_redis_up 0.0" in metrics
    log = (tmp_path / "app" / "uvicorn.log").read_text()
    assert log.count("is unreachable") == 1, log
    assert back == "ok" and log.count("is back") == 1
    assert len(stored) == 1  # the run after the outage, shared again
