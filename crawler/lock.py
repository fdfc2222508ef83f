"""One run at a time per database: an exclusive lock on `<db>.lock`, held for the whole run, keyed on
the resolved file (symlinks followed), not on the path as spelled.

flock is released by the kernel when the process dies, even on kill -9, so a crashed run never
leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """Another run holds the database."""


def lock_path(db_path: str) -> Path:
    """`<db>.lock` beside the database file itself: a symlink, `./`, `..` or another spelling of the
    same file names the same lock."""
    resolved = Path(db_path).resolve()
    return resolved.with_name(resolved.name + ".lock")


@contextmanager
def run_lock(db_path: str):
    path = lock_path(db_path)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockBusy(f"another run is using {db_path} ({holder}); this one stops") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()
