"""Lists each vendor's policy captures in the archive's CDX index and replays the ones worth reading.

The spider decides what to fetch, never how to store: it asks the store what it already holds,
replays (`id_`) only captures whose payload digest it has not read, follows captured redirects, and
yields one CaptureItem per capture seen.

Two ways to run: a backfill of the given domains' whole history (`command=backfill`, the default for
`scrapy crawl`), or the scheduled crawl (`command=crawl`) of every tracked policy URL, each listed only
from where its last complete listing ended.

A domain given without a policy URL is discovered first (crawler/discovery.py decides, this spider
asks): one CDX query over the domain for policy-like URLs and its home page, the archived home page
read twice a year for the link that names the policy, then each era's URL is listed as above; a
captured redirect from a discovered URL to a new one adds the new one.

    scrapy crawl policy_history -a domains=kerio.com -a policy_urls=http://www.kerio.com/privacy-policy
    scrapy crawl policy_history -a domains=kerio.com
    scrapy crawl policy_history -a command=crawl
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

import scrapy

from crawler.archive import (
    EMPTY_DIGEST,
    MAX_REDIRECTS,
    Archive,
    ArchiveError,
    CdxRow,
    archive_for,
    link_original,
    memento_timestamp,
    parse_cdx,
    parse_replay_location,
    surt,
)
from crawler.discovery import (
    DISCOVERY_MAX_PAGES,
    DiscoveryResult,
    Era,
    HomePageVisit,
    Redirect,
    discover,
    discovery_cdx_query,
    find_policy_links,
    follow_redirect,
    plan_home_page_fetches,
)
from crawler.items import CaptureItem
from crawler.store import Store
from crawler.targets import TargetError, assign_policy_urls, normalize_date, normalize_domain, normalize_url

logger = logging.getLogger(__name__)

# Captures worth replaying: pages, and rows whose type the index does not know (redirects, revisits).
READABLE_MIMETYPES = {"text/html", "application/xhtml+xml", "text/plain", "application/pdf", "unk", "warc/revisit", ""}


@dataclass
class PolicyTarget:
    """One policy URL of one vendor in one archive, with what the store already knows of it."""

    domain: str
    url: str
    policy_url_id: int
    archive: Archive
    from_ts: str | None = None
    settled: set[tuple[str, str]] = field(default_factory=set)
    # Payloads fetched before or scheduled in this run, shared by the URL's targets in every archive:
    # archives name a payload by the same SHA-1, so one read serves them all.
    read_digests: set[str] = field(default_factory=set)
    previous_row: CdxRow | None = None
    listed_up_to: str | None = None  # newest timestamp listed in this run
    listing_complete: bool = False
    covers_history: bool = False  # the listing started at or before the stored mark


@dataclass
class Discovery:
    """Finding one domain's policy URLs: the index rows, then the home pages read."""

    domain: str
    archive: Archive
    rows: list[CdxRow] = field(default_factory=list)
    pages: int = 0
    home_pages_pending: int = 0
    visits: list[HomePageVisit] = field(default_factory=list)
    result: DiscoveryResult | None = None


def archive_request(url: str, kind: str, callback, errback, **meta) -> scrapy.Request:
    """A request to an archive: `kind` ("cdx" or "replay") picks its download slot and its politeness
    (crawler/middlewares.py); never filtered as a duplicate, since a 429'd request is sent again."""
    return scrapy.Request(url, callback=callback, errback=errback, dont_filter=True,
                          meta={"archive_kind": kind, "download_slot": kind, **meta})


