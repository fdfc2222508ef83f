"""The whole of crawler/discovery/ on the sample sites of crawler/samples.py, through the local
archive's CDX engine (in process, no network) with the real discovery query, without Scrapy."""

from urllib.parse import urlsplit

from tests import samples
from crawler.wayback import parse_cdx, surt
from crawler.discovery import (
    DISCOVERY_MAX_PAGES,
    HomePageVisit,
    Redirect,
    discover,
    discovery_cdx_query,
    find_policy_links,
    plan_home_page_fetches,
)
from crawler.localarchive import ArchiveIndex, CdxEngine


def run_discovery(domain: str, captures: list[dict]):
    """What the spider will do, without Scrapy: the discovery query (paged), home-page replays,
    then eras; then the captured redirects met when listing each era's URL."""
    index = ArchiveIndex.from_specs(captures)
    engine = CdxEngine(index)
    rows, resume_key, requests = [], None, 0
    while requests < DISCOVERY_MAX_PAGES:
        url = discovery_cdx_query("http://archive.test", domain, resume_key=resume_key)
        page = parse_cdx(engine.query(urlsplit(url).query).body)
        requests += 1
        rows += page.rows
        resume_key = page.resume_key
        if not resume_key:
            break
    visits = []
    for fetch in plan_home_page_fetches(domain, rows):
        stored = next(r for r in index.captures(surt(fetch.url)) if r.timestamp == fetch.timestamp)
        stored = index.resolve_revisit(stored) if stored.is_revisit else stored
        visits.append(HomePageVisit(fetch.timestamp, fetch.url, tuple(find_policy_links(index.read(stored).body, fetch.url))))
    result = discover(domain, rows, visits)
    redirects = []
    for era in result.eras:
        for stored in index.captures(surt(era.url)):
            if stored.statuscode.startswith("3"):
                location = dict(index.read(stored).headers)["Location"]
                redirects.append(Redirect(stored.original, location, stored.timestamp))
    return discover(domain, rows, visits, redirects), requests


def test_sample_moving_vendor():
    result, requests = run_discovery("movingvendor.com", samples.moving_vendor_history())
    assert requests == 1 and len(result.visits) == 32
    assert [(urlsplit(e.url).path, e.found_by, e.from_ts[:6], e.to_ts[:6]) for e in result.eras] == [
        ("/privacy.html", "home_page", "200501", "201002"),
        ("/privacy-policy", "home_page", "201007", "201501"),
        ("/legal/privacy", "home_page", "201507", "201605"),
        ("/company/trust-center/data-handling.html", "home_page", "201607", "202007"),
    ]
    assert result.eras[1].evidence == ("home_page", "cdx", "redirect")
    assert result.eras[3].evidence == ("home_page",)  # no regex guesses it
    assert "blog" not in " ".join(c.url for c in result.candidates)


def test_sample_two_host_vendor():
    result, _ = run_discovery("twohostvendor.com", samples.two_host_vendor_history())
    assert [(e.url, e.found_by) for e in result.eras] == [
        ("http://www.twohostvendor.com/privacy", "home_page"),
        ("https://www.parentgroup.com/privacy", "home_page"),
    ]
    assert "http://support.twohostvendor.com/privacy" in [c.url for c in result.candidates]


def test_sample_no_policy_vendor():
    result, _ = run_discovery("nopolicyvendor.com", samples.no_policy_vendor_history())
    assert result.eras == [] and len(result.visits) == 10
    assert "no privacy policy found in the archive" in result.summary_line()


def test_sample_soft404_vendor():
    result, _ = run_discovery("soft404vendor.com", samples.soft404_vendor_history())
    assert [(e.url, e.evidence) for e in result.eras] == [("http://www.soft404vendor.com/privacy", ("home_page", "cdx"))]
    assert result.eras[0].to_ts[:4] == "2019"  # revisits (identical bytes) count in the span
