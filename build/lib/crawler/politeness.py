"""The request budget of each archive: how often each kind of request may go, and the pause after a 429.

Kept apart from Scrapy so that it is a plain clock calculation (tested without a crawl): the
downloader middleware (crawler/middlewares.py) asks it how long a request must wait, and waits.
Keys are (kind, archive host): two archives never share a budget, and a 429 from one pauses only it.
"""

from __future__ import annotations

import time


class ArchiveBudget:
    def __init__(self, intervals: dict[str, float], clock=time.monotonic):
        self.intervals = intervals  # seconds between two requests of a kind ("cdx", "replay")
        self.clock = clock
        self.next_at: dict[tuple[str, str], float] = {}
        self.paused_until: dict[str, float] = {}

    def reserve(self, kind: str, archive: str) -> float:
        """Books the next free turn of this kind of request to this archive; returns the seconds to wait
        for it (0: go now). Fixed spacing, no jitter: no minute ever holds more than the rate."""
        now = self.clock()
        key = (kind, archive)
        start = max(now, self.next_at.get(key, 0.0), self.paused_until.get(archive, 0.0))
        self.next_at[key] = start + self.intervals[kind]
        return start - now

    def pause(self, archive: str, seconds: float) -> None:
        """Nothing more goes to the archive for `seconds`, including requests already waiting their turn."""
        until = self.clock() + seconds
        self.paused_until[archive] = max(self.paused_until.get(archive, 0.0), until)
        for (kind, host), at in list(self.next_at.items()):
            if host == archive:
                self.next_at[(kind, host)] = max(at, until)

    def pause_left(self, archive: str) -> float:
        return max(0.0, self.paused_until.get(archive, 0.0) - self.clock())
