"""The discovery CDX query: ONE request over the domain and its subdomains that returns both the
policy-like URLs and the home page's captures, one row per URL per month, resumable."""

from __future__ import annotations

from crawler.wayback import cdx_query_url
from crawler.discovery.patterns import POLICY_PATH_PATTERN, home_page_pattern
from crawler.targets import normalize_domain

# One row per URL per month, not one per URL (collapse=urlkey): the first capture alone dates
# nothing, and eras need when each URL was live and when it redirected. Monthly rows bound a URL to
# 12 rows a year, so a 20-year vendor with 40 policy-like URLs fits in one 5,000-row page. (The
# collapse is adjacent-only: when one URL's last row and the next URL's first row fall in the same
# month, the latter is dropped, which costs that URL at most its first month.)
DISCOVERY_COLLAPSE = "timestamp:6"
DISCOVERY_PAGE_LIMIT = 5000
# Budget: the first page and at most two more by resume key. The index is sorted by SURT key, so
# what a cut leaves out are the last subdomains in alphabetical order, never the domain's own host
# (`com,x)/...` sorts before `com,x,blog)/...`).
DISCOVERY_MAX_PAGES = 3
# What a page or a redirect looks like in the index. Redirects are `unk` when bodiless and
# `text/html` when they carry a body; revisits are `warc/revisit` with status `-`.
_MIMETYPES = r"text/html|application/xhtml\+xml|text/plain|unk|warc/revisit"
# 4xx rows are asked for too, though never candidates: a revisit repeats an earlier capture's
# digest, and only by seeing that capture can a revisit of a 404 page be told from one of a live page.
_STATUSES = "[234][0-9][0-9]|-"


def discovery_filters(domain: str) -> tuple[str, ...]:
    """The server-side filters of the discovery query (AND-ed by the CDX server)."""
    home = home_page_pattern(domain).removeprefix("(?i)")
    policy = POLICY_PATH_PATTERN.removeprefix("(?i)")
    return (
        f"original:(?i)(?:{home}|{policy})",
        f"statuscode:(?:{_STATUSES})",
        f"mimetype:(?:{_MIMETYPES})",
    )


def discovery_cdx_query(archive_base: str, domain: str, from_ts: str | None = None, to_ts: str | None = None,
                        resume_key: str | None = None) -> str:
    """THE discovery CDX query (archive.org dialect): every policy-like URL of the domain and its
    subdomains, and its home page, one row per URL per month, JSON with CDX_FIELDS, resumable."""
    return cdx_query_url(
        archive_base, normalize_domain(domain), match_type="domain", from_=from_ts, to=to_ts,
        collapse=DISCOVERY_COLLAPSE, limit=DISCOVERY_PAGE_LIMIT, resume_key=resume_key,
        filters=discovery_filters(domain),
    )
