"""The devices this machine can run programs on."""

from __future__ import annotations

from functools import lru_cache

import torch

from app.lang.errors import DeviceUnavailable


@lru_cache(maxsize=1)
def available_devices() -> tuple[str, ...]:
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return tuple(devices)


def resolve_device(name: str) -> str:
    """`cuda` means `cuda:0`; anything not on this machine is refused by name."""
    wanted = "cuda:0" if name == "cuda" else name
    if wanted not in available_devices():
        raise DeviceUnavailable(
            f"device '{name}' is not available here (available: {', '.join(available_devices())})"
        )
    return wanted


def torch_version() -> str:
    return str(torch.__version__)


def use_threads(count: int) -> None:
    """One torch thread per worker process: the pool, not torch, spreads runs over the cores."""
    torch.set_num_threads(count)
