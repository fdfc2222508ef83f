"""The archive's budget shared by every process of the crawler on this machine.

archive.org's limits are per client address: two runs on two databases from one machine share them,
so their budgets must be one. The state of each archive (the next free turn of each kind of request,
and the pause after a 429) lives in a small JSON file under the user's cache folder
(`$XDG_CACHE_HOME/policy-history/budget/`, or ARCHIVE_BUDGET_DIR / $POLICY_BUDGET_DIR), and every
reservation is a read-modify-write under an exclusive `flock` on that file. N concurrent runs together
then send no more than one run would; a 429 seen by one pauses them all.

Times are wall-clock seconds (`time.time`, shared by all processes); a value implausibly far in the
future (a clock set back, a stale file) is not trusted beyond an hour.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

from crawler.politeness import ArchiveBudget

HORIZON = 3600.0  # seconds: no stored turn or pause further ahead than this is believed
STALE_AFTER = 86400.0  # state files untouched for a day are removed


def default_budget_dir(environ=os.environ) -> Path:
    if environ.get("POLICY_BUDGET_DIR"):
        return Path(environ["POLICY_BUDGET_DIR"])
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "policy-history" / "budget"


class SharedArchiveBudget(ArchiveBudget):
    def __init__(self, intervals: dict[str, float], folder: str | os.PathLike, clock=time.time):
        super().__init__(intervals, clock)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._prune()

    def _prune(self) -> None:
        now = time.time()
        for path in self.folder.glob("*.json"):
            try:
                if now - path.stat().st_mtime > STALE_AFTER:
                    path.unlink()
            except OSError:
                pass

    def _path(self, archive: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9._-]", "_", archive) + ".json")

    @contextmanager
    def _state(self, archive: str):
        with open(self._path(archive), "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            handle.seek(0)
            try:
                state = json.loads(handle.read() or "{}")
            except ValueError:
                state = {}
            if not isinstance(state, dict):
                state = {}
            before = json.dumps(state, sort_keys=True)
            yield state
            after = json.dumps(state, sort_keys=True)
            if after != before:
                handle.seek(0)
                handle.truncate()
                handle.write(after)
                handle.flush()

    def _believed(self, value, now: float) -> float:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return 0.0
        return value if value <= now + HORIZON else now

    def reserve(self, kind: str, archive: str) -> float:
        with self._state(archive) as state:
            now = self.clock()
            turns = state.setdefault("next_at", {})
            start = max(now, self._believed(turns.get(kind, 0.0), now), self._believed(state.get("paused_until", 0.0), now))
            turns[kind] = start + self.intervals[kind]
            return start - now

    def pause(self, archive: str, seconds: float) -> None:
        with self._state(archive) as state:
            until = self.clock() + seconds
            state["paused_until"] = max(self._believed(state.get("paused_until", 0.0), until), until)
            turns = state.setdefault("next_at", {})
            for kind, at in list(turns.items()):
                turns[kind] = max(self._believed(at, until), until)

    def pause_left(self, archive: str) -> float:
        with self._state(archive) as state:
            now = self.clock()
            return max(0.0, self._believed(state.get("paused_until", 0.0), now) - now)


def budget_from_settings(settings, intervals: dict[str, float]) -> ArchiveBudget:
    """The shared budget (ARCHIVE_BUDGET_SHARED, the default), or a budget of this process only."""
    if not settings.getbool("ARCHIVE_BUDGET_SHARED", True):
        return ArchiveBudget(intervals)
    folder = settings.get("ARCHIVE_BUDGET_DIR") or default_budget_dir()
    try:
        return SharedArchiveBudget(intervals, folder)
    except OSError:
        return ArchiveBudget(intervals)  # no cache folder to write: this process's budget at least
