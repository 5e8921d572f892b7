"""What one instance shares with the rest of the deployment, for the Runner: the answer cache in
Redis (`PLAYGROUND_REDIS_URL`) behind the process's own, and the GPU pool
(`PLAYGROUND_CUDA_UPSTREAM`). With neither set, an instance is the embedded default: nothing here
does any work.
"""

from __future__ import annotations

from app.service.cache import AnswerCache
from app.service.device_pool import DevicePool, own_devices
from app.service.redis_cache import SharedAnswerCache
from app.service.shared_store import SharedStore
from app.service.worker import Answer
from app.settings import Settings


class Deployment:
    def __init__(self, settings: Settings, store: SharedStore | None, local: AnswerCache) -> None:
        self.settings = settings
        self.local = local
        self.shared = None
        if store is not None:
            megabytes = settings.cache_megabytes * 2**20
            self.shared = SharedAnswerCache(store, settings.redis_ttl_seconds, megabytes)
        self.gpu_pool = DevicePool(settings) if settings.cuda_upstream else None

    async def lookup(self, key: str, device: str) -> tuple[int, bytes, bool] | None:
        """After the process's own cache missed: the GPU pool for a device this instance lacks
        (which consults the shared cache itself), else the shared cache. None: run it here."""
        if self.gpu_pool is not None and self.gpu_pool.takes(device):
            return await self.gpu_pool.run(key)
        if self.shared is not None:
            answer = await self.shared.get(key)
            if answer is not None:
                self.local.put(key, answer)
                return answer.status, answer.body, True
        return None

    async def keep(self, key: str, answer: Answer) -> None:
        """A cacheable answer computed here (a complete 200: cache.cacheable), for the other
        replicas. Refusals are never shared: a device refusal is true of this machine only (a
        GPU replica runs what a CPU one refuses)."""
        if self.shared is not None:
            await self.shared.put(key, answer)

    async def devices(self) -> list[str]:
        """Every device the deployment offers: this instance's, then the GPU pool's."""
        offered = list(own_devices(self.settings))
        if self.gpu_pool is not None:
            offered += [name for name in await self.gpu_pool.devices() if name not in offered]
        return offered

    async def close(self) -> None:
        if self.gpu_pool is not None:
            await self.gpu_pool.close()
