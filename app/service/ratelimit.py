"""Per-client token buckets (a steady rate with room for a burst), and who the client is."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

_MAX_CLIENTS = 100_000  # buckets kept; the least recently seen are forgotten first


class RateLimiter:
    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def acquire(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > _MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))


# --- who the client is ---------------------------------------------------------------------------
# THE one place a request's client key is computed: the rate limit above and the runner's
# per-client fairness both count by it. A forwarding header is believed only from a proxy named
# in `trusted_proxies`; without one every request is its connection's address.

UNTRUSTED_FORWARD = "forwarded-by-an-untrusted-peer"
UNIX_PEER = "unix"  # a connection on a Unix socket has no address: the proxy in front of it


@dataclass(frozen=True, slots=True)
class Trusted:
    """The proxies whose X-Forwarded-For is believed: addresses or networks, and `unix` for
    the one in front of a Unix socket (`uvicorn --uds`, README "Security")."""

    networks: tuple[IPv4Network | IPv6Network, ...] = ()
    unix: bool = False


def trusted_proxies(setting: str) -> Trusted:
    """`PLAYGROUND_TRUSTED_PROXIES`, comma-separated (ValueError for what is not an address)."""
    parts = [part.strip() for part in setting.split(",") if part.strip()]
    networks = tuple(ip_network(part, strict=False) for part in parts if part != UNIX_PEER)
    return Trusted(networks, UNIX_PEER in parts)


def client_key(peer: str, forwarded_for: list[str], trusted: Trusted) -> str:
    """The client a request counts against.

    `peer` is the address the server reports (UNIX_PEER for a Unix socket), `forwarded_for`
    every X-Forwarded-For value. A server may have rewritten `peer` from X-Forwarded-For already
    (uvicorn does for loopback by default), so a request that carries the header from a peer we
    do not trust counts as one client, whatever it says: a new value per request buys nothing.
    """
    if not forwarded_for:
        return peer
    if not _is_trusted(peer, trusted):
        return UNTRUSTED_FORWARD
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):  # the nearest hop our proxies did not add themselves
        if not _is_trusted(hop, trusted):
            return hop[:64] or UNTRUSTED_FORWARD
    return peer


def _is_trusted(address: str, trusted: Trusted) -> bool:
    if address == UNIX_PEER:
        return trusted.unix
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted.networks)
