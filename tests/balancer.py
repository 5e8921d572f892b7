"""Debian's redis-server and nginx started as this process's children, on free loopback ports,
with configs in a temporary directory (never the system services): for tests/test_replicas.py
and bench/replicas.py."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.servers import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def missing() -> list[str]:
    """The Debian packages not installed (scripts/system-deps.sh installs them as root)."""
    return [name for name, path in (("nginx", NGINX), ("redis-server", REDIS))
            if not Path(path).exists()]  # fmt: skip


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@contextlib.contextmanager
def redis_server(base: Path, maxmemory: str = "64mb", port: int | None = None) -> Iterator[str]:
    """A Redis with the production policy (deploy/): bounded memory, least recently used
    keys evicted first, nothing written to disk. Yields its URL."""
    base.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    args = [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(base), "--maxmemory", maxmemory,
            "--maxmemory-policy", "allkeys-lru"]  # fmt: skip
    log = base / "redis.log"
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_port(port, process, log)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.kill()
            process.wait(timeout=10)


def nginx_config(base: Path, port: int, upstreams: Sequence[str], bind: str) -> str:
    """deploy/nginx/nginx.conf's proxy rules, with this run's ports and paths."""
    template = (Path(__file__).resolve().parent.parent / "deploy/nginx/playground.conf").read_text()
    servers = "".join(
        f"    server {url.removeprefix('http://')} max_fails=1 fail_timeout=30s;\n"
        for url in upstreams
    )
    site = re.sub(r"(?m)^    server \S+ max_fails=1 fail_timeout=30s;\n", "", template)
    site = site.replace("    keepalive 32;", servers + "    keepalive 32;")
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    site = site.replace("# PROXY BIND", f"proxy_bind {bind};")
    temp = "\n".join(f"    {kind}_temp_path {base}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    return (
        f"daemon off;\nworker_processes 1;\npid {base}/nginx.pid;\n"
        f"error_log {base}/error.log notice;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log {base}/access.log;\n{temp}\n{site}\n}}\n"
    )


@contextlib.contextmanager
def nginx(base: Path, upstreams: Sequence[str], bind: str = "127.0.0.1") -> Iterator[str]:
    """nginx balancing over `upstreams` (http://host:port), connecting to them from `bind`.
    Yields its URL."""
    base.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = base / "nginx.conf"
    conf.write_text(nginx_config(base, port, upstreams, bind))
    log = base / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(base), "-e", str(base / "error.log")],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for_port(port, process, base / "error.log")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)
