"""Progress lines while a crawl runs."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task


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
        f"new versions {get('versions/new')}, captures of a known text {get('items/same_text')}, "
        f"same digest {get('items/same_digest')}, refused {get('items/refused')}, failed {get('items/failed')}"
    )
