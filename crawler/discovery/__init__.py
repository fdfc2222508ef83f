"""Finding a vendor's privacy-policy URLs from a bare domain, in every era of its site.

Pure decisions over strings, bytes and CdxRow objects: no Scrapy, no network. The spider makes the
requests and hands the answers to these functions, in this order (one file a step):

1. query.py: ``discovery_cdx_query(archive, domain)``, ONE CDX query over the domain and its
   subdomains that returns both the policy-like URLs (patterns.py: the policy-path regex in each
   language) and the home page, every capture of each (follow its resume key for at most
   ``DISCOVERY_MAX_PAGES`` pages in all; past them, ``monthly=True`` asks for one row per URL per
   month instead). ``whole_listings`` gives the URLs it listed whole: an era's URL among them needs no
   listing of its own.
2. candidates.py: ``score_candidates(domain, rows)``, the policy-like URLs, scored, with the span of
   their captures.
3. home_pages.py: ``home_page_captures(domain, rows)`` and ``next_home_page_reads``, which archived
   home pages to replay (bisection on the policy link each names; ``plan_home_page_fetches`` samples
   twice a year instead); then links.py: ``find_policy_links(body, url)`` on
   each replayed page, kept as a ``HomePageVisit``.
4. eras.py: ``assign_eras(domain, candidates, visits)``, the policy URL(s) of each period, each with
   how it was found; ``follow_redirect`` adds the target of a captured redirect (redirects.py) met
   while listing them.
5. result.py: ``discover(domain, rows, visits)``, steps 2 and 4 in one call, giving a
   ``DiscoveryResult`` and its ``summary_line``, "no policy found" included.

Helpers: urls.py (hosts, folded words, archive-wrapped URLs), languages.py (a URL's language),
timestamps.py (CDX timestamps).

Discovery cannot read a page: a /privacy that answers "page not found" with status 200 (a soft-404)
is proposed like any other, and it is extraction, when the URL is listed and replayed, that refuses
its captures.
"""

from crawler.discovery.eras import Era, follow_redirect
from crawler.discovery.home_pages import HomePageVisit, plan_home_page_fetches
from crawler.discovery.links import find_policy_links
from crawler.discovery.query import DISCOVERY_MAX_PAGES, discovery_cdx_query
from crawler.discovery.redirects import Redirect
from crawler.discovery.result import DiscoveryResult, discover

__all__ = [
    "DISCOVERY_MAX_PAGES",
    "DiscoveryResult",
    "Era",
    "HomePageVisit",
    "Redirect",
    "discover",
    "discovery_cdx_query",
    "find_policy_links",
    "follow_redirect",
    "plan_home_page_fetches",
]
