"""Writing a file atomically: into a temporary file beside it, renamed over the target only once complete.

A crash mid-write leaves any previous file whole. The temporary file is `.<digest>.<random>.partial` in the
target's folder, where digest is a short hash of the target's name: hidden, never named like a checkpoint, and
short whatever the target's length (a 255-byte name, the most Linux allows, saves). The writer holds an
exclusive lock on it (flock) until it is renamed; a process killed mid-write leaves it unlocked (the system
releases a dead process's locks), and the next write to the same target removes it. Where there are no locks
(Windows, some network file systems) leftovers are not removed, but they are never read either.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

SUFFIX = ".partial"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def temporary_prefix(path: str) -> str:
    """The start of the names of the temporary files of writes to `path`."""
    return "." + hashlib.sha256(os.fsencode(os.path.basename(path))).hexdigest()[:16] + "."


def _try_lock(handle: int) -> bool | None:
    """Take the exclusive lock of an open file without waiting: True when taken, False when another process
    holds it, None where there are no locks (Windows, some network file systems)."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def remove_abandoned(path: str) -> None:
    """Remove the temporary files of earlier writes to `path` whose writer is gone (no one holds their lock)."""
    folder, prefix = os.path.dirname(os.path.abspath(path)), temporary_prefix(path)
    try:
        entries = list(os.scandir(folder))
    except PermissionError:  # a folder one may write in but not list: nothing can be cleaned up
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(SUFFIX)):
            continue
        try:
            handle = os.open(entry.path, os.O_RDWR)
        except OSError:
            continue
        try:
            if _try_lock(handle) is True:
                os.unlink(entry.path)  # while locked, so that a writer that just made it sees it gone
        except FileNotFoundError:
            pass
        finally:
            os.close(handle)


def _create_locked(path: str) -> tuple[str, int]:
    """A new temporary file for a write to `path`, locked, that still has its name (no cleaner took it)."""
    folder, prefix = os.path.dirname(os.path.abspath(path)), temporary_prefix(path)
    while True:
        temporary = os.path.join(folder, prefix + secrets.token_hex(4) + SUFFIX)
        try:
            handle = os.open(temporary, _CREATE, 0o666)  # the umask applies, as for any new file
        except FileExistsError:
            continue
        if _try_lock(handle) is not False and _still_named(temporary, handle):
            return temporary, handle
        os.close(handle)


def _still_named(temporary: str, handle: int) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), os.stat(temporary))
    except FileNotFoundError:
        return False


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Call write(file) on a temporary file, then rename it to `path`; on any error `path` is left as it was."""
    path = os.fspath(path)
    remove_abandoned(path)
    temporary, handle = _create_locked(path)
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
            if fcntl is not None:
                os.replace(temporary, path)  # still locked, so that no other write takes it for abandoned
        if fcntl is None:
            os.replace(temporary, path)  # Windows renames only closed files
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
