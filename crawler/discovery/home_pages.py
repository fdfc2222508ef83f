"""The archived home pages: which captures to replay (twice a year, at real capture timestamps),
and what one replayed home page said (a HomePageVisit: its policy links, see links.py)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.wayback import CdxRow, surt
from crawler.discovery.links import PolicyLink
from crawler.discovery.patterns import is_home_page_row, is_page_row
from crawler.discovery.query import monthly_rows
from crawler.discovery.timestamps import add_months, ts_to_dt


def home_page_sample_times(first_ts: str | None, last_ts: str | None, per_year: int = 2,
                           captured: list[str] | None = None) -> list[str]:
    """Timestamps to read the archived home page at: every 12/per_year months from `first_ts`, and
    `last_ts` itself (the latest era must be seen). With `captured` (the home page's real capture
    timestamps), each is moved to the nearest capture, so no replay needs a nearest-capture redirect,
    and duplicates are dropped. `first_ts`/`last_ts` default to the first/last captured."""
    captured = sorted(set(captured or ()))
    first_ts = first_ts or (captured[0] if captured else None)
    last_ts = last_ts or (captured[-1] if captured else None)
    if not first_ts or not last_ts or per_year < 1:
        return []
    first_ts, last_ts = first_ts.ljust(14, "0"), last_ts.ljust(14, "0")
    step = max(1, 12 // per_year)
    targets, ts = [], first_ts
    while ts < last_ts:
        targets.append(ts)
        ts = add_months(ts, step)
    targets.append(last_ts)
    if not captured:
        return targets
    chosen = []
    for target in targets:
        i = bisect.bisect_left(captured, target)
        near = [c for c in captured[max(0, i - 1): i + 1]]
        best = min(near, key=lambda c: abs((ts_to_dt(c) - ts_to_dt(target)).total_seconds()))
        if best not in chosen:
            chosen.append(best)
    return sorted(chosen)


@dataclass(frozen=True)
class HomePageFetch:
    timestamp: str
    url: str  # the `original` of that capture: replay exactly this, at exactly that timestamp


def home_page_captures(domain: str, rows: list[CdxRow]) -> list[HomePageFetch]:
    """The home-page captures the discovery query listed that could be read, in time order: the first
    of each URL in each month (monthly_rows: bisection over months pins an era's edge well enough), one
    per timestamp. Live (2xx) captures are preferred; a home page only ever captured as a redirect (a
    domain that moved to its parent's site) is read through that redirect."""
    home = [r for r in rows if is_page_row(r) and is_home_page_row(domain, r)]
    live = [r for r in home if r.status is not None and 200 <= r.status < 300] or \
        [r for r in home if r.is_redirect] or [r for r in home if r.is_revisit]
    live = monthly_rows(live)  # thinned after choosing: a 404 first in a month does not hide its live pages
    by_ts = {}
    for row in sorted(live, key=lambda r: (r.timestamp, urlsplit(r.original).path not in ("", "/"))):
        by_ts.setdefault(row.timestamp, row)  # at one timestamp, `/` before `/index.html`
    return [HomePageFetch(ts, row.original) for ts, row in by_ts.items()]


def plan_home_page_fetches(domain: str, rows: list[CdxRow], per_year: int = 2) -> list[HomePageFetch]:
    """The home-page replays to make when sampling: twice a year (per_year) across the span its
    captures cover. (The spider bisects instead, see `next_home_page_reads`.)"""
    captures = {f.timestamp: f for f in home_page_captures(domain, rows)}
    times = home_page_sample_times(None, None, per_year, captured=list(captures))
    return [captures[ts] for ts in times]


def link_identity(links) -> str:
    """What a home page says for discovery: the policy link(s) it names (the best, and any as good on
    another host), as one string; two pages with the same string lead to the same eras."""
    from crawler.discovery.eras import _best_links  # the rule eras apply to a visit

    return " ".join(sorted(surt(link.url) for link in _best_links(tuple(links)))) or "-"


def next_home_page_reads(captures: list[HomePageFetch], said: dict[int, str], pending) -> list[int]:
    """Bisection over the home page's captures on "which policy link does it name" (crawler/reading.py):
    the first and last, then the middle of any two read pages that name different links, until each
    change of link lies between two adjacent captures. Pages between two that name the same link are
    not read: they cannot change the eras. `said`: index -> link_identity of the pages read (FAILED
    for a page that could not be read)."""
    from crawler.reading import plan_bisect

    return plan_bisect([f.timestamp for f in captures], said, pending, read_repeated=False).read


@dataclass(frozen=True)
class HomePageVisit:
    """One archived home page read: when (the memento's own timestamp), which URL, what it links to
    (find_policy_links' answer, [] when no link names the policy)."""

    timestamp: str
    url: str
    links: tuple[PolicyLink, ...] = ()
