"""Eras: the policy URL(s) of each period, decided from the candidates, the home pages' links, the
given URLs and the captured redirects; and the era a redirect met later adds."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.wayback import surt
from crawler.discovery.candidates import FALLBACK_SCORE, MIN_ERA_SCORE, Candidate
from crawler.discovery.home_pages import HomePageVisit
from crawler.discovery.languages import english_class, url_language
from crawler.discovery.links import PolicyLink
from crawler.discovery.redirects import Redirect, redirect_target
from crawler.discovery.timestamps import ts_to_dt
from crawler.discovery.urls import surt_host
from crawler.targets import normalize_domain

FOUND_BY = ("given", "home_page", "cdx", "redirect")  # precedence: the first that applies names an era
MAX_CDX_ERAS = 6  # at most this many CDX-only URLs are listed per domain


@dataclass
class Era:
    """A policy URL and the period it held, with how it was found.

    `found_by` is the strongest evidence (given > home_page > cdx > redirect); `evidence` lists all.
    `from_ts`/`to_ts` are None for a given URL (no period known)."""

    url: str
    found_by: str
    from_ts: str | None
    to_ts: str | None
    evidence: tuple[str, ...] = ()
    language: str | None = None

    @property
    def urlkey(self) -> str:
        return surt(self.url)


def _span_seconds(span: tuple[str, str]) -> float:
    return (ts_to_dt(span[1]) - ts_to_dt(span[0])).total_seconds()


def overlap_fraction(span: tuple[str, str], other: tuple[str, str]) -> float:
    """How much of `span` `other` covers, 0..1 (a one-capture span: 1 if inside `other`, else 0)."""
    start, end = max(span[0], other[0]), min(span[1], other[1])
    if start > end:
        return 0.0
    length = _span_seconds(span)
    if length <= 0:
        return 1.0
    return _span_seconds((start, end)) / length


def _merge_span(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    starts = [t for t in (a[0], b[0]) if t]
    ends = [t for t in (a[1], b[1]) if t]
    return (min(starts) if starts else None, max(ends) if ends else None)


def follow_redirect(domain: str, eras: list[Era], redirect: Redirect) -> Era | None:
    """The era a captured redirect met while listing a policy URL adds, or None when it adds nothing
    (no move, see redirect_target, or a target that is already an era). The new era ties the
    target to the same vendor; its period starts at the redirect."""
    domain = normalize_domain(domain)
    target = redirect_target(domain, redirect)
    if target is None or surt(target) in {e.urlkey for e in eras}:
        return None
    return Era(target, "redirect", redirect.timestamp, redirect.timestamp, ("redirect",),
               language=url_language(target, domain))


def _best_links(links: tuple[PolicyLink, ...]) -> list[PolicyLink]:
    """A visit's policy link: the best one, plus any as good on another host (two hosts, one footer)."""
    if not links:
        return []
    top = links[0]
    chosen = [top]
    for link in links[1:]:
        if link.score == top.score and surt_host(link.url) not in {surt_host(c.url) for c in chosen}:
            chosen.append(link)
    return chosen


def assign_eras(domain: str, candidates: list[Candidate] = (), visits: list[HomePageVisit] = (),
                redirects: list[Redirect] = (), given: list[str] = ()) -> list[Era]:
    """The policy URL(s) of each period, merged from everything discovery saw. The rules:

    1. A given URL (--policy-url) is always an era, with no period.
    2. A URL a home page links to (its best policy link) is always an era: a person reading the site
       then was sent there. Its period runs from the first to the last sampled home page linking it.
    3. A CDX candidate is an era if it scores at least MIN_ERA_SCORE and no era already chosen on the
       same SURT host covers more than half of its span (its live span; its redirect span if it only
       ever redirected: an old URL redirecting into a chosen era adds nothing). Candidates are taken
       best first. A non-English candidate is dominated by any such era, an English or unmarked one
       only by an English or unmarked era (a German home page's link does not hide /en/privacy).
       Different hosts never dominate each other: two hosts may hold at once. At most MAX_CDX_ERAS.
    4. If that leaves nothing at all, the best candidate scoring at least FALLBACK_SCORE is proposed.
    5. A URL found several ways is one era: its period is the union of the periods, `found_by` the
       strongest way (given > home_page > cdx > redirect), `evidence` all of them.
    6. Redirects (met while listing) add their targets as eras (see redirect_target), the period
       being the redirects' first and last timestamps, widened by the target's CDX span if it has one.
       A redirect to a URL that is already an era only adds "redirect" to its evidence.

    Periods are informative: each era's URL is listed over its whole history, since an era's edges
    are only as precise as monthly rows and half-yearly home pages.
    """
    domain = normalize_domain(domain)
    eras: dict[str, Era] = {}  # SURT key -> era, in the order found

    def add(url: str, how: str, span: tuple[str | None, str | None]) -> None:
        key = surt(url)
        era = eras.get(key)
        if era is None:
            eras[key] = Era(url, how, span[0], span[1], (how,), url_language(url, domain))
            return
        era.from_ts, era.to_ts = _merge_span((era.from_ts, era.to_ts), span)
        if how not in era.evidence:
            era.evidence += (how,)
        era.found_by = min(era.evidence, key=FOUND_BY.index)

    for url in given:
        add(url, "given", (None, None))

    for visit in sorted(visits, key=lambda v: v.timestamp):
        for link in _best_links(tuple(visit.links)):
            add(link.url, "home_page", (visit.timestamp, visit.timestamp))

    by_key = {c.urlkey: c for c in candidates}
    # A home-page era's period also covers its own captures, when the index has them.
    for key, era in eras.items():
        if key in by_key and era.found_by == "home_page":
            add(era.url, "cdx", by_key[key].span)

    chosen_cdx = 0
    for candidate in sorted(candidates, key=lambda c: (-c.score, -c.months, c.url)):
        if candidate.urlkey in eras or candidate.score < MIN_ERA_SCORE or chosen_cdx >= MAX_CDX_ERAS:
            continue
        if _dominated(candidate, eras.values()):
            continue
        add(candidate.url, "cdx", candidate.span)
        chosen_cdx += 1

    if not eras:
        fallback = [c for c in candidates if c.score >= FALLBACK_SCORE]
        if fallback:
            best = max(fallback, key=lambda c: (c.score, c.months))
            add(best.url, "cdx", best.span)

    for redirect in sorted(redirects, key=lambda r: r.timestamp):
        target = redirect_target(domain, redirect)
        if target is None:
            continue
        key = surt(target)
        if key in eras:
            # Evidence only: that the old URL redirected then says nothing of when the target was
            # live (a stale redirect may point at a page long gone).
            add(eras[key].url, "redirect", (None, None))
            continue
        span = (redirect.timestamp, redirect.timestamp)
        if key in by_key:  # a candidate passed over above: its own span counts
            span = _merge_span(span, by_key[key].span)
        add(target, "redirect", span)

    return sorted(eras.values(), key=lambda e: (e.from_ts or "", e.url))


def _dominated(candidate: Candidate, eras) -> bool:
    span = candidate.span
    english = english_class(candidate.language)
    for era in eras:
        if era.from_ts is None or surt_host(era.url) != candidate.host:
            continue
        if english and not english_class(era.language):
            continue
        if overlap_fraction(span, (era.from_ts, era.to_ts)) > 0.5:
            return True
    return False
