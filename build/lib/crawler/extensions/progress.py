"""Progress while a crawl runs, on stderr (a terminal or a log alike: whole lines, no cursor tricks):
every PROGRESS_INTERVAL seconds a line of what was sent, listed and stored, the vendor being worked on,
what remains and an estimate of the time left; and each discovery result as soon as it is known."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task

from crawler.items import CaptureItem, DiscoveryItem


class Progress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.replays_per_second = crawler.settings.getfloat("ARCHIVE_REPLAYS_PER_SECOND") or 1.0
        self.started = time.monotonic()
        self.loop = None
        self.working_on: str | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

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

    def item_scraped(self, item, response=None, spider=None):
        if isinstance(item, CaptureItem):
            self.working_on = item.domain
        elif isinstance(item, DiscoveryItem) and self.interval > 0:
            print(f"discovery: {item.summary}", file=sys.stderr, flush=True)

    def report(self):
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started, self.working_on,
                             self.replays_per_second)
        print(line, file=sys.stderr, flush=True)


def progress_line(stats: dict, elapsed: float, working_on: str | None = None, replays_per_second: float = 9.5) -> str:
    get = lambda key: stats.get(key, 0)  # noqa: E731
    # Requests waiting: queued in the scheduler, or taken from it but not yet answered.
    waiting = max(0, get("scheduler/enqueued") - get("downloader/response_count") - get("downloader/exception_count"))
    eta = waiting / replays_per_second
    vendors = f"vendors listed {get('vendors/listed')}/{get('vendors/total')}" if get("vendors/total") else ""
    return (
        f"[{elapsed:5.0f}s] sent {get('archive/cdx_requests')} CDX and {get('archive/replay_requests')} replay requests · "
        f"listed {get('captures/listed')} captures ({get('captures/already_stored')} already stored) · "
        f"new versions {get('versions/new')}, known text {get('items/same_text')}, same digest {get('items/same_digest')}, "
        f"refused {get('items/refused')}, failed {get('items/failed')} · {vendors}"
        f"{', now ' + working_on if working_on else ''} · {waiting} requests to go, about {eta:.0f} s left"
    )
