"""Peer 3: a Scrapy project with scrapy-wayback-machine 1.0.3 (run as one file; the settings are those
`scrapy startproject` writes, listed below).

The middleware turns each request for a policy URL into a CDX query (the whole listing, no collapse),
then schedules one replay (`id_`) per capture whose digest differs from the capture before it, skipping
redirects (3xx) and revisits (status `-`); the spider extracts each page with trafilatura and keeps
distinct texts in a small SQLite. Politeness is the project template's: one request at a time per
domain, DOWNLOAD_DELAY = 1 s (randomised 0.5-1.5x); a 429 is retried twice by RetryMiddleware.

Needs Scrapy <= 2.9 (it calls ExecutionEngine.schedule(), removed in 2.10): bench/requirements-peers.txt
pins 2.9.0. Pointing it at another archive: the middleware's class attributes cdx_url_template and
snapshot_url_template hardcode web.archive.org; the script overwrites them. Time scale: DOWNLOAD_DELAY
is divided by it.
"""

from __future__ import annotations

import logging
import sys
import warnings

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy_wayback_machine import WaybackMachineMiddleware

import common


class PolicySpider(scrapy.Spider):
    name = "policies"

    def __init__(self, targets, store, **kwargs):
        super().__init__(**kwargs)
        self.targets, self.store = targets, store

    def start_requests(self):
        for domain, url in self.targets:
            yield scrapy.Request(url, meta={"domain": domain, "policy_url": url}, dont_filter=True)

    def parse(self, response):
        when = response.meta.get("wayback_machine_time")
        if response.status != 200 or when is None:
            self.store.error(f"{response.meta.get('wayback_machine_url', response.url)}: HTTP {response.status}")
            return
        self.store.add(response.meta["domain"], response.meta["policy_url"], when.strftime("%Y%m%d%H%M%S"),
                       common.extract(response.body))


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    WaybackMachineMiddleware.cdx_url_template = (
        args.archive + "/cdx/search/cdx?url={url}&output=json&fl=timestamp,original,statuscode,digest")
    WaybackMachineMiddleware.snapshot_url_template = args.archive + "/web/{timestamp}id_/{original}"
    warnings.filterwarnings("ignore")  # Scrapy's deprecation warnings about the middleware's API
    store = common.Versions(args.db)
    settings = {
        # settings.py as `scrapy startproject` (2.9) writes it ...
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 1 / args.time_scale,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "FEED_EXPORT_ENCODING": "utf-8",
        # ... except robots.txt: obeying it would send a CDX query for each site's robots.txt too.
        "ROBOTSTXT_OBEY": False,
        # the middleware, as its README says
        "DOWNLOADER_MIDDLEWARES": {"scrapy_wayback_machine.WaybackMachineMiddleware": 5},
        "WAYBACK_MACHINE_TIME_RANGE": (19960101, 20991231),
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": common.USER_AGENT,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PolicySpider)
    process.crawl(crawler, targets=args.target_list, store=store)
    process.start()
    stats = crawler.stats.get_stats()
    retried = stats.get("retry/count", 0)
    gave_up = stats.get("retry/max_reached", 0)
    if gave_up:
        store.error(f"{gave_up} requests given up after retries (429s)")
    store.dump(args.out, "scrapy-wayback-machine", retries=retried)
    logging.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
