"""Extensions: the run log in the store, and progress lines while a crawl runs."""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from twisted.internet import task

from crawler.middlewares import BLOCKED_REASON
from crawler.store import Store

logger = logging.getLogger(__name__)

# Stats worth keeping in the run log (and printing in the summary).
RUN_COUNTS = (
    "archive/cdx_requests", "archive/replay_requests", "archive/429", "archive/errors",
    "captures/listed", "captures/already_stored", "captures/same_digest", "captures/invalid_rows",
    "versions/new", "items/version", "items/same_digest", "items/refused", "items/archived_error",
    "items/skipped_type", "items/not_memento", "items/redirect_loop", "items/failed",
)


def run_status(stats: dict, reason: str) -> str:
    """ok, blocked (the archive stopped answering us), failed (the archive could not be used at all),
    or partial (some captures or listings failed and will be retried by the next run)."""
    if reason == BLOCKED_REASON or stats.get("archive/blocked"):
        return "blocked"
    if stats.get("archive/errors") and not stats.get("captures/listed"):
        return "failed"
    if stats.get("archive/errors") or stats.get("items/failed"):
        return "partial"
    return "ok" if reason == "finished" else "interrupted"


class RunLog:
    """One row in `runs` per crawl: opened when the spider opens, closed with counts and outcome."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # Closed last, once the spider and every other extension are done with it.
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_stopped(self):
        Store.for_crawler(self.crawler).close()

    def spider_opened(self, spider):
        store = Store.for_crawler(self.crawler)
        self.crawler.policy_run_id = store.start_run(spider.command, spider.archive, spider.domains)
        self.crawler.stats.set_value("run/id", self.crawler.policy_run_id)

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        counts = {key: stats.get(key, 0) for key in RUN_COUNTS if stats.get(key)}
        status = run_status(stats, reason)
        self.crawler.stats.set_value("run/status", status)
        store = Store.for_crawler(self.crawler)
        store.finish_run(self.crawler.policy_run_id, status, stats.get("archive/first_error") or reason, counts)


class Progress:
    """Every PROGRESS_INTERVAL seconds, one line on stderr: what was listed, fetched and stored so far."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL"))

    def spider_opened(self, spider):
        self.started = time.monotonic()
        if self.interval > 0:
            self.loop = task.LoopingCall(self.report)
            self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()

    def report(self):
        print(progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started), file=sys.stderr, flush=True)


def progress_line(stats: dict, elapsed: float) -> str:
    get = lambda key: stats.get(key, 0)  # noqa: E731
    return (
        f"[{elapsed:5.0f}s] listed {get('captures/listed')} captures ({get('captures/already_stored')} already stored) · "
        f"requests: {get('archive/cdx_requests')} CDX, {get('archive/replay_requests')} replay · "
        f"new versions {get('versions/new')}, captures of a known text {get('items/version') - get('versions/new')}, "
        f"same digest {get('items/same_digest')}, refused {get('items/refused')}, failed {get('items/failed')}"
    )
