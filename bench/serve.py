"""End to end, under load, against a naive service measured in the same run:
`.venv/bin/python -m bench.serve` (needs `wrk`, from Debian; `make bench` installs it).

Prints, each beside the naive baseline (bench/naive_app.py: torchviz.make_dot(z).pipe('svg')
in a FastAPI endpoint) where one exists:

1. unloaded latency of the seed example with SVG (p50 of sequential requests), and our server's
   own time per stage (parse, run, trace, render), with pictures reused and with reuse off;
2. requests per second and p99 at 32 connections for distinct programs with SVG (every request a
   different program, so the cache never answers; they differ in a number, so pictures are
   reused, and once more on a server with PLAYGROUND_PICTURE_REUSE=false, where every picture
   is laid out), for distinct programs without SVG, and for a repeated lesson (answered from the
   answer cache);
3. the memory of each worker after a few seconds of runs (past first-run warm-ups) and after
   10,000 more runs with SVG, on a server whose workers are not replaced meanwhile.

The loads run with the deployed defaults (workers replaced after `worker_max_runs` runs
included), the rate limit aside.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import serve, worker_pids

SEED = (
    "x = torch.tensor({x}., requires_grad=True)\\ny = torch.tensor(6., requires_grad=True)\\n"
    "z = 2*x + x*y\\nz.backward()"
)
WRK_SCRIPT = """
local counter = 0
local formats = "%s"
local fixed = %s
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads)
end
function init(args)
  counter = (tonumber(wrk.thread:get("offset")) or 0) * 10000000
end
request = function()
  counter = counter + 1
  local x = fixed and 3 or counter
  local body = string.format('{"source": "%s", "formats": %%s}', x, formats)
  return wrk.format("POST", "/api/v1/run", {["Content-Type"] = "application/json"}, body)
end
"""
NAIVE_SCRIPT = """
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"x": %d, "y": 6}', counter)
  return wrk.format("POST", "/run", {["Content-Type"] = "application/json"}, body)
