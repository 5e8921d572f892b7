"""One instance against two behind nginx, sharing Redis: `.venv/bin/python -m bench.replicas`
(needs `wrk`, `redis-server` and `nginx` from Debian; `make bench` installs them).

Prints, all from the same run:

1. the per-request cost of Redis (the shared rate limit's script on every run; on a miss, the
   shared cache's GET and SET too) and of the proxy: sequential requests, one connection per
   setup, taking turns between the setups so that whatever else the machine does weighs on each
   alike; the median of the per-turn differences;
2. requests per second at 32 connections (wrk) for distinct programs (no SVG: every request runs)
   and for a repeated lesson (answered from the process's cache), for one instance alone, with
   Redis, behind nginx, and two instances behind nginx.

On a 2-core machine two instances cannot beat one: each instance's workers already use both
cores, and wrk, nginx and Redis share them too. The pair is for availability there; its
throughput comes with more machines. Figures only: nothing is asserted.
"""

from __future__ import annotations

import http.client
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from app.server import SERVE_ARGS
from bench.serve import SEED, ours_script, wrk
from tests import balancer
from tests.servers import serve

UVICORN = ("--loop", "uvloop", *SERVE_ARGS)  # as deployed
# the rate limit on (so Redis is asked on every run), too high to refuse anything
SETTINGS = {"rate_limit_per_minute": "1000000000", "rate_limit_burst": "1000000000"}
TURNS = 400


def _post(client: http.client.HTTPConnection, body: dict[str, object]) -> float:
    start = time.perf_counter()
    client.request("POST", "/api/v1/run", json.dumps(body), {"Content-Type": "application/json"})
    response = client.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"status {response.status}")
    return (time.perf_counter() - start) * 1000


def taking_turns(urls: dict[str, str], repeated: bool) -> dict[str, list[float]]:
    """ms per request for each setup, the setups taking turns request by request."""
    clients = {}
    for name, url in urls.items():
        host, port = url.removeprefix("http://").split(":")
        clients[name] = http.client.HTTPConnection(host, int(port), timeout=30)
    times: dict[str, list[float]] = {name: [] for name in urls}
    names = list(clients)
    for turn in range(TURNS + 20):
        for step in range(len(names)):  # each turn starts with the next setup: no order bias
            index = (turn + step) % len(names)
            x = 3 if repeated else 1_000_000 * (index + 1) + turn  # distinct: every one runs
            body = {"source": SEED.replace("{x}", str(x)).replace("\\n", "\n")}
            elapsed = _post(clients[names[index]], body)
            if turn >= 20:  # the first turns warm up
                times[names[index]].append(elapsed)
    for client in clients.values():
        client.close()
    return times


def _report_overhead(times: dict[str, list[float]]) -> None:
    names = list(times)
    for name in names:
        print(f"    {name:34s} p50 {statistics.median(times[name]):6.3f} ms")
    for before, after in zip(names, names[1:], strict=False):
        paired = [b - a for a, b in zip(times[before], times[after], strict=True)]
        print(f"    {after} − {before}: {statistics.median(paired):+.3f} ms (median per turn)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        base = Path(tmp)
        redis = stack.enter_context(balancer.redis_server(base / "redis"))
        shared = {**SETTINGS, "redis_url": redis}

        def start(name: str, settings: dict[str, str]) -> str:
            return stack.enter_context(serve(base / name, settings, uvicorn_args=UVICORN)).url

        # a separate instance for each setup: taking turns, each is as warm as the others
        alone, a, b = start("alone", SETTINGS), start("a", shared), start("b", shared)
        c = start("c", shared)
        one_behind = stack.enter_context(balancer.nginx(base / "nginx1", [c]))
        two_behind = stack.enter_context(balancer.nginx(base / "nginx2", [a, b]))
        time.sleep(1.0)
        turns = {"one instance": alone, "one instance + Redis": a,
                 "one instance + Redis, behind nginx": one_behind}  # fmt: skip
        distinct = taking_turns(turns, repeated=False)
        repeated = taking_turns(turns, repeated=True)
        loads = {"one instance": alone, "one instance + Redis": a,
                 "one instance + Redis, behind nginx": one_behind,
                 "two instances + Redis, behind nginx": two_behind}  # fmt: skip
        rows = {
            name: (wrk(url, ours_script("[]", fixed=False)), wrk(url, ours_script("[]", True)))
            for name, url in loads.items()
        }
    print(f"sequential, one connection each, {TURNS} turns")
    print("  distinct programs (each runs; with Redis: rate-limit script, cache GET and SET)")
    _report_overhead(distinct)
    print("  a repeated lesson (the process's cache; with Redis: the rate-limit script)")
    _report_overhead(repeated)
    print("32 connections, 8 s each (wrk)")
    for name, (runs, cached) in rows.items():
        print(f"  {name:38s} distinct {runs['rps']:7.0f} req/s (p99 {runs['p99']:6.1f} ms)  "
              f"repeated {cached['rps']:7.0f} req/s (p99 {cached['p99']:6.1f} ms)  "
              f"non-2xx {runs['non2xx'] + cached['non2xx']}")  # fmt: skip


if __name__ == "__main__":
    main()
