"""The discovery CDX query: ONE request over the domain and its subdomains that returns the
policy-like URLs with every capture of each (so each era's URL needs no listing of its own) and the
home page's captures; and the bounded monthly query it falls back to for a domain too big for it."""

from __future__ import annotations

from crawler.wayback import CdxRow, cdx_query_url, surt
from crawler.discovery.patterns import PAGE_MIMETYPE_PATTERN, POLICY_PATH_PATTERN, home_page_pattern, is_home_page_row
from crawler.targets import normalize_domain

# Every capture, no collapse and no status or type filter: a policy-like URL's rows are then exactly
# those its own listing (`url=<it>`, matchType exact) would give, so the era's listing is read from
# them (spiders/policy_history.py) and costs no CDX request. Not collapse=digest: the collapse is
# adjacent-only across URLs (one URL's first capture is dropped when it repeats the previous URL's
# last payload: aliases, bodiless redirects), and it would hide when a stable URL was last captured.
# The rows of one URL are collapsed by digest on this side, as a listing's are for pywb.
# Page size (setting DISCOVERY_CDX_PAGE_SIZE): 50,000 rows, ~7 MB of JSON; archive.org stops one
# query at 150,000 rows anyway. Budget (DISCOVERY_MAX_PAGES): the first page and at most two more by
# resume key. A domain with more captures of its home page and policy-like URLs than that (the few
# sites archived daily for 20 years) falls back to the monthly query below, and the URLs the cut left
# out are listed on their own.
DISCOVERY_PAGE_LIMIT = 50000
DISCOVERY_MAX_PAGES = 3
# The fallback: one row per URL per month (the eras' spans, the home pages to read), bounded to 12 a
# year per URL, so a 20-year vendor with 40 policy-like URLs fits in one 5,000-row page. Filtered on
# the server: these rows are never a listing. (The collapse is adjacent-only: when one URL's last row
# and the next URL's first fall in the same month, the latter is dropped, which costs that URL at most
# its first month.) The index is sorted by SURT key, so what a cut of this query leaves out are the
# last subdomains in alphabetical order, never the domain's own host (`com,x)/...` < `com,x,blog)/...`).
MONTHLY_COLLAPSE = "timestamp:6"
MONTHLY_PAGE_LIMIT = 5000
# 4xx rows are asked for too, though never candidates: a revisit repeats an earlier capture's
# digest, and only by seeing that capture can a revisit of a 404 page be told from one of a live page.
_STATUSES = "[234][0-9][0-9]|-"


def discovery_filters(domain: str, monthly: bool = False) -> tuple[str, ...]:
    """The server-side filters of the discovery query (AND-ed by the CDX server): the URLs; for the
    monthly fallback also the statuses and types of pages and redirects."""
    home = home_page_pattern(domain).removeprefix("(?i)")
    policy = POLICY_PATH_PATTERN.removeprefix("(?i)")
    urls = f"original:(?i)(?:{home}|{policy})"
    if not monthly:
        return (urls,)
    return (urls, f"statuscode:(?:{_STATUSES})", f"mimetype:(?:{PAGE_MIMETYPE_PATTERN})")


def discovery_cdx_query(archive_base: str, domain: str, from_ts: str | None = None, to_ts: str | None = None,
                        resume_key: str | None = None, monthly: bool = False,
                        page_size: int = DISCOVERY_PAGE_LIMIT) -> str:
    """THE discovery CDX query (archive.org dialect): every policy-like URL of the domain and its
    subdomains, and its home page, every capture (`monthly`: one row per URL per month), JSON with
    CDX_FIELDS, resumable."""
    return cdx_query_url(
        archive_base, normalize_domain(domain), match_type="domain", from_=from_ts, to=to_ts,
        collapse=MONTHLY_COLLAPSE if monthly else None,
        limit=MONTHLY_PAGE_LIMIT if monthly else page_size, resume_key=resume_key,
        filters=discovery_filters(domain, monthly),
    )


def monthly_rows(rows: list[CdxRow]) -> list[CdxRow]:
    """What the monthly collapse keeps, done on this side and per URL key: the first row of each URL
    in each month (the home pages are bisected over months: an era's edges need no finer)."""
    seen, kept = set(), []
    for row in sorted(rows, key=lambda r: (r.urlkey, r.timestamp)):
        if (row.urlkey, row.timestamp[:6]) not in seen:
            seen.add((row.urlkey, row.timestamp[:6]))
            kept.append(row)
    return kept


def whole_listings(domain: str, rows: list[CdxRow], cut: bool) -> dict[str, list[CdxRow]]:
    """The rows of each policy-like URL (by SURT key, as Era.urlkey) that the discovery query listed
    whole, in time order: the listing that URL's own CDX query would give. All of them when the
    query went to its end; when it was cut, all but the key the cut fell in (the index is sorted by
    key: the keys before it are whole, those after it absent). Home-page keys are left out."""
    groups: dict[str, list[CdxRow]] = {}
    key_of: dict[str, str | None] = {}  # original -> its key (None: a home page); rows repeat originals
    for row in rows:
        if row.original not in key_of:
            key_of[row.original] = None if is_home_page_row(domain, row) else surt(row.original)
        key = key_of[row.original]
        if key is not None:
            groups.setdefault(key, []).append(row)
    if cut and rows:
        last = rows[-1].urlkey
        groups = {key: group for key, group in groups.items() if all(r.urlkey != last for r in group)}
    return {key: sorted(group, key=lambda r: r.timestamp) for key, group in groups.items()}
