"""The store extension: the one owner of the SQLite store during a crawl (Kingfisher Collect's storage
extension is the model). It opens the store once, owns the run id and the run's row in `runs`, writes
every item the pipelines hand it, answers the spider's questions (what is already known), moves the
listing marks once the run has finished, and closes the store."""

from __future__ import annotations

import logging
import sqlite3

from scrapy import signals

from crawler.items import CaptureItem, DiscoveryItem, ListingItem, PayloadItem, PolicyUrlItem
from crawler.run_status import run_status
from crawler.store import SETTLED_OUTCOMES, Store
from crawler.verify import UNVERIFIABLE, UNVERIFIED, settle_unverified

logger = logging.getLogger(__name__)

# Stats worth keeping in the run log (and printing in the summary).
RUN_COUNTS = (
    "archive/cdx_requests", "archive/replay_requests", "archive/429", "archive/errors",
    "captures/listed", "captures/already_stored", "captures/same_digest", "captures/inferred", "captures/invalid_rows",
    "versions/new", "items/new_version", "items/same_text", "items/same_digest", "items/refused", "items/archived_error",
    "items/skipped_type", "items/inferred_same_text", "items/not_memento", "items/redirect_loop", "items/failed", "store/errors",
    "items/unverified", "items/unverifiable", "items/oversize", "captures/unsettled", "listings/unsettled",
)


class PolicyStore:
    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = Store(path)
        self.max_unverified = crawler.settings.getint("ARCHIVE_MAX_UNVERIFIED_ATTEMPTS", 3)
        self.run_id: int | None = None
        self.listings: list[ListingItem] = []
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("POLICY_DB"))

    # --- the run ---

    def spider_opened(self, spider):
        self.run_id = self.store.start_run(spider.command, ", ".join(a.base for a in spider.archives), spider.domains)
        self.stats.set_value("run/id", self.run_id)

    def spider_closed(self, spider, reason):
        unlisted = sum(1 for target in getattr(spider, "targets", ()) if not target.listing_complete)
        if unlisted:
            self.stats.set_value("listings/unsettled", unlisted)
        if reason == "finished" and not self.stats.get_value("store/errors"):
            # Only a run that went to its end moves marks: each mark then covers captures all recorded.
            try:
                for listing in self.listings:
                    self.store.advance_listing(self.store.policy_url_id(listing.domain, listing.policy_url),
                                               listing.archive, listing.listed_up_to)
            except sqlite3.Error as error:
                self._store_error("moving the listing marks", error)
        stats = self.stats.get_stats()
        status = run_status(stats, reason)
        self.stats.set_value("run/status", status)
        counts = {key: stats.get(key, 0) for key in RUN_COUNTS if stats.get(key)}
        try:
            self.store.finish_run(self.run_id, status, stats.get("archive/first_error") or reason, counts)
        except sqlite3.Error as error:
            self._store_error("writing the run's row", error)
            self.stats.set_value("run/status", run_status(self.stats.get_stats(), reason))
        self.store.close()

    def _store_error(self, doing: str, error: Exception) -> None:
        logger.error("database error while %s: %s", doing, error)
        self.stats.inc_value("store/errors")
        if not self.stats.get_value("store/first_error"):
            self.stats.set_value("store/first_error", f"{doing}: {error}")

    # --- what the spider asks before fetching (reads only) ---

    def tracked_policy_urls(self, domains: list[str] | None = None) -> list[dict]:
        rows = self.store.policy_urls()
        return [row for row in rows if not domains or row["domain"] in domains]

    def known_of(self, domain: str, url: str, archive: str) -> tuple[set, set, str | None]:
        """For one policy URL in one archive: the (timestamp, original) of captures already settled,
        the payload digests already read (in any archive), and how far its listing is done."""
        policy_url_id = self.store.policy_url_id(domain, url)
        if policy_url_id is None:
            return set(), set(), None
        return (self.store.settled_capture_keys(policy_url_id, archive), self.store.fetched_digests(policy_url_id),
                self.store.listed_through(policy_url_id, archive))

    def read_identities(self, domain: str, url: str, archive: str) -> tuple[dict, dict]:
        """For the read modes: text identity by payload digest read, and by settled capture (store.py)."""
        policy_url_id = self.store.policy_url_id(domain, url)
        return ({}, {}) if policy_url_id is None else self.store.read_identities(policy_url_id, archive)

    def version_for_text(self, domain: str, url: str, text_hash: str) -> int | None:
        policy_url_id = self.store.policy_url_id(domain, url)
        return None if policy_url_id is None else self.store.version_for_text(domain, policy_url_id, text_hash)

    # --- writing: one transaction an item ---

    def write(self, item) -> None:
        if isinstance(item, CaptureItem):
            if item.outcome == UNVERIFIED:
                before = self.store.capture_attempts(self.store.policy_url_id(item.domain, item.policy_url), item.archive,
                                                     item.timestamp, item.original)
                item.outcome = settle_unverified(before, self.max_unverified)
                if item.outcome == UNVERIFIABLE:
                    item.reason = f"never matched its digest in {before + 1} fetches; last: {item.reason}"[:300]
            _, created = self.store.record_capture(item, self.run_id)
            self.stats.inc_value(f"items/{item.outcome}")
            if item.outcome not in SETTLED_OUTCOMES:
                self.stats.inc_value("captures/unsettled")
            if created:
                self.stats.inc_value("versions/new")
        elif isinstance(item, PolicyUrlItem):
            self.store.ensure_policy_url(item.domain, item.url, item.found_by, (item.era_from, item.era_to))
        elif isinstance(item, DiscoveryItem):
            self.store.record_discovery(self.run_id, item.domain, item.outcome, item.summary)
        elif isinstance(item, ListingItem):
            self.listings.append(item)
        elif isinstance(item, PayloadItem):
            pass  # kept by the capture store (pipelines/keep.py), nothing more to record
        else:
            raise TypeError(f"the store does not know what to do with {type(item).__name__}")
