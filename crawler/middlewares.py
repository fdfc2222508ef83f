"""Politeness towards the archive, in a downloader middleware instead of sleeps in the spider.

waybackpy has no rate limiting and its 429 handling is a plain exception, so the crawler does not
use it for traffic: every request to an archive goes through Scrapy and this middleware, which holds
each request until its archive's budget (crawler/politeness.py, shared by every run on the machine
through crawler/shared_budget.py) gives it a turn. Requests wait here,
before the downloader's slots, so a pause after a 429 also holds every request already waiting.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy.exceptions import (
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.utils.defer import deferred_from_coro
from twisted.web._newclient import ResponseNeverReceived

from crawler.run_status import BLOCKED_REASON, UNREACHABLE_REASON
from crawler.shared_budget import budget_from_settings
from crawler.wayback import is_rate_limited

logger = logging.getLogger(__name__)


def block_symptom(exception) -> str | None:
    """What a firewall block looks like from here, by what the connection did: refused, reset before
    any byte of an answer, or timed out. A body cut short or a connection reset mid-body is not one (the
    archive answered: RetryMiddleware fetches it again, the digest check catches what slips through).
    (Scrapy 2.19 wraps the network's errors: the Twisted one is the `__cause__`.)"""
    if isinstance(exception, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(exception, DownloadTimeoutError):
        return "timed out"
    if isinstance(exception, ResponseDataLossError):
        return None
    if isinstance(exception, DownloadFailedError) and isinstance(exception.__cause__, ResponseNeverReceived):
        return "reset before any byte of an answer"
    return None


class ArchivePoliteness:
    """For requests marked with meta `archive_kind` ("cdx" or "replay"):

    - holds each until its turn: ARCHIVE_CDX_PER_MINUTE and ARCHIVE_REPLAYS_PER_SECOND per archive;
    - counts them per kind in the stats (`archive/cdx_requests`, `archive/replay_requests`);
    - after a 429 that carries no Memento-Datetime, holds EVERY request to that archive until the
      pause is over, then sends the 429'd request again (at most ARCHIVE_MAX_429_RETRIES times);
    - after a connection that was refused, reset before any byte or timed out (from an archive that
      answered before, or after a 429), pauses every request to it and resends that one itself (never
      RetryMiddleware's quick retries); ARCHIVE_BLOCKED_AFTER_FAILURES of them in a row mean the archive
      is blocking this address: the spider closes with reason "archive_blocked" (what is stored stays).
      Cut bodies and mid-body resets are not block symptoms (see `block_symptom`).
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.pause_seconds = settings.getfloat("ARCHIVE_PAUSE_AFTER_429")
        self.blocked_after = settings.getint("ARCHIVE_BLOCKED_AFTER_FAILURES")
        self.max_429_retries = settings.getint("ARCHIVE_MAX_429_RETRIES")
        cdx_per_minute = settings.getfloat("ARCHIVE_CDX_PER_MINUTE")
        replays_per_second = settings.getfloat("ARCHIVE_REPLAYS_PER_SECOND")
        if cdx_per_minute <= 0 or replays_per_second <= 0:
            raise ValueError("ARCHIVE_CDX_PER_MINUTE and ARCHIVE_REPLAYS_PER_SECOND must be positive")
        # Shared with every other run of the crawler on this machine (crawler/shared_budget.py).
        self.budget = budget_from_settings(settings, {"cdx": 60.0 / cdx_per_minute, "replay": 1.0 / replays_per_second})
        self.last_sent: dict[tuple[str, str], float] = {}  # (kind, archive) -> when its last request went
        self.seen_429: set[str] = set()
        self.answered: set[str] = set()  # archives that answered at least once in this run
        self.last_failure_at: dict[str, float] = {}  # when the last counted connection failure came back
        self.failures_in_a_row: dict[str, int] = {}
        self.blocked = False
        # An archive that never answered in this run and failed this many connections is down: nothing
        # more is sent to it and the run stops (exit 4), instead of trying every URL in turn.
        self.unreachable_after = settings.getint("ARCHIVE_UNREACHABLE_AFTER")
        self.unanswered_failures: dict[str, int] = {}
        self.down: set[str] = set()

    WAIT_STEP = 0.25  # seconds: how often a waiting request checks that the crawl is still running

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _check_running(self) -> None:
        """A request still waiting when the crawl is stopping is never sent."""
        if not getattr(self.crawler, "crawling", True):
            self.stats.inc_value("archive/not_sent_at_shutdown")
            raise IgnoreRequest("the crawl is shutting down")

    def pause(self, archive: str) -> None:
        self.budget.pause(archive, self.pause_seconds)

    async def process_request(self, request):
        kind = request.meta.get("archive_kind")
        if not kind:
            return None
        if self.blocked:
            raise IgnoreRequest("the archive is blocking this address")
        archive = urlsplit(request.url).netloc
        if archive in self.down:
            raise IgnoreRequest(f"{archive} is down")
        wait = self.budget.reserve(kind, archive)
        while wait > 0:
            # In short steps, so that a shutdown (SIGTERM, Ctrl-C) is honoured within one of them, even
            # in the middle of a 60 s pause after a 429.
            await asyncio.sleep(min(wait, self.WAIT_STEP))
            self._check_running()
            wait -= self.WAIT_STEP
            if wait <= 0:
                # A pause that began while this request waited its turn holds it too.
                wait = self.budget.pause_left(archive)
                if wait > 0:
                    wait = self.budget.reserve(kind, archive)
        # A turn is booked ahead, but a loaded process wakes late: the request before may have gone late
        # and this one on time, closer than the interval. Never closer than that, as sent.
        gap = self.last_sent.get((kind, archive), float("-inf")) + self.budget.intervals[kind] - self.budget.clock()
        if gap > 0:
            await asyncio.sleep(gap)
        self._check_running()
        if self.blocked:
            raise IgnoreRequest("the archive is blocking this address")
        if archive in self.down:
            raise IgnoreRequest(f"{archive} is down")
        self.stats.inc_value(f"archive/{kind}_requests")
        request.meta["archive_sent_at"] = self.last_sent[(kind, archive)] = self.budget.clock()
        return None

    def process_response(self, request, response):
        kind = request.meta.get("archive_kind")
        if not kind:
            return response
        archive = urlsplit(request.url).netloc
        self.failures_in_a_row[archive] = 0
        self.answered.add(archive)
        if not is_rate_limited(response.status, b"Memento-Datetime" in response.headers):
            return response
        self.stats.inc_value("archive/429")
        self.seen_429.add(archive)
        self.pause(archive)
        tries = request.meta.get("archive_429_tries", 0) + 1
        logger.warning(
            "%s answered 429 (too many requests): pausing every request to it for %g s", archive, self.pause_seconds
        )
        if tries > self.max_429_retries:
            self.stats.inc_value("archive/gave_up_after_429")
            raise IgnoreRequest(f"still 429 after {self.max_429_retries} pauses: {request.url}")
        return request.replace(dont_filter=True, meta={**request.meta, "archive_429_tries": tries})

    def process_exception(self, request, exception):
        kind = request.meta.get("archive_kind")
        if not kind:
            return None
        archive = urlsplit(request.url).netloc
        symptom = block_symptom(exception)
        if symptom is None:
            # The archive answered, badly (a cut body, a reset mid-body): not a block. RetryMiddleware
            # sends it again, and the retry still waits out any pause (process_request).
            self.failures_in_a_row[archive] = 0
            return None
        if archive not in self.seen_429 and archive not in self.answered:
            # Never answered in this run: unreachable, not blocked. A few such failures and it is down.
            failures = self.unanswered_failures[archive] = self.unanswered_failures.get(archive, 0) + 1
            if failures >= self.unreachable_after and archive not in self.down:
                self.down.add(archive)
                self.stats.set_value("archive/unreachable", archive)
                logger.error("%s has not answered once (%d failed connections): stopping", archive, failures)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=UNREACHABLE_REASON))
            if archive in self.down:
                raise IgnoreRequest(f"{archive} is down")
            return None  # RetryMiddleware sends it again
        self.stats.inc_value("archive/connection_failures")
        if request.meta.get("archive_sent_at", 0.0) < self.last_failure_at.get(archive, float("-inf")):
            # Sent before the last failure was known (in flight together): the same try, not a new one.
            return self._resend_after_pause(request, archive)
        failures = self.failures_in_a_row.get(archive, 0) + 1
        self.failures_in_a_row[archive] = failures
        self.last_failure_at[archive] = self.budget.clock()
        if failures < self.blocked_after:
            # Never retry faster after a failed connection: wait out a full pause first (and never let
            # RetryMiddleware send it again quickly).
            logger.warning("%s: %s (%d in a row): pausing every request to it for %g s", archive, symptom, failures,
                           self.pause_seconds)
            return self._resend_after_pause(request, archive)
        if not self.blocked:
            self.blocked = True
            self.stats.set_value("archive/blocked", f"{archive}: {symptom}, {failures} times in a row")
            logger.error("%s is blocking this address (%s, %d times in a row): stopping", archive, symptom, failures)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=BLOCKED_REASON))
        raise IgnoreRequest("the archive is blocking this address")

    def _resend_after_pause(self, request, archive: str):
        self.pause(archive)
        return request.replace(dont_filter=True)
