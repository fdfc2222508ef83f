"""One run at a time per database: an exclusive lock on `<db>.lock`, held for the whole run, keyed on
the resolved file (symlinks followed), not on the path as spelled.

flock is released by the kernel when the process dies, even on kill -9, so a crashed run never
leaves a stale lock behind. The lock is taken on the database's resolved path, so a symlink or a
relative path to the same file is the same lock; the lock file is removed when the run ends.
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
    while True:
        handle = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LockBusy(f"another run is using {db_path} ({holder}); this one stops") from None
        # The holder before us may have removed the file between our open and our lock: then we hold
        # a lock on a file nobody else will open, so take it again on the file now at the path.
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        handle.close()
