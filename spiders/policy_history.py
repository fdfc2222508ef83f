"""Lists each vendor's policy captures in the archive's CDX index and replays the ones worth reading.

The spider only asks: it reads what the store already holds (through the store extension), replays
(`id_`) only captures whose payload digest it has not read (crawler/decisions.py decides; or, with --read bisect/sample,
only those crawler/reading.py plans), follows captured redirects, and yields items: a PolicyUrlItem for each policy URL it lists, a DiscoveryItem
for what discovery found, a CaptureItem per capture seen, a ListingItem when a listing went to its
end. It writes nothing: the pipelines and the store extension do.

Two ways to run: a backfill of the given domains' whole history (`command=backfill`, the default for
`scrapy crawl`), or the scheduled crawl (`command=crawl`) of every tracked policy URL, each listed only
from where its last complete listing ended.

A domain given without a policy URL is discovered first (crawler/discovery/ decides, this spider
asks): one CDX query over the domain for every capture of its policy-like URLs and its home page, the
archived home page bisected on the link that names the policy, then each era's URL is listed as above,
from that query's rows when they hold it (no CDX request of its own); a captured redirect from a
discovered URL to a new one adds the new one.

    scrapy crawl policy_history -a domains=kerio.com -a policy_urls=http://www.kerio.com/privacy-policy
    scrapy crawl policy_history -a domains="kerio.com faasoft.com" -s ARCHIVE_CDX_PER_MINUTE=10
    scrapy crawl policy_history -a command=crawl

Lists given with `-a` are separated by spaces (a URL may hold commas, never a space).
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals

from crawler.decisions import FETCH, RECORD, SKIP, decide_capture, leads_to_listed_capture, redirect_ends
from crawler.dedup import PayloadsRead
from crawler.reading import BISECT, EVERY_DIGEST, FAILED, NOT_POLICY, ReadMode, choose_mode, parse_read_mode, plan_bisect, plan_sample
from crawler.wayback import (
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
    DiscoveryResult,
    Era,
    HomePageVisit,
    Redirect,
    discover,
    discovery_cdx_query,
    find_policy_links,
    follow_redirect,
)
from crawler.discovery.query import DISCOVERY_MAX_PAGES, DISCOVERY_PAGE_LIMIT, whole_listings
from crawler.discovery.home_pages import home_page_captures, link_identity, next_home_page_reads
from crawler.extensions.store import PolicyStore
from crawler.capturestore.headers import replay_headers
from crawler.items import CaptureItem, DiscoveryItem, ListingItem, PayloadItem, PolicyUrlItem
from crawler.pagesize import DEFAULT_MAX_PAGE_BYTES, OVERSIZE, oversize_reason, replay_size_meta
from crawler.store import TEXT_OUTCOMES
from crawler.verify import UNVERIFIED, check_replay
from crawler.targets import TargetError, assign_policy_urls, normalize_date, normalize_domain, normalize_url

logger = logging.getLogger(__name__)


@dataclass
class PolicyTarget:
    """One policy URL of one vendor in one archive, with what the store already knows of it."""

    domain: str
    url: str
    archive: Archive
    from_ts: str | None = None
    settled: set[tuple[str, str]] = field(default_factory=set)
    # Payloads read before or scheduled in this run, shared by the URL's targets in every archive.
    payloads: PayloadsRead = field(default_factory=PayloadsRead)
    previous_row: CdxRow | None = None
    listed_up_to: str | None = None  # newest timestamp listed in this run
    listing_complete: bool = False
    covers_history: bool = False  # the listing started at or before the stored mark
    # Read modes other than every-digest (crawler/reading.py): the rows held until the listing is
    # complete, then what the planner reads over.
    held: list[CdxRow] = field(default_factory=list)
    settled_identities: dict = field(default_factory=dict)  # (timestamp, original) -> identity, from the store
    reading: "Reading | None" = None


@dataclass
class Reading:
    """One listing read by bisection or sampling: its page captures in time order, the identity of
    those the store had settled, and which ones have an item (read, recorded or inferred)."""

    mode: ReadMode
    rows: list[CdxRow]
    fixed: dict[int, str] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)


@dataclass
class Discovery:
    """Finding one domain's policy URLs: the index rows, then the home pages read."""

    domain: str
    archive: Archive
    rows: list[CdxRow] = field(default_factory=list)
    pages: int = 0
    monthly: bool = False  # the fallback query of a domain too big for the full one (crawler/discovery/query.py)
    # The policy-like URLs the discovery query listed whole, by SURT key: an era's URL found here is
    # listed from these rows, with no CDX request of its own.
    listings: dict[str, list[CdxRow]] = field(default_factory=dict)
    eras_listed: bool = False  # every era's listing asked for (or read from `listings`)
    home_pages_pending: int = 0
    visits: list[HomePageVisit] = field(default_factory=list)
    # The home page's captures, bisected on the policy link each names (crawler/discovery/home_pages.py).
    home_pages: list = field(default_factory=list)
    links_said: dict[int, str] = field(default_factory=dict)
    home_pages_asked: set[int] = field(default_factory=set)
    result: DiscoveryResult | None = None


