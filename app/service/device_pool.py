"""The GPU pool: runs on a device this instance lacks (`cuda`) go to `cuda_upstream`, the
deployment's GPU replicas (a Service in front of them), and come back as they answered.

CPU replicas stay small and many; the few GPU replicas run only what needs them. The GPU
replicas must not have `cuda_upstream` set themselves (they run `cuda`, or refuse it).
"""

from __future__ import annotations

import json
import logging
import time

import httpx

from app.pipeline import available_devices
from app.service.pool import Saturated
from app.settings import Settings

log = logging.getLogger("autograd_playground.device_pool")
_DEVICES_SECONDS = 10.0  # how long the upstream's device list is believed
_GRACE_SECONDS = 5.0


class PoolUnreachable(Saturated):
    """The GPU replicas did not answer (down, or no route): a 503, like a full queue."""


def own_devices(settings: Settings) -> tuple[str, ...]:
    """What this instance lists as its own: the setting when given, else what torch finds."""
    listed = tuple(name.strip() for name in settings.advertised_devices.split(",") if name.strip())
    return listed or available_devices()


def _runs_here(device: str) -> bool:
    return ("cuda:0" if device == "cuda" else device) in available_devices()


class DevicePool:
    def __init__(self, settings: Settings) -> None:
        wait = settings.queue_wait_seconds + settings.max_run_seconds + settings.layout_seconds
        self.client = httpx.AsyncClient(
            base_url=settings.cuda_upstream.rstrip("/"),
            timeout=httpx.Timeout(wait + _GRACE_SECONDS, connect=2.0),
        )
        self.forwarded = 0
        self._devices: tuple[str, ...] = ()
        self._devices_at = -_DEVICES_SECONDS

    @staticmethod
    def takes(device: str) -> bool:
        return device.startswith("cuda") and not _runs_here(device)

    async def run(self, key: str) -> tuple[int, bytes, bool]:
        """`key`: the run's fields as JSON, which is also the API's request body."""
        try:
            response = await self.client.post(
                "/api/v1/run", content=key.encode(), headers={"content-type": "application/json"}
            )
        except httpx.HTTPError as exc:
            log.error("the GPU pool at %s did not answer: %r", self.client.base_url, exc)
            raise PoolUnreachable from exc
        if response.status_code >= 500:
            raise PoolUnreachable
        self.forwarded += 1
        return response.status_code, response.content, response.headers.get("x-cache") == "hit"

    async def devices(self) -> tuple[str, ...]:
        """The GPU replicas' devices, asked at most every few seconds; () while unreachable."""
        if time.monotonic() - self._devices_at < _DEVICES_SECONDS:
            return self._devices
        try:
            response = await self.client.get("/api/v1/devices", timeout=2.0)
            self._devices = tuple(json.loads(response.content)["devices"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            self._devices = ()
        self._devices_at = time.monotonic()
        return self._devices

    async def close(self) -> None:
        await self.client.aclose()
