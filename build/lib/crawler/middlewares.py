"""Politeness towards the archive, in a downloader middleware instead of sleeps in the spider.

waybackpy has no rate limiting and its 429 handling is a plain exception, so the crawler does not
use it for traffic: every request to an archive goes through Scrapy and this middleware, which holds
each request until its archive's budget (crawler/politeness.py) gives it a turn. Requests wait here,
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

from crawler.politeness import ArchiveBudget
from crawler.run_status import BLOCKED_REASON, UNREACHABLE_REASON
from crawler.wayback import is_rate_limited

logger = logging.getLogger(__name__)

# What a firewall block looks like from here: no connection, or one dropped without an answer.
# (Scrapy 2.19 wraps the network's errors in these.)
_BLOCK_SYMPTOMS = (DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError, ResponseDataLossError)



class ArchivePoliteness:
    """For requests marked with meta `archive_kind` ("cdx" or "replay"):

    - holds each until its turn: ARCHIVE_CDX_PER_MINUTE and ARCHIVE_REPLAYS_PER_SECOND per archive;
    - counts them per kind in the stats (`archive/cdx_requests`, `archive/replay_requests`);
    - after a 429 that carries no Memento-Datetime, holds EVERY request to that archive until the
      pause is over, then sends the 429'd request again (at most ARCHIVE_MAX_429_RETRIES times);
    - when connections fail repeatedly after a 429, concludes the archive is blocking this address
      and closes the spider with reason "archive_blocked" (what is stored stays stored).
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
        self.budget = ArchiveBudget({"cdx": 60.0 / cdx_per_minute, "replay": 1.0 / replays_per_second})
        self.seen_429: set[str] = set()
        self.failures_in_a_row: dict[str, int] = {}
        self.blocked = False
        # An archive that never answered in this run and failed this many connections is down: nothing
        # more is sent to it and the run stops (exit 4), instead of trying every URL in turn.
        self.unreachable_after = settings.getint("ARCHIVE_UNREACHABLE_AFTER")
        self.answered: set[str] = set()
        self.unanswered_failures: dict[str, int] = {}
        self.down: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

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
            await asyncio.sleep(wait)
            # A pause that began while this request waited its turn holds it too.
            wait = self.budget.pause_left(archive)
            if wait > 0:
                wait = self.budget.reserve(kind, archive)
        if self.blocked:
            raise IgnoreRequest("the archive is blocking this address")
        if archive in self.down:
            raise IgnoreRequest(f"{archive} is down")
        self.stats.inc_value(f"archive/{kind}_requests")
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
        if not kind or not isinstance(exception, _BLOCK_SYMPTOMS):
            return None
        archive = urlsplit(request.url).netloc
        if archive not in self.seen_429 and archive not in self.answered:
            failures = self.unanswered_failures[archive] = self.unanswered_failures.get(archive, 0) + 1
            if failures >= self.unreachable_after and archive not in self.down:
                self.down.add(archive)
                self.stats.set_value("archive/unreachable", archive)
                logger.error("%s has not answered once (%d failed connections): stopping", archive, failures)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=UNREACHABLE_REASON))
            if archive in self.down:
                raise IgnoreRequest(f"{archive} is down")
        if archive not in self.seen_429:
            return None  # an ordinary network fault: RetryMiddleware handles it
        failures = self.failures_in_a_row.get(archive, 0) + 1
        self.failures_in_a_row[archive] = failures
        if failures < self.blocked_after:
            # Never retry faster after a 429: wait out a full pause first.
            self.pause(archive)
            return request.replace(dont_filter=True)
        if not self.blocked:
            self.blocked = True
            self.stats.set_value("archive/blocked", archive)
            logger.error("%s is blocking this address (%d failed connections after a 429): stopping", archive, failures)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=BLOCKED_REASON))
        raise IgnoreRequest("the archive is blocking this address")
