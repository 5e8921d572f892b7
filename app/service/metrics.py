"""Prometheus metrics of one instance, served at `/metrics` in the text format.

Counted as requests pass (by the API's observing middleware): requests by route and status,
rate-limited requests, run time by pipeline stage. Read from the live objects at each scrape
(nothing on the hot path): queue length, workers alive and replaced, cache hits and misses
(this process's cache and the shared one), runs sent to the GPU pool, whether Redis answers.

Each app has a registry of its own (never prometheus_client's global one), so several apps in
one process (tests) count separately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from app.service.runner import Runner

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_TIMINGS = b'"timings_ms":'
# a run starts with its parse; a kept trace drawn again (app/traced.py) with its look-up
_TIMINGS_KEYS = (_TIMINGS + b'{"parse":', _TIMINGS + b'{"reuse":')
STAGES = frozenset({"parse", "run", "trace", "render", "reuse"})  # pipeline._Clock's laps
_SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self, runner: Callable[[], Runner | None]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "playground_requests", "HTTP requests answered, by route and status.",
            ["route", "status"], registry=self.registry,
        )  # fmt: skip
        self.rate_limited = Counter(
            "playground_rate_limited", "Requests refused with 429 (a client over its rate).",
            registry=self.registry,
        )  # fmt: skip
        self.stage_seconds = Histogram(
            "playground_run_stage_seconds", "Time of each pipeline stage of the runs computed.",
            ["stage"], buckets=_SECONDS, registry=self.registry,
        )  # fmt: skip
        self._stages = {stage: self.stage_seconds.labels(stage) for stage in STAGES}
        self.registry.register(_LiveState(runner))

    def answered(self, route: str, status: int) -> None:
        self.requests.labels(route, str(status)).inc()
        if status == 429:
            self.rate_limited.inc()

    def ran(self, body: bytes) -> None:
        """A run computed (not from a cache): its stages' times, read from the answer's JSON."""
        for stage, millis in stage_timings(body).items():
            self._stages[stage].observe(millis / 1000)

    def text(self) -> bytes:
        return generate_latest(self.registry)


def stage_timings(body: bytes) -> dict[str, float]:
    """The answer's `timings_ms`, found without parsing the whole answer (with its picture,
    tens of kilobytes: a full parse cost more than the rest of the web process's work).

    The pattern is a key followed by an object whose first key is "parse" or "reuse": inside a
    JSON string a quote is always escaped, and no other object of an answer has that shape, so
    only the pipeline's own timings can match. Anything unexpected gives nothing."""
    start = max(body.rfind(key) for key in _TIMINGS_KEYS)
    if start < 0:
        return {}
    end = body.find(b"}", start)
    try:
        timings = orjson.loads(body[start + len(_TIMINGS) : end + 1])
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(timings, dict):
        return {}
    return {stage: float(millis) for stage, millis in timings.items()
            if stage in STAGES and isinstance(millis, int | float)}  # fmt: skip


class _LiveState(Collector):
    """Figures the pool and the caches keep anyway, read when Prometheus asks."""

    def __init__(self, runner: Callable[[], Runner | None]) -> None:
        self.runner = runner

    def collect(self) -> Iterator[Any]:
        runner = self.runner()
        if runner is None:  # before start-up
            return
        yield from _pool_metrics(runner)
        yield from _cache_metrics(runner)
        deployment = runner.deployment
        if deployment.gpu_pool is not None:
            yield CounterMetricFamily(
                "playground_gpu_pool_forwarded", "Runs answered by the GPU pool.",
                value=deployment.gpu_pool.forwarded,
            )  # fmt: skip
        if deployment.shared is not None:
            store = deployment.shared.store
            yield GaugeMetricFamily("playground_redis_up", "1 while Redis answers.", store.up)
            yield CounterMetricFamily(
                "playground_redis_failures", "Calls to Redis that failed.", value=store.failures
            )


def _pool_metrics(runner: Runner) -> Iterator[Any]:
    pool = runner.pool
    if pool is None:
        return
    yield GaugeMetricFamily("playground_queue_length", "Runs waiting for a worker.", pool.queued)
    yield GaugeMetricFamily("playground_workers_alive", "Worker processes taking runs.", pool.alive)
    yield GaugeMetricFamily("playground_workers_busy", "Workers running a program.", pool.busy)
    yield CounterMetricFamily(
        "playground_workers_replaced", "Workers replaced (time-outs, deaths, max runs).",
        value=pool.replaced,
    )  # fmt: skip


def _cache_metrics(runner: Runner) -> Iterator[Any]:
    hits = CounterMetricFamily(
        "playground_cache_hits", "Answers served from a cache.", labels=["cache"]
    )
    misses = CounterMetricFamily(
        "playground_cache_misses", "Cache look-ups that found nothing.", labels=["cache"]
    )
    caches: list[tuple[str, Any]] = [("process", runner.cache)]
    if runner.deployment.shared is not None:
        caches.append(("shared", runner.deployment.shared))
    for name, cache in caches:
        hits.add_metric([name], cache.hits)
        misses.add_metric([name], cache.misses)
    yield hits
    yield misses
