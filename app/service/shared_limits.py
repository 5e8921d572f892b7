"""Per-client rate limits that every replica shares: one token bucket per client in Redis,
updated by one Lua script (atomic, on Redis's clock, so replicas' clocks need not agree).

Each bucket expires once it would be full again, so Redis holds only the clients seen lately.
When Redis is down, each process limits by itself (`RateLimiter`, as with one instance) until
it answers again: the limit loosens by the number of replicas, and no request fails for it.
"""

from __future__ import annotations

from app.service.ratelimit import RateLimiter
from app.service.shared_store import SharedStore

# KEYS[1]: the client's bucket; ARGV: tokens per second, burst. Returns the seconds to wait.
_TOKEN_BUCKET = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class LocalLimits:
    """This process's buckets (no Redis configured), behind the same awaited call."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.local = RateLimiter(per_minute, burst)

    async def acquire(self, client: str) -> float:
        return self.local.acquire(client)


class SharedLimits:
    def __init__(self, store: SharedStore, per_minute: int, burst: int) -> None:
        self.store = store
        self.local = RateLimiter(per_minute, burst)  # while Redis is down
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._script = store.client.register_script(_TOKEN_BUCKET)

    async def acquire(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        key = self.store.key("rate", client)
        shared = await self.store.call(
            lambda _redis: self._script(keys=[key], args=[self.rate, self.burst]), None
        )
        if shared is None:
            return self.local.acquire(client)
        return float(shared)


def limits_for(
    store: SharedStore | None, per_minute: int, burst: int
) -> LocalLimits | SharedLimits:
    if store is None:
        return LocalLimits(per_minute, burst)
    return SharedLimits(store, per_minute, burst)
