"""One instance against two behind nginx, sharing Redis: `.venv/bin/python -m bench.replicas`
(needs `wrk`, `redis-server` and `nginx` from Debian; `make bench` installs them).

Prints, all from the same run:

1. requests per second at 32 connections for distinct programs (no SVG: every request runs) and
   for a repeated lesson (answered from a cache), for: one instance alone; one instance with
   Redis; one instance with Redis behind nginx; two instances with Redis behind nginx;
2. the per-request overhead of Redis (the shared rate limit's script on every run, the shared
   cache's GET and SET on a miss) and of the proxy: p50 of sequential requests, each setup
   against the one before it.

On a 2-core machine two instances cannot beat one: each instance's workers already use both
cores, and wrk, nginx and Redis share them too. The pair is for availability there; its
throughput comes with more machines. Figures only: nothing is asserted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.serve import SEED, latency, ours_script, wrk
from tests import balancer
from tests.servers import serve

UVICORN = ("--loop", "uvloop", "--http", "httptools")
# the rate limit on (so Redis is asked on every run), too high to refuse anything
SETTINGS = {"rate_limit_per_minute": "1000000000", "rate_limit_burst": "1000000000"}


@contextmanager
def setup(instances: int, redis: bool, proxy: bool) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        base = Path(tmp)
        settings = dict(SETTINGS)
        if redis:
            settings["redis_url"] = stack.enter_context(balancer.redis_server(base / "redis"))
        urls = [
            stack.enter_context(serve(base / f"app{i}", settings, uvicorn_args=UVICORN)).url
            for i in range(instances)
        ]
        yield stack.enter_context(balancer.nginx(base / "nginx", urls)) if proxy else urls[0]


def _bodies(offset: int) -> list[dict[str, object]]:
    return [{"source": SEED.replace("{x}", str(offset + i)).replace("\\n", "\n")}
            for i in range(220)]  # fmt: skip


def main() -> None:
    setups = [
        ("one instance", 1, False, False),
        ("one instance + Redis", 1, True, False),
        ("one instance + Redis, behind nginx", 1, True, True),
        ("two instances + Redis, behind nginx", 2, True, True),
    ]
    rows = []
    for index, (name, instances, redis, proxy) in enumerate(setups):
        with setup(instances, redis, proxy) as url:
            p50, _ = latency(url, "/api/v1/run", _bodies(100_000 * (index + 1)))
            distinct = wrk(url, ours_script("[]", fixed=False))
            cached = wrk(url, ours_script("[]", fixed=True))
        rows.append((name, p50, distinct, cached))
    print("32 connections, 8 s each (wrk); p50 of 200 sequential distinct programs")
    for name, p50, distinct, cached in rows:
        print(f"  {name:38s} distinct {distinct['rps']:7.0f} req/s (p99 {distinct['p99']:6.1f} ms)"
              f"  cached {cached['rps']:7.0f} req/s  p50 {p50:5.2f} ms"
              f"  non-2xx {distinct['non2xx'] + cached['non2xx']}")  # fmt: skip
    print("per-request overhead, p50 (sequential, one connection):")
    for (before, p_before, _, _), (after, p_after, _, _) in zip(rows, rows[1:], strict=False):
        print(f"  {after} vs {before}: {p_after - p_before:+.3f} ms")


if __name__ == "__main__":
    main()