def archive_request(url: str, kind: str, callback, errback, **meta) -> scrapy.Request:
    """A request to an archive: `kind` ("cdx" or "replay") and the archive's host pick its download slot
    and its budget (crawler/middlewares.py); never filtered as a duplicate, since a 429'd request is
    sent again."""
    return scrapy.Request(url, callback=callback, errback=errback, dont_filter=True,
                          meta={"archive_kind": kind, "download_slot": f"{kind}:{urlsplit(url).netloc}", **meta})


def split_arg(value) -> list[str]:
    """A list argument: a Python list (from crawler/cli.py), or words separated by spaces (from `-a`)."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return str(value).split()


def _argument(name: str, parse, value):
    """Parses one spider argument; a bad one raises TargetError naming the argument."""
    try:
        return parse(value)
    except TargetError as error:
        raise TargetError(f"spider argument {name}: {error}") from None


class PolicyHistorySpider(scrapy.Spider):
    name = "policy_history"

    @classmethod
    def from_crawler(cls, crawler, domains=None, policy_urls=None, archive=None, archive_type=None, from_date=None,
                     to_date=None, command="backfill", **kwargs):
        """Validates the arguments once, here: a bad one raises TargetError with the argument's name."""
        spider = super().from_crawler(crawler, **kwargs)
        settings = crawler.settings
        if command not in ("backfill", "crawl", "demo"):
            raise TargetError(f"spider argument command: unknown command {command!r}: backfill or crawl")
        spider.command = command
        spider.domains = _argument("domains", lambda v: [normalize_domain(d) for d in split_arg(v)], domains)
        if not spider.domains and command != "crawl":
            raise TargetError("spider argument domains: no domain given (e.g. -a domains=kerio.com)")
        urls = _argument("policy_urls", lambda v: [normalize_url(u) for u in split_arg(v)], policy_urls)
        spider.policy_urls = _argument("policy_urls", lambda v: assign_policy_urls(spider.domains, v), urls)
        spider.from_ts = _argument("from_date", normalize_date, from_date)
        spider.to_ts = _argument("to_date", lambda v: normalize_date(v, end=True), to_date)
        kind = archive_type or settings.get("ARCHIVE_TYPE") or "auto"
        try:
            # Several archives merge into one history: each policy URL is listed in every one of them.
            spider.archives = [archive_for(base, kind) for base in split_arg(archive) or settings.getlist("ARCHIVE_URLS")]
        except ValueError as error:
            raise TargetError(f"spider argument archive: {error}") from None
        if not spider.archives:
            raise TargetError("spider argument archive: no archive given")
        spider.page_size = settings.getint("ARCHIVE_CDX_PAGE_SIZE")
        spider.discovery_page_size = settings.getint("DISCOVERY_CDX_PAGE_SIZE", DISCOVERY_PAGE_LIMIT)
        spider.discovery_max_pages = max(1, settings.getint("DISCOVERY_MAX_PAGES", DISCOVERY_MAX_PAGES))
        spider.collapse = settings.get("ARCHIVE_CDX_COLLAPSE") or None
        try:
            spider.read_mode = parse_read_mode(settings.get("READ_MODE"))
        except ValueError as error:
            raise TargetError(f"setting READ_MODE: {error}") from None
        # Text identities of payloads read (by policy URL key, then digest), and digests being read: how
        # the bisection learns what a replay gave once the pipelines have extracted it (item_scraped).
        spider.identities = {}
        spider.in_flight = {}
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        spider.verify_retries = settings.getint("ARCHIVE_VERIFY_RETRIES_IN_RUN", 1)
        spider.max_page_bytes = settings.getint("ARCHIVE_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES)
        spider.targets = []
        spider.discoveries = {}
        spider.listed = set()  # (domain, URL key) of the policy URLs listed in this run
        spider.targets_by_key = {}
        spider.vendors_listed = set()
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
                self.discoveries[domain] = Discovery(domain, archive, result=DiscoveryResult(domain, eras), eras_listed=True)

    async def start(self):
        self.known: PolicyStore = self.crawler.get_extension(PolicyStore)
        if self.command == "crawl":
            tracked = self.known.tracked_policy_urls(self.domains)
            if not tracked:
                logger.error("no tracked policy URL in the database: run backfill first")
                return
            self.domains = sorted({row["domain"] for row in tracked})
            self.policy_urls = {d: [row["url"] for row in tracked if row["domain"] == d] for d in self.domains}
            self.to_discover = []
            self.remember_discoveries(tracked)
        self.crawler.stats.set_value("vendors/total", len(self.domains))
        for domain in self.domains:
            if domain in self.to_discover:
                archive = next(a for a in self.archives if a.kind == "ia")
                discovery = self.discoveries[domain] = Discovery(domain, archive)
                yield self.discovery_request(discovery)
            for url in self.policy_urls[domain]:
                for request in self.list_policy_url(domain, url, "given"):
                    yield request

    def list_policy_url(self, domain: str, url: str, found_by: str, period: tuple = (None, None)):
        """The policy URL for the store, then its listing in every archive (once per run): from the
        discovery query's rows when they hold it whole, else by CDX requests."""
        yield PolicyUrlItem(domain, url, found_by, *period)
        key = (domain, surt(url))
        if key in self.listed:
            return
        self.listed.add(key)
        payloads = PayloadsRead()
        identities = self.identities.setdefault(key, {})
        self.in_flight.setdefault(key, set())
        for archive in self.archives:
            settled, read_digests, mark = self.known.known_of(domain, url, archive.replay_prefix)
            payloads.digests |= read_digests
            by_digest, by_key = self.known.read_identities(domain, url, archive.replay_prefix)
            identities.update(by_digest)
            # The scheduled crawl lists from where the last complete listing ended (inclusive).
            from_ts = mark if self.command == "crawl" else self.from_ts
            target = PolicyTarget(
                domain, url, archive, from_ts=from_ts, settled=settled, payloads=payloads,
                covers_history=from_ts is None or (mark is not None and from_ts <= mark), settled_identities=by_key,
            )
            self.targets.append(target)
            self.targets_by_key[(key, archive.replay_prefix)] = target
            rows = self.discovered_listing(domain, key[1], archive)
            if rows is None:
                yield self.cdx_request(target)
            else:
                self.crawler.stats.inc_value("discovery/listings_reused")
                yield from self.take_rows(target, rows)
                if self.crawler.crawling:
                    yield from self.end_listing(target)

    def discovered_listing(self, domain: str, urlkey: str, archive: Archive) -> list[CdxRow] | None:
        """Every capture of the URL, when this archive's discovery query listed it whole (else None)."""
        discovery = self.discoveries.get(domain)
        if discovery is None or discovery.archive.base != archive.base:
            return None
        return discovery.listings.pop(urlkey, None)  # listed once per run: not kept after

    # --- discovery ---

    def discovery_request(self, discovery: Discovery, resume_key: str | None = None) -> scrapy.Request:
        url = discovery_cdx_query(discovery.archive.base, discovery.domain, self.from_ts, self.to_ts, resume_key,
                                  monthly=discovery.monthly, page_size=self.discovery_page_size)
        return archive_request(url, "cdx", self.parse_discovery_cdx, self.discovery_unreachable, discovery=discovery)

    def parse_discovery_cdx(self, response):
        discovery: Discovery = response.meta["discovery"]
        discovery.pages += 1
        try:
            if response.status != 200:
                raise ArchiveError(f"HTTP {response.status}{_exclusion_note(response)}")
            page = parse_cdx(response.body)
        except ArchiveError as error:
            message = f"{discovery.archive.base} could not list {discovery.domain} to find its policy: {error}"
            self.archive_failed(message)
            yield self.discovery_failed(discovery, message)
            return
        discovery.rows += page.rows
        if page.resume_key and discovery.pages < self.discovery_max_pages:
            yield self.discovery_request(discovery, page.resume_key)
            return
        if not discovery.monthly:
            discovery.listings = whole_listings(discovery.domain, discovery.rows, cut=bool(page.resume_key))
            if page.resume_key:
                # More captures than the budget: the monthly query gives every URL's span and the home
                # pages; the URLs the cut left out are listed on their own.
                self.crawler.stats.inc_value("discovery/monthly_fallback")
                discovery.rows, discovery.pages, discovery.monthly = [], 0, True
                yield self.discovery_request(discovery)
                return
        discovery.home_pages = home_page_captures(discovery.domain, discovery.rows)
        yield from self.read_home_pages(discovery)

    def read_home_pages(self, discovery: Discovery):
        """The next home pages worth reading (bisection on the link they name), or the eras when none is."""
        pending = discovery.home_pages_asked - set(discovery.links_said)
        wanted = next_home_page_reads(discovery.home_pages, discovery.links_said, pending)
        discovery.home_pages_pending += len(wanted)
        self.crawler.stats.inc_value("discovery/home_pages", len(wanted))
        for index in wanted:
            discovery.home_pages_asked.add(index)
            fetch = discovery.home_pages[index]
            yield self.replay_request(discovery.archive, discovery.archive.replay_url(fetch.timestamp, fetch.url),
                                      "home_page", (discovery, index))
        if discovery.home_pages_pending == 0:
            yield from self.finish_discovery(discovery)

    def home_page_read(self, context: tuple, response, memento_ts: str | None, captured_url: str | None):
        discovery, index = context
        said = FAILED
        if memento_ts and captured_url and response.status < 400:
            content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
            links = find_policy_links(_payload(response.body), captured_url, content_type)
            discovery.visits.append(HomePageVisit(memento_ts, captured_url, tuple(links)))
            said = link_identity(links)
        discovery.links_said[index] = said
        discovery.home_pages_pending -= 1
        yield from self.read_home_pages(discovery)

    def finish_discovery(self, discovery: Discovery):
        """All rows and home pages in: decide the eras, record them, list each era's URL."""
        discovery.result = discover(discovery.domain, discovery.rows, sorted(discovery.visits, key=lambda v: v.timestamp))
        discovery.rows, discovery.home_pages = [], []  # decided: only the whole listings are still needed
        yield DiscoveryItem(discovery.domain, "found" if discovery.result.found else "none", discovery.result.summary_line())
        self.crawler.stats.inc_value("discovery/policy_urls", len(discovery.result.eras))
        if not discovery.result.found:
            self.crawler.stats.inc_value("discovery/nothing_found")
        for era in discovery.result.eras:
            yield from self.list_policy_url(discovery.domain, era.url, era.found_by, (era.from_ts, era.to_ts))
        # The other URLs' rows are let go (a redirect met later to one of them lists it by a query of its
        # own): kept for every vendor of a long run, they would grow with the run.
        discovery.listings, discovery.eras_listed = {}, True
        self.note_vendor_listed(discovery.domain)

    def discovery_unreachable(self, failure):
        discovery: Discovery = failure.request.meta["discovery"]
        message = f"{discovery.archive.base} unreachable while finding the policy of {discovery.domain}: {failure.getErrorMessage()}"
        self.archive_failed(message)
        return [self.discovery_failed(discovery, message)]

    def discovery_failed(self, discovery: Discovery, message: str) -> DiscoveryItem:
        """A search that failed is never recorded as an absence: the next run searches again."""
        self.crawler.stats.inc_value("discovery/failed")
        return DiscoveryItem(discovery.domain, "failed", f"{discovery.domain}: the archive failed while searching for its "
                             f"policy ({message}); nothing is concluded, the next run searches again")

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
            yield from self.start_reading(target)
            return
        try:
            page = parse_cdx(response.body)
        except ArchiveError as error:
            self.archive_failed(f"{target.archive.base} answered garbage to a CDX query for {target.url}: {error}")
            yield from self.start_reading(target)
            return
        self.crawler.stats.inc_value("captures/invalid_rows", page.dropped)
        yield from self.take_rows(target, page.rows)
        if not self.crawler.crawling:
            return  # shutting down (SIGTERM): a long listing is left for the next run, incomplete
        if page.resume_key and target.archive.pages_by_resume_key:
            yield self.cdx_request(target, page.resume_key)
            return
        yield from self.end_listing(target)

    def take_rows(self, target: PolicyTarget, rows: list[CdxRow]):
        """One page of a listing (a CDX answer, or the discovery query's rows of the URL)."""
        self.crawler.stats.inc_value("captures/listed", len(rows))
        if self.read_mode.kind == EVERY_DIGEST:
            for row in rows:
                if not self.crawler.crawling:
                    return
                yield from self.consider(target, row)
        else:
            target.held += rows  # read once the listing is complete: the planner needs all of it
        if rows:
            target.listed_up_to = max(target.listed_up_to or "", rows[-1].timestamp)

    def end_listing(self, target: PolicyTarget):
        """A listing that went to its end: read what it held, and move its mark at the end of the run."""
        target.listing_complete = True
        self.note_vendor_listed(target.domain)
        yield from self.start_reading(target)
        if target.covers_history and target.listed_up_to:
            yield ListingItem(target.domain, target.url, target.archive.replay_prefix, target.listed_up_to)

    def note_vendor_listed(self, domain: str) -> None:
        """For progress: a vendor whose every listing went to its end (its replays may still be running)."""
        discovery = self.discoveries.get(domain)
        if domain in self.vendors_listed or (discovery is not None and not discovery.eras_listed):
            return
        if all(t.listing_complete for t in self.targets if t.domain == domain):
            self.vendors_listed.add(domain)
            self.crawler.stats.set_value("vendors/listed", len(self.vendors_listed))

    def consider(self, target: PolicyTarget, row: CdxRow):
        """One listed capture: replayed, recorded as it is, or skipped (crawler/decisions.py decides)."""
        previous, target.previous_row = target.previous_row, row
        decision = decide_capture(row, previous, target.settled, target.payloads, self.collapse)
        if decision.stat:
            self.crawler.stats.inc_value(decision.stat)
        if decision.action not in (RECORD, FETCH):
            return
        item = CaptureItem(
            domain=target.domain, policy_url=target.url, archive=target.archive.replay_prefix,
            timestamp=row.timestamp, original=row.original, digest=row.digest, statuscode=row.statuscode,
            mimetype=row.mimetype, length=row.length,
        )
        if decision.action == RECORD:
            item.outcome, item.reason = decision.outcome, decision.reason
            yield item
            return
        target.payloads.add(row.digest)
        yield self.capture_request(item, target.archive)

    # --- read modes other than every-digest (crawler/reading.py plans, the spider asks) ---

    def start_reading(self, target: PolicyTarget):
        """A complete listing held: decide each row as every-digest would (errors, types, known digests,
        redirects are handled the same way), then read its page captures in the listing's mode."""
        rows, target.held = target.held, []
        if not rows:
            return
        key = (target.domain, surt(target.url))
        fresh = [r.digest for r in rows if (r.timestamp, r.original) not in target.settled and not r.is_redirect]
        mode = choose_mode(self.read_mode, fresh, self.identities[key])
        self.crawler.stats.inc_value(f"reading/listings_{mode}")
        if mode.kind == EVERY_DIGEST:
            for row in rows:
                if not self.crawler.crawling:
                    return  # shutting down (SIGTERM): the listing is left for the next run, incomplete
                yield from self.consider(target, row)
            return
        reading = Reading(mode, [])
        for row in rows:
            if not self.crawler.crawling:
                return
            previous, target.previous_row = target.previous_row, row
            decision = decide_capture(row, previous, target.settled, target.payloads, self.collapse)
            if decision.stat:
                self.crawler.stats.inc_value(decision.stat)
            page = not row.is_redirect and row.digest != EMPTY_DIGEST
            if decision.action == SKIP:
                identity = target.settled_identities.get((row.timestamp, row.original))
                if decision.stat == "captures/already_stored" and identity and page:
                    # A stored capture brackets the new ones: the scheduled crawl bisects from the stored text.
                    reading.fixed[len(reading.rows)] = identity
                    reading.recorded.add(len(reading.rows))
                    reading.rows.append(row)
                continue
            if decision.action == RECORD:
                yield self.capture_item(target, row, decision.outcome, decision.reason)
                if decision.outcome == "same_digest" and page:
                    reading.recorded.add(len(reading.rows))
                    reading.rows.append(row)
                continue
            if not page:  # a redirect: read as every-digest reads it
                target.payloads.add(row.digest)
                yield self.capture_request(self.capture_item(target, row), target.archive)
                continue
            reading.rows.append(row)
        target.reading = reading
        yield from self.advance_reading(target)

    def capture_item(self, target: PolicyTarget, row: CdxRow, outcome: str = "fetched", reason: str = "") -> CaptureItem:
        return CaptureItem(
            domain=target.domain, policy_url=target.url, archive=target.archive.replay_prefix,
            timestamp=row.timestamp, original=row.original, digest=row.digest, statuscode=row.statuscode,
            mimetype=row.mimetype, length=row.length, outcome=outcome, reason=reason,
        )

    def advance_reading(self, target: PolicyTarget):
        """Asks the planner what to read next, given what is known now; yields those replays, and the
        items of captures it infers or that are known by their digest."""
        reading = target.reading
        key = (target.domain, surt(target.url))
        identities, flight = self.identities[key], self.in_flight[key]
        known, pending = {}, set()
        for k, row in enumerate(reading.rows):
            if k in reading.fixed:
                known[k] = reading.fixed[k]
            elif row.digest in identities:
                known[k] = identities[row.digest]
            elif row.digest in flight:
                pending.add(k)
            elif k in reading.recorded:  # recorded as a known digest whose identity the store lacks
                known[k] = reading.fixed[k] = FAILED
        digests = [r.digest for r in reading.rows]
        if reading.mode.kind == BISECT:
            plan = plan_bisect(digests, known, pending)
        else:
            plan = plan_sample([r.timestamp for r in reading.rows], digests, known, pending, reading.mode.months)
        for k, identity in known.items():
            if k not in reading.recorded and identity != FAILED:
                reading.recorded.add(k)
                yield self.capture_item(target, reading.rows[k], "same_digest", "its payload was read at another capture")
        for k, (a, b) in sorted(plan.inferred.items()):
            if k in reading.recorded:
                continue
            reading.recorded.add(k)
            item = self.capture_item(target, reading.rows[k], "inferred_same_text",
                                     f"not read: between {reading.rows[a].timestamp} and {reading.rows[b].timestamp}, "
                                     f"read as the same {'text' if known[a] != NOT_POLICY else 'non-policy page'}")
            item.text_hash = known[a] if known[a] != NOT_POLICY else None
            self.crawler.stats.inc_value("captures/inferred")
            yield item
        for k in plan.read:
            row = reading.rows[k]
            reading.recorded.add(k)
            flight.add(row.digest)
            target.payloads.add(row.digest)
            yield self.capture_request(self.capture_item(target, row), target.archive)

    def item_scraped(self, item, response=None, spider=None):
        """A capture went through the pipelines: its text identity is known now; the listings of its
        policy URL waiting for it read on."""
        if isinstance(item, CaptureItem):
            identity = (item.text_hash if item.outcome in TEXT_OUTCOMES else NOT_POLICY if item.outcome == "refused"
                        else FAILED)
            self.learned(item, identity)

    def item_failed(self, item, response=None, spider=None, failure=None):
        if isinstance(item, CaptureItem):
            self.learned(item, FAILED)

    def learned(self, item: CaptureItem, identity: str) -> None:
        if not self.in_flight:  # every-digest listings wait for nothing: no work per item
            return
        key = (item.domain, surt(item.policy_url))
        flight = self.in_flight.get(key)
        if flight is None or item.digest not in flight or item.outcome in ("same_digest", "inferred_same_text"):
            return
        flight.discard(item.digest)
        self.identities[key][item.digest] = identity
        outputs = []
        for archive in self.archives:
            target = self.targets_by_key.get((key, archive.replay_prefix))
            if target is not None and target.reading is not None:
                outputs += list(self.advance_reading(target))
        if outputs:
            # A signal handler cannot yield: a local data: request (no network, no archive budget) hands
            # these to the engine through a callback, like any other output of the spider.
            self.crawler.engine.crawl(scrapy.Request("data:,", callback=self.emit, cb_kwargs={"outputs": outputs},
                                                     dont_filter=True, priority=10))

    def emit(self, response, outputs):
        yield from outputs

    # --- replay ---

    def capture_request(self, item: CaptureItem, archive: Archive) -> scrapy.Request:
        return self.replay_request(archive, archive.replay_url(item.timestamp, item.original), "capture", item)

    def replay_request(self, archive: Archive, url: str, purpose: str, context, hops: tuple = (), **meta) -> scrapy.Request:
        """An `id_` replay: of a listed capture (`purpose` "capture", context its item) or of a home page
        read for discovery ("home_page", context its Discovery)."""
        return archive_request(url, "replay", self.parse_replay, self.replay_failed, archive=archive, purpose=purpose,
                               context=context, hops=hops, **replay_size_meta(self.max_page_bytes), **meta)

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
            ended = redirect_ends(response.status, location, location_ts, memento_ts, target_url, next_url, response.url,
                                  hops, MAX_REDIRECTS)
            if memento_ts:  # a captured redirect: the capture store keeps it too
                captured = original_link or parse_replay_location(response.url, response.url)[1]
                yield _payload_item(archive, response, memento_ts, captured, target_url)
            if ended:
                yield from self.replay_ended(purpose, context, response, *ended)
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
            yield _payload_item(archive, response, memento_ts, captured_url)
            yield from self.home_page_read(context, response, memento_ts, captured_url)
            return
        item: CaptureItem = context
        if response.status >= 400:
            item.outcome, item.reason = "archived_error", f"archived HTTP {response.status}"
            yield item
            return
        problem = check_replay(item.digest, response.body, response.meta.get("payload_sha1_raw"), hops, response.flags,
                               memento_ts, item.timestamp)
        if problem:
            # Never a version: sent once more now, then left to the next runs (crawler/verify.py).
            tries = response.meta.get("verify_tries", 0) + 1
            self.crawler.stats.inc_value("replay/unverified")
            if tries <= self.verify_retries:
                yield self.replay_request(archive, response.url, purpose, context, hops, verify_tries=tries)
                return
            item.outcome, item.reason = UNVERIFIED, problem
            yield item
            return
        item.captured_url = captured_url
        item.captured_timestamp = memento_ts
        item.content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        item.body = _payload(response.body)
        item.replay_status, item.replay_headers = response.status, replay_headers(response)
        self.crawler.stats.inc_value("replay/mementos")
        yield item

    def leads_to_listed_capture(self, item: CaptureItem, memento_ts: str | None, location_ts: str | None, target_url: str) -> bool:
        target = self.targets_by_key.get(((item.domain, surt(item.policy_url)), item.archive))
        listed = ((target.from_ts or "", target.listed_up_to) if target and target.listed_up_to else None)
        return leads_to_listed_capture(item.original, item.timestamp, memento_ts, location_ts, target_url, listed)

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
            yield DiscoveryItem(item.domain, "redirect", f"{item.original} redirects to {era.url} ({item.timestamp[:8]}): listed too")
            yield from self.list_policy_url(item.domain, era.url, "redirect", (era.from_ts, era.to_ts))

    # --- failures ---

    def replay_failed(self, failure):
        meta = failure.request.meta
        self.crawler.stats.inc_value("replay/failed")
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        too_big = oversize_reason(failure.value, self.max_page_bytes)
        if too_big:
            self.crawler.stats.inc_value("replay/oversize")
            return list(self.replay_ended(meta["purpose"], meta["context"], None, OVERSIZE, too_big))
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


def _payload_item(archive: Archive, response, memento_ts: str, captured_url: str, location: str | None = None) -> PayloadItem:
    """A payload read that is no capture of its own (a home page, a captured redirect): for the capture store."""
    return PayloadItem(archive.replay_prefix, captured_url, memento_ts, response.status, replay_headers(response),
                       _payload(response.body), response.url, location)


def _exclusion_note(response) -> str:
    text = response.text[:2000] if hasattr(response, "text") else response.body[:2000].decode("utf-8", "replace")
    for marker in ("AdministrativeAccessControlException", "RobotAccessControlException", "Blocked Site Error"):
        if marker in text:
            return f" ({marker}: the site is excluded from the archive)"
    return ""