end
"""


@contextmanager
def serving(app: str, settings: dict[str, str], ready_path: str) -> Iterator[tuple[str, int]]:
    """uvicorn on the fast stack (uvloop, httptools), as deployed."""
    with (
        tempfile.TemporaryDirectory() as base,
        serve(
            Path(base), settings, app, ("--loop", "uvloop", "--http", "httptools"), ready_path
        ) as server,
    ):
        time.sleep(1.0)  # let the workers finish starting
        yield server.url, server.pid


def latency(url: str, path: str, bodies: list[dict[str, object]]) -> tuple[float, list[dict]]:
    """p50 of sequential requests in ms, and the server's own stage timings when it reports them.
    The client is http.client on one kept-alive connection: a heavier client (httpx adds ~1 ms
    a request here) would add the same time to both servers and flatten the ratio."""
    times, stages = [], []
    host, port = url.removeprefix("http://").split(":")
    client = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Content-Type": "application/json"}
    try:
        for index, body in enumerate(bodies):
            start = time.perf_counter()
            client.request("POST", path, json.dumps(body), headers)
            answer = json.loads(client.getresponse().read())
            if index >= 20:  # the first 20 warm up
                times.append((time.perf_counter() - start) * 1000)
            if "formats" in body and not answer.get("svg"):  # a figure without a picture lies
                raise SystemExit(f"no SVG came back: {answer.get('notes')}")
            if "timings_ms" in answer and index >= 20:
                stages.append(answer["timings_ms"])
    finally:
        client.close()
    return statistics.median(times), stages


def wrk(url: str, script: str, seconds: int = 8, connections: int = 32) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    os.unlink(handle.name)
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {"rps": rate, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0, "n": total}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def ours_script(formats: str, fixed: bool) -> str:
    # Lua reads "\\n" in a string literal as a newline: the JSON body needs the two characters
    source = SEED.replace("{x}", "%d").replace("\\n", "\\\\n")
    return WRK_SCRIPT % (formats.replace('"', '\\"'), "true" if fixed else "false", source)


def worker_memory(server_pid: int) -> list[float]:
    """RSS in MiB of each worker."""
    rss = []
    for worker in worker_pids(server_pid):
        status = Path(f"/proc/{worker}/status").read_text()
        rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
    return sorted(rss)


def main() -> None:
    # The deployed defaults (workers replaced after worker_max_runs runs included), no rate limit
    settings = {"rate_limit_per_minute": "0"}
    seed_bodies = [{"source": SEED.replace("{x}", str(i)).replace("\\n", "\n"), "formats": ["svg"]}
                   for i in range(220)]  # fmt: skip
    with serving("bench.naive_app:app", {}, "/openapi.json") as (naive, _):
        naive_p50, _ = latency(naive, "/run", [{"x": i, "y": 6} for i in range(220)])
        naive_load = wrk(naive, NAIVE_SCRIPT)
    # Every program of these loads differs only in a number: pictures are reused (only their
    # digits change). A server with reuse off shows the cost when every picture is laid out.
    with serving("app.main:app", {**settings, "picture_reuse": "false"}, "/healthz") as (ours, _):
        laid_out_p50, laid_out_stages = latency(ours, "/api/v1/run", seed_bodies)
        laid_out_load = wrk(ours, ours_script('["svg"]', fixed=False))
    with serving("app.main:app", settings, "/healthz") as (ours, pid):
        ours_p50, stages = latency(ours, "/api/v1/run", seed_bodies)
        svg_load = wrk(ours, ours_script('["svg"]', fixed=False))
        plain_load = wrk(ours, ours_script("[]", fixed=False))
        cached_load = wrk(ours, ours_script('["svg"]', fixed=True))
    # The same two workers before and after 10,000+ runs: not replaced midway for this
    with serving("app.main:app", {**settings, "worker_max_runs": "1000000"}, "/healthz") as (
        ours,
        pid,
    ):
        wrk(ours, ours_script('["svg"]', fixed=False), seconds=3)  # past first-run warm-ups
        at_rest = worker_memory(pid)
        runs = wrk(  # with SVG: recorded runs are the ones with autograd hooks to clean up
            ours,
            ours_script('["svg"]', fixed=False),
            seconds=max(4, int(10_000 / max(svg_load["rps"], 1)) + 2),
        )
        after = worker_memory(pid)
    print("unloaded, seed example with SVG, x = 0, 1, 2, … (p50 of 200 sequential requests)")
    print(f"  naive (torchviz.make_dot(z).pipe('svg')): {naive_p50:7.2f} ms")
    for name, p50, timings in (
        ("ours, pictures reused", ours_p50, stages),
        ("ours, every picture laid out", laid_out_p50, laid_out_stages),
    ):
        stage = {k: statistics.median(s[k] for s in timings) for k in timings[0]}
        print(f"  {name + ', end to end:':42s} {p50:7.2f} ms   ({p50 / naive_p50:.2f}× the naive)")
        print("    server stages (ms): " + ", ".join(f"{k} {v:.3f}" for k, v in stage.items()))
    print("\n32 connections, 8 s each (wrk)")
    rows = [
        ("naive, distinct, SVG", naive_load),
        ("ours, distinct, SVG", svg_load),
        ("ours, distinct, SVG, no reuse", laid_out_load),
        ("ours, distinct, no SVG", plain_load),
        ("ours, repeated lesson (cache)", cached_load),
    ]
    for name, row in rows:
        ratio = row["rps"] / naive_load["rps"]
        print(f"  {name:32s} {row['rps']:8.0f} req/s  p99 {row['p99']:7.1f} ms  "
              f"non-2xx {row['non2xx']:d}  ({ratio:.1f}× the naive req/s)")  # fmt: skip
    print(f"\nworker memory (RSS MiB): after 3 s of runs {at_rest}, after {runs['n']} more {after}")
    print(json.dumps({"naive_p50_ms": naive_p50, "ours_p50_ms": ours_p50}, indent=None))


if __name__ == "__main__":
    main()