def split_arg(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return [v.strip() for v in str(value).split(",") if v.strip()]


class PolicyHistorySpider(scrapy.Spider):
    name = "policy_history"

    def __init__(self, domains=None, policy_urls=None, archive=None, archive_type="auto", from_date=None, to_date=None,
                 command="backfill", **kwargs):
        super().__init__(**kwargs)
        if command not in ("backfill", "crawl", "demo"):
            raise TargetError(f"unknown command {command!r}: backfill or crawl")
        self.domains = [normalize_domain(d) for d in split_arg(domains)]
        if not self.domains and command != "crawl":
            raise TargetError("no domain given (e.g. -a domains=kerio.com)")
        self.policy_urls = assign_policy_urls(self.domains, [normalize_url(u) for u in split_arg(policy_urls)])
        self.from_ts = normalize_date(from_date)
        self.to_ts = normalize_date(to_date, end=True)
        self.archive_arg = archive
        self.archive_type = archive_type
        self.command = command
        self.targets: list[PolicyTarget] = []
        self.discoveries: dict[str, Discovery] = {}
        self.listed: set[int] = set()  # policy URL ids listed in this run
        self.targets_by_key: dict[tuple[int, str], PolicyTarget] = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        # Several archives merge into one history: each policy URL is listed in every one of them.
        spider.archives = [archive_for(base, spider.archive_type) for base in split_arg(spider.archive_arg or settings.get("ARCHIVE_URL"))]
        spider.archive = ", ".join(a.base for a in spider.archives)  # for the run log
        spider.page_size = settings.getint("ARCHIVE_CDX_PAGE_SIZE")
        spider.collapse = settings.get("ARCHIVE_CDX_COLLAPSE") or None
        spider.store = Store.for_crawler(crawler)
        if spider.command == "crawl":
            tracked = [row for row in spider.store.policy_urls() if not spider.domains or row["domain"] in spider.domains]
            if not tracked:
                raise TargetError("no tracked policy URL in the database: run backfill first")
            spider.domains = sorted({row["domain"] for row in tracked})
            spider.policy_urls = {d: [row["url"] for row in tracked if row["domain"] == d] for d in spider.domains}
            spider.remember_discoveries(tracked)
        spider.to_discover = [d for d in spider.domains if not spider.policy_urls[d]]
        if spider.to_discover and not any(a.kind == "ia" for a in spider.archives):
            raise TargetError("finding a policy from a bare domain needs an archive.org-style archive: give --policy-url")
        return spider

    def remember_discoveries(self, tracked: list[dict]) -> None:
        """The scheduled crawl keeps following redirects from policy URLs the crawler found itself."""
        for domain in self.domains:
            found = [r for r in tracked if r["domain"] == domain and r["found_by"] != "given"]
            if found:
                eras = [Era(r["url"], r["found_by"], r["era_from"], r["era_to"], (r["found_by"],)) for r in found]
                archive = next((a for a in self.archives if a.kind == "ia"), self.archives[0])
                self.discoveries[domain] = Discovery(domain, archive, result=DiscoveryResult(domain, eras))

    async def start(self):
        for domain in self.domains:
            if domain in self.to_discover:
                archive = next(a for a in self.archives if a.kind == "ia")
                discovery = self.discoveries[domain] = Discovery(domain, archive)
                yield self.discovery_request(discovery)
            for url in self.policy_urls[domain]:
                for request in self.list_policy_url(domain, url, "given"):
                    yield request

    def list_policy_url(self, domain: str, url: str, found_by: str, period: tuple = (None, None)):
        """CDX requests listing one policy URL in every archive (once per run)."""
        policy_url_id = self.store.ensure_policy_url(domain, url, found_by, period)
        if policy_url_id in self.listed:
            return
        self.listed.add(policy_url_id)
        read_digests = self.store.fetched_digests(policy_url_id)
        for archive in self.archives:
            key = archive.replay_prefix
            mark = self.store.listed_through(policy_url_id, key)
            # The scheduled crawl lists from where the last complete listing ended (inclusive).
            from_ts = mark if self.command == "crawl" else self.from_ts
            target = PolicyTarget(
                domain,
                url,
                policy_url_id,
                archive,
                from_ts=from_ts,
                settled=self.store.settled_capture_keys(policy_url_id, key),
                read_digests=read_digests,
                covers_history=from_ts is None or (mark is not None and from_ts <= mark),
            )
            self.targets.append(target)
            self.targets_by_key[(policy_url_id, key)] = target
            yield self.cdx_request(target)

    # --- discovery ---

    def discovery_request(self, discovery: Discovery, resume_key: str | None = None) -> scrapy.Request:
        url = discovery_cdx_query(discovery.archive.base, discovery.domain, self.from_ts, self.to_ts, resume_key)
        return archive_request(url, "cdx", self.parse_discovery_cdx, self.discovery_unreachable, discovery=discovery)

    def parse_discovery_cdx(self, response):
        discovery: Discovery = response.meta["discovery"]
        discovery.pages += 1
        try:
            if response.status != 200:
                raise ArchiveError(f"HTTP {response.status}{_exclusion_note(response)}")
            page = parse_cdx(response.body)
        except ArchiveError as error:
            self.archive_failed(f"{discovery.archive.base} could not list {discovery.domain} to find its policy: {error}")
            yield from self.finish_discovery(discovery)
            return
        discovery.rows += page.rows
        if page.resume_key and discovery.pages < DISCOVERY_MAX_PAGES:
            yield self.discovery_request(discovery, page.resume_key)
            return
        fetches = plan_home_page_fetches(discovery.domain, discovery.rows)
        discovery.home_pages_pending = len(fetches)
        self.crawler.stats.inc_value("discovery/home_pages", len(fetches))
        for fetch in fetches:
            yield self.replay_request(discovery.archive, discovery.archive.replay_url(fetch.timestamp, fetch.url),
                                      "home_page", discovery)
        if not fetches:
            yield from self.finish_discovery(discovery)

    def home_page_read(self, discovery: Discovery, response, memento_ts: str | None, captured_url: str | None):
        if memento_ts and captured_url and response.status < 400:
            content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
            links = find_policy_links(_payload(response.body), captured_url, content_type)
            discovery.visits.append(HomePageVisit(memento_ts, captured_url, tuple(links)))
        discovery.home_pages_pending -= 1
        if discovery.home_pages_pending == 0:
            yield from self.finish_discovery(discovery)

    def finish_discovery(self, discovery: Discovery):
        """All rows and home pages in: decide the eras, record them, list each era's URL."""
        discovery.result = discover(discovery.domain, discovery.rows, sorted(discovery.visits, key=lambda v: v.timestamp))
        self.store.record_discovery(getattr(self.crawler, "policy_run_id", None), discovery.domain,
                                    "found" if discovery.result.found else "none", discovery.result.summary_line())
        self.crawler.stats.inc_value("discovery/policy_urls", len(discovery.result.eras))
        if not discovery.result.found:
            self.crawler.stats.inc_value("discovery/nothing_found")
        for era in discovery.result.eras:
            yield from self.list_policy_url(discovery.domain, era.url, era.found_by, (era.from_ts, era.to_ts))

    def discovery_unreachable(self, failure):
        discovery: Discovery = failure.request.meta["discovery"]
        self.archive_failed(f"{discovery.archive.base} unreachable while finding the policy of {discovery.domain}: "
                            f"{failure.getErrorMessage()}")
        return list(self.finish_discovery(discovery))

    # --- listing ---

    def cdx_request(self, target: PolicyTarget, resume_key: str | None = None) -> scrapy.Request:
        url = target.archive.cdx_url(
            target.url, from_=target.from_ts, to=self.to_ts, collapse=self.collapse, limit=self.page_size,
            resume_key=resume_key,
        )
        return archive_request(url, "cdx", self.parse_cdx, self.archive_unreachable, target=target)

    def parse_cdx(self, response):
        target: PolicyTarget = response.meta["target"]
        if response.status != 200:
            self.archive_failed(f"{target.archive.base} answered {response.status} to a CDX query for {target.url}"
                                f"{_exclusion_note(response)}")
            return
        try:
            page = parse_cdx(response.body)
        except ArchiveError as error:
            self.archive_failed(f"{target.archive.base} answered garbage to a CDX query for {target.url}: {error}")
            return
        self.crawler.stats.inc_value("captures/listed", len(page.rows))
        self.crawler.stats.inc_value("captures/invalid_rows", page.dropped)
        for row in page.rows:
            yield from self.consider(target, row)
        if page.rows:
            target.listed_up_to = max(target.listed_up_to or "", page.rows[-1].timestamp)
        if page.resume_key and target.archive.pages_by_resume_key:
            yield self.cdx_request(target, page.resume_key)
        else:
            target.listing_complete = True

    def consider(self, target: PolicyTarget, row: CdxRow):
        """Decides, for one listed capture, whether to replay it or record it as it is."""
        previous, target.previous_row = target.previous_row, row
        if self.collapse == "digest" and previous and previous.digest == row.digest:
            # The client's own collapse=digest, for archives that ignore it (pywb): as archive.org would.
            return
        if (row.timestamp, row.original) in target.settled:
            self.crawler.stats.inc_value("captures/already_stored")
            return
        item = CaptureItem(
            domain=target.domain, policy_url=target.url, policy_url_id=target.policy_url_id,
            archive=target.archive.replay_prefix, timestamp=row.timestamp, original=row.original, digest=row.digest,
            statuscode=row.statuscode, mimetype=row.mimetype, length=row.length,
        )
        if row.status is not None and row.status >= 400:
            item.outcome, item.reason = "archived_error", f"archived HTTP {row.status}"
            yield item
        elif row.mimetype not in READABLE_MIMETYPES:
            item.outcome, item.reason = "skipped_type", f"not a page: {row.mimetype}"
            yield item
        elif row.is_redirect or row.digest == EMPTY_DIGEST:
            # Every bodiless redirect shares the empty digest, so that digest says nothing of where it
            # leads: follow each, except a repeat of the redirect just before it. A redirect with a body
            # is known by its digest like any page (the same body names the same Location).
            if previous and previous.is_redirect and previous.digest == row.digest:
                item.outcome, item.reason = "same_digest", "repeats the redirect before it"
                yield item
            elif row.digest != EMPTY_DIGEST and row.digest in target.read_digests:
                item.outcome = "same_digest"
                yield item
            else:
                if row.digest != EMPTY_DIGEST:
                    target.read_digests.add(row.digest)
                yield self.capture_request(item, target.archive)
        elif row.digest in target.read_digests:
            item.outcome = "same_digest"
            self.crawler.stats.inc_value("captures/same_digest")
            yield item
        else:
            target.read_digests.add(row.digest)
            yield self.capture_request(item, target.archive)

    # --- replay ---

    def capture_request(self, item: CaptureItem, archive: Archive) -> scrapy.Request:
        return self.replay_request(archive, archive.replay_url(item.timestamp, item.original), "capture", item)

    def replay_request(self, archive: Archive, url: str, purpose: str, context, hops: tuple = ()) -> scrapy.Request:
        """An `id_` replay: of a listed capture (`purpose` "capture", context its item) or of a home page
        read for discovery ("home_page", context its Discovery)."""
        return archive_request(url, "replay", self.parse_replay, self.replay_failed, archive=archive, purpose=purpose,
                               context=context, hops=hops)

    def parse_replay(self, response):
        purpose, context, hops = response.meta["purpose"], response.meta["context"], response.meta["hops"]
        archive: Archive = response.meta["archive"]
        memento_ts = memento_timestamp(response.headers.get("Memento-Datetime", b"").decode("latin-1"))
        original_link = link_original(response.headers.get("Link", b"").decode("latin-1"))
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location", b"").decode("latin-1")
            location_ts, target_url = parse_replay_location(location, response.url) if location else (None, "")
            if location and location_ts is None:
                # pywb keeps a captured redirect's raw Location: send it back into the archive, same time.
                target_url = urljoin(original_link or response.url, location)
                next_url = archive.replay_url(memento_ts or "", target_url)
            else:
                next_url = response.urljoin(location)
            if location and location_ts is None and memento_ts is None:
                yield from self.replay_ended(purpose, context, response, "failed", f"the archive sent us out of itself, to {location}")
                return
            if not location or next_url in hops or response.url in hops or len(hops) >= MAX_REDIRECTS:
                reason = (f"HTTP {response.status} without Location" if not location else
                          f"redirect loop or more than {MAX_REDIRECTS} redirects, last to {target_url}")
                yield from self.replay_ended(purpose, context, response, "redirect_loop" if location else "failed", reason)
                return
            if purpose == "capture" and not hops and self.leads_to_listed_capture(context, memento_ts, location_ts, target_url):
                # http -> https, bare -> www.: the capture it leads to is in this very listing, read on its
                # own; reading it again through the redirect would cost two more requests.
                context.outcome, context.reason = "self_redirect", f"leads to {target_url} ({location_ts}), listed on its own"
                yield context
                return
            if purpose == "capture" and memento_ts and not hops:
                yield from self.redirect_seen(context, target_url)
            self.crawler.stats.inc_value("replay/redirects_followed")
            yield self.replay_request(archive, next_url, purpose, context, hops + (response.url,))
            return
        if memento_ts is None:
            # 404 "not archived", an exclusion page: answers of the archive, not captures.
            yield from self.replay_ended(purpose, context, response, "not_memento", f"HTTP {response.status} without Memento-Datetime")
            return
        captured_url = original_link or parse_replay_location(response.url, response.url)[1]
        if purpose == "home_page":
            yield from self.home_page_read(context, response, memento_ts, captured_url)
            return
        item: CaptureItem = context
        if response.status >= 400:
            item.outcome, item.reason = "archived_error", f"archived HTTP {response.status}"
            yield item
            return
        item.captured_url = captured_url
        item.captured_timestamp = memento_ts
        item.content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        item.body = _payload(response.body)
        self.crawler.stats.inc_value("replay/mementos")
        yield item

    def leads_to_listed_capture(self, item: CaptureItem, memento_ts: str | None, location_ts: str | None, target_url: str) -> bool:
        """A redirect from a capture to another capture of the same URL key: a captured redirect (with
        Memento-Datetime), or the archive's own hop away from a capture that redirects to itself, when
        the capture it names lies in the part of the index this run has listed (so it was listed, or
        collapsed into an identical neighbour that was)."""
        if surt(target_url) != surt(item.original):
            return False
        if memento_ts:
            return True
        target = self.targets_by_key.get((item.policy_url_id, item.archive))
        if not (location_ts and location_ts != item.timestamp and target and target.listed_up_to):
            return False
        return (target.from_ts or "") <= location_ts <= target.listed_up_to

    def replay_ended(self, purpose: str, context, response, outcome: str, reason: str):
        """A replay that gave no readable capture: the item says why; a home page just counts as read."""
        if purpose == "home_page":
            yield from self.home_page_read(context, response, None, None)
            return
        context.outcome, context.reason = outcome, reason
        yield context

    def redirect_seen(self, item: CaptureItem, target_url: str):
        """A discovered policy URL that redirects to a new URL: the new one is the vendor's too, listed now."""
        discovery = self.discoveries.get(item.domain)
        if discovery is None or discovery.result is None:
            return
        era = follow_redirect(item.domain, discovery.result.eras, Redirect(item.original, target_url, item.timestamp))
        if era is not None:
            discovery.result.eras.append(era)
            self.crawler.stats.inc_value("discovery/policy_urls")
            self.store.record_discovery(getattr(self.crawler, "policy_run_id", None), item.domain, "redirect",
                                        f"{item.original} redirects to {era.url} ({item.timestamp[:8]}): listed too")
            yield from self.list_policy_url(item.domain, era.url, "redirect", (era.from_ts, era.to_ts))

    def closed(self, reason):
        """After a run that went to its end, moves each fully listed policy URL's mark forward."""
        stats = self.crawler.stats
        if reason != "finished" or stats.get_value("store/errors"):
            return
        for target in self.targets:
            if target.listing_complete and target.covers_history and target.listed_up_to:
                self.store.advance_listing(target.policy_url_id, target.archive.replay_prefix, target.listed_up_to)

    # --- failures ---

    def replay_failed(self, failure):
        meta = failure.request.meta
        self.crawler.stats.inc_value("replay/failed")
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        return list(self.replay_ended(meta["purpose"], meta["context"], None, "failed", reason))

    def archive_unreachable(self, failure):
        target: PolicyTarget = failure.request.meta["target"]
        self.archive_failed(f"{target.archive.base} unreachable while listing {target.url}: {failure.getErrorMessage()}")

    def archive_failed(self, message: str) -> None:
        logger.error(message)
        self.crawler.stats.inc_value("archive/errors")
        if not self.crawler.stats.get_value("archive/first_error"):
            self.crawler.stats.set_value("archive/first_error", message)


def _payload(body: bytes) -> bytes:
    """archive.org may serve a gzipped original with both `content-encoding: ""` and `Content-Encoding:
    gzip`, so the client leaves it compressed: undo that here."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError):
            return body
    return body


def _exclusion_note(response) -> str:
    text = response.text[:2000] if hasattr(response, "text") else response.body[:2000].decode("utf-8", "replace")
    for marker in ("AdministrativeAccessControlException", "RobotAccessControlException", "Blocked Site Error"):
        if marker in text:
            return f" ({marker}: the site is excluded from the archive)"
    return ""
