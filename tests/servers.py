"""Starting the app as an operator would: a real uvicorn on loopback with PLAYGROUND_* settings
of its own (used by the tests' fixtures and by bench/)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    """A uvicorn serving an app with its own working, temp and home directories."""

    url: str
    pid: int
    cwd: Path
    tmp: Path
    home: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(
    base: Path,
    settings: dict[str, str],
    app: str = "app.main:app",
    uvicorn_args: tuple[str, ...] = (),
    ready_path: str = "/healthz",
) -> Iterator[Server]:
    """Start `app` on a free loopback port with `settings` as PLAYGROUND_* variables.

    The server runs in empty directories of its own (cwd, TMPDIR, HOME), so a test can check
    that nothing was written there; the log goes beside them.
    """
    dirs = {name: base / name for name in ("cwd", "tmp", "home")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAYGROUND_")}
    env.update({f"PLAYGROUND_{name.upper()}": value for name, value in settings.items()})
    env.update(
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        TMPDIR=str(dirs["tmp"]),
        TEMP=str(dirs["tmp"]),
        TMP=str(dirs["tmp"]),
        HOME=str(dirs["home"]),
    )
    port = free_port()
    log_path = base / "uvicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", *uvicorn_args],
            cwd=dirs["cwd"], env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url + ready_path, process, log_path)
            yield Server(url=url, pid=process.pid, **dirs)
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def worker_pids(server_pid: int) -> list[int]:
    """The worker processes of a server: uvicorn → fork server → workers."""
    return [worker for child in children(server_pid) for worker in children(child)]


def the_only_worker(server_pid: int, seconds: float = 30) -> int:
    """The pid of a one-worker server's worker, once it is there: a worker replaced after the
    previous test's run (lost, or out of memory) is forked a moment after that run's answer."""
    deadline = time.monotonic() + seconds
    while len(workers := worker_pids(server_pid)) != 1:
        assert time.monotonic() < deadline, f"workers after {seconds} s: {workers}"
        time.sleep(0.05)
    return workers[0]
