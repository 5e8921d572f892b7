"""The operating-system boundary around a worker process, on top of the language-level one.

A worker gets an address-space cap (an allocation past it fails inside torch, it does not take
the machine down), a private empty working directory, no network (a new network namespace where
the kernel allows it, and in every case a socket module that refuses to open sockets), and, where
the kernel allows it (root, or CAP_SYS_ADMIN), a private mount namespace in which every file
system is read-only except that directory. Started as root with Python and the app readable by
other users, it also drops to the `nobody` user. Where none of this is allowed (an unprivileged
container), the language-level sandbox (no file API at all) is the boundary for writes. Scratch
files of the libraries it uses go to its own directory in every case. `enter` returns what the
kernel refused, for the log.
"""

from __future__ import annotations

import ctypes
import os
import resource
import socket
import stat
import sys
import tempfile

NOBODY = 65534
_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18


def enter(memory_mb: int, directory: str) -> list[str]:
    refused: list[str] = []
    if memory_mb > 0:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if _unshare(_CLONE_NEWNET) != 0:
        refused.append("network namespace: sockets are refused in-process only")
    _refuse_sockets()
    if not _read_only_filesystems(directory):
        refused.append("mount namespace: other directories stay writable to this user")
    # Libraries that need a scratch file (pygraphviz parses DOT through one) use the worker's
    # own directory, the only writable one; torch may have fixed the choice at import already.
    os.environ["TMPDIR"] = directory
    tempfile.tempdir = directory
    if os.geteuid() == 0 and _readable_by_others(_code_paths()):
        os.chown(directory, NOBODY, NOBODY)
        os.chmod(directory, 0o700)
        os.chdir(directory)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    else:
        refused.append("user change: needs root, and Python and the app readable by others")
        os.chdir(directory)
    return refused


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> int:
    try:
        return int(_libc().unshare(flags))
    except (OSError, AttributeError):
        return -1


def _read_only_filesystems(directory: str) -> bool:
    """A private mount namespace: `directory` bound onto itself (writable), then every mount
    point remounted read-only. False when the kernel does not allow it."""
    if _unshare(_CLONE_NEWNS) != 0:
        return False
    libc = _libc()
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_void_p]
    if libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return False
    own = directory.encode()
    if libc.mount(own, own, None, _MS_BIND, None) != 0:
        return False
    for point in _mount_points():
        if point == directory:
            continue
        path = point.encode()
        libc.mount(path, path, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY, None)
    return True


def _mount_points() -> list[str]:
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        return [line.split()[4].replace("\\040", " ") for line in handle]


def _code_paths() -> list[str]:
    """What a worker must still read after it drops to `nobody`: Python's standard library
    (modules are imported lazily, mid-run), the virtualenv and the app."""
    app_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return [os.path.dirname(os.__file__), sys.prefix, app_root]


def _readable_by_others(paths: list[str]) -> bool:
    """Every directory from / down to each path lets others in (o+x), and the path is o+r."""
    for path in map(os.path.abspath, paths):
        current = path
        while True:
            mode = os.stat(current).st_mode
            if not mode & stat.S_IXOTH or (current == path and not mode & stat.S_IROTH):
                return False
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
    return True


class _NoSocket(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise PermissionError("network access is disabled in playground workers")


def _refuse_sockets() -> None:
    socket.socket = _NoSocket  # type: ignore[misc]
    socket.create_connection = _refused  # type: ignore[assignment]


def _refused(*args: object, **kwargs: object) -> None:
    raise PermissionError("network access is disabled in playground workers")
