"""Politeness towards the archive, done with Scrapy's machinery instead of sleeps in the spider.

waybackpy has no rate limiting and its 429 handling is a plain exception, so the crawler does not
use it for traffic: every request to an archive goes through Scrapy, its download slots (set up in
settings.py) and this middleware.
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

from scrapy.exceptions import (
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.utils.defer import deferred_from_coro

from crawler.archive import is_rate_limited

logger = logging.getLogger(__name__)

# What a firewall block looks like from here: no connection, or one dropped without an answer.
# (Scrapy 2.19 wraps the network's errors in these.)
_BLOCK_SYMPTOMS = (DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError, ResponseDataLossError)

BLOCKED_REASON = "archive_blocked"
# The download slots of archive traffic (see settings.download_slots); the spider puts requests in them.
ARCHIVE_SLOTS = ("cdx", "replay")


class ArchivePoliteness:
    """For requests marked with meta `archive_kind` ("cdx" or "replay"):

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
        self.paused_until: dict[str, float] = {}
        self.seen_429: set[str] = set()
        self.failures_in_a_row: dict[str, int] = {}
        self.blocked = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def pause(self, archive: str) -> None:
        """Holds every request to the archive for the pause, including those already waiting in the
        download slots: a slot sends its next request `delay` seconds after `lastseen`, so moving
        `lastseen` into the future holds the whole queue (the archive's slots always have a delay)."""
        until = time.monotonic() + self.pause_seconds
        self.paused_until[archive] = until
        for name in ARCHIVE_SLOTS:
            slot = self.crawler.engine.downloader.slots.get(name)
            if slot is not None:
                slot.lastseen = max(slot.lastseen, until - slot.delay)

    async def process_request(self, request):
        kind = request.meta.get("archive_kind")
        if not kind:
            return None
        if self.blocked:
            raise IgnoreRequest("the archive is blocking this address")
        archive = urlsplit(request.url).netloc
        # A request that has not reached its slot yet waits here (the slot may not exist yet).
        wait = self.paused_until.get(archive, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.stats.inc_value(f"archive/{kind}_requests")
        return None

    def process_response(self, request, response):
        kind = request.meta.get("archive_kind")
        if not kind:
            return response
        archive = urlsplit(request.url).netloc
        self.failures_in_a_row[archive] = 0
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
