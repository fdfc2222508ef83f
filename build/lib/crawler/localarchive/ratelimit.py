"""archive.org's rate limits per client: a sliding window per kind of request, 429s, then a block."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque


class RateLimiter:
    """archive.org's limits per client IP: a sliding window per kind, a 429 beyond it, then a block.

    Every attempt counts in the window, refused ones too, so a client that keeps hammering stays at 429
    until it pauses. One that is refused for more than `block_after` seconds in a row is blocked for
    `block_for` seconds, doubling on each repeat. All durations are divided by `time_scale`.
    """

    def __init__(self, per_minute: dict[str, int | None], *, time_scale: float = 1.0, block_after: float = 60, block_for: float = 3600):
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.per_minute = per_minute
        self.window = 60.0 / time_scale
        self.block_after = block_after / time_scale
        self.block_for = block_for / time_scale
        self._attempts: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._refused_since: dict[tuple[str, str], float] = {}
        self._blocked_until: dict[str, float] = {}
        self._blocks: Counter[str] = Counter()
        self._lock = threading.Lock()

    def is_blocked(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._blocked_until.get(client, 0.0) > now

    def check(self, client: str, kind: str, now: float | None = None) -> str:
        """`ok`, `limited` (answer 429) or `blocked` (answer nothing)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._blocked_until.get(client, 0.0) > now:
                return "blocked"
            limit = self.per_minute.get(kind)
            if limit is None:
                return "ok"
            attempts = self._attempts[(client, kind)]
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            over = len(attempts) >= limit
            attempts.append(now)
            if not over:
                self._refused_since.pop((client, kind), None)
                return "ok"
            since = self._refused_since.setdefault((client, kind), now)
            if now - since > self.block_after:
                self._blocked_until[client] = now + self.block_for * 2 ** self._blocks[client]
                self._blocks[client] += 1
                self._refused_since.pop((client, kind), None)
                return "blocked"
            return "limited"
