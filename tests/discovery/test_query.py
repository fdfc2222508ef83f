"""crawler/discovery/query.py: the one CDX query over a domain."""

import re
from urllib.parse import parse_qs, urlsplit

from crawler.wayback import CDX_FIELDS
from crawler.discovery.query import (
    DISCOVERY_MAX_PAGES,
    DISCOVERY_PAGE_LIMIT,
    MONTHLY_PAGE_LIMIT,
    discovery_cdx_query,
    discovery_filters,
    monthly_rows,
    whole_listings,
)
from tests.discovery.cdx_rows import row


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/cdx/search/cdx"
    return parse_qs(parts.query)


def test_discovery_query_asks_for_every_capture_of_the_domains_policy_and_home_pages_resumable():
    q = _query(discovery_cdx_query("https://web.archive.org/", "Kerio.COM", "20050101000000", "20201231235959"))
    assert q["url"] == ["kerio.com"] and q["matchType"] == ["domain"]
    assert q["output"] == ["json"] and q["fl"] == [",".join(CDX_FIELDS)]
    assert q["from"] == ["20050101000000"] and q["to"] == ["20201231235959"]
    # No collapse and only the URL filter: a policy URL's rows are the listing its own query would give.
    assert "collapse" not in q
    assert q["filter"] == list(discovery_filters("kerio.com")) and len(q["filter"]) == 1
    assert int(q["limit"][0]) == DISCOVERY_PAGE_LIMIT >= 10000 and q["showResumeKey"] == ["true"]
    assert "resumeKey" not in q
    resumed = _query(discovery_cdx_query("https://web.archive.org", "kerio.com", resume_key="com%2Ckerio%29%2Fz+2015"))
    assert resumed["resumeKey"] == ["com%2Ckerio%29%2Fz+2015"]
    assert DISCOVERY_MAX_PAGES == 3  # the budget: at most 3 CDX requests per domain, then the fallback


def test_the_monthly_fallback_query_is_collapsed_filtered_and_bounded():
    q = _query(discovery_cdx_query("https://web.archive.org", "kerio.com", monthly=True))
    assert q["collapse"] == ["timestamp:6"]  # one row per URL per month: spans, not every capture
    assert int(q["limit"][0]) == MONTHLY_PAGE_LIMIT < DISCOVERY_PAGE_LIMIT
    filters = q["filter"]
    assert filters == list(discovery_filters("kerio.com", monthly=True))
    assert [f.split(":", 1)[0] for f in filters] == ["original", "statuscode", "mimetype"]


def test_whole_listings_are_the_policy_urls_rows_in_time_order_minus_the_key_a_cut_fell_in():
    rows = [row("http://www.x.com/", "20100101000000"), row("https://x.com/privacy", "20120101000000"),
            row("http://www.x.com/privacy", "20100101000000"), row("http://www.x.com/privacy", "20110101000000"),
            row("http://www.x.com/terms-privacy", "20100101000000")]
    whole = whole_listings("x.com", rows, cut=False)
    assert set(whole) == {"com,x)/privacy", "com,x)/terms-privacy"}  # the home page is no listing
    # http and https, www. or not: one key, in time order, every row
    assert [r.timestamp for r in whole["com,x)/privacy"]] == ["20100101000000", "20110101000000", "20120101000000"]
    cut = whole_listings("x.com", rows, cut=True)  # the last row's key may go on in the next page
    assert set(cut) == {"com,x)/privacy"}
    assert whole_listings("x.com", [], cut=True) == {}


def test_monthly_rows_keep_the_first_row_of_each_url_in_each_month():
    rows = [row("http://www.x.com/", "20100105000000"), row("http://www.x.com/", "20100120000000"),
            row("https://x.com/", "20100201000000"), row("http://www.x.com/privacy", "20100110000000")]
    assert [(r.urlkey, r.timestamp) for r in monthly_rows(rows)] == [
        ("com,x)/", "20100105000000"), ("com,x)/", "20100201000000"), ("com,x)/privacy", "20100110000000")]


def test_discovery_filters_keep_policy_pages_home_pages_and_redirects_only():
    original, status, mimetype = (f.split(":", 1)[1] for f in discovery_filters("kerio.com", monthly=True))
    # The CDX server matches the whole field, as fullmatch does.
    for url in ["http://www.kerio.com/privacy-policy", "https://kerio.com/legal/privacy", "http://www.kerio.com/",
                "http://kerio.com", "https://www.kerio.com/index.html", "http://blog.kerio.com/privacy"]:
        assert re.fullmatch(original, url), url
    for url in ["http://www.kerio.com/products", "http://blog.kerio.com/", "http://www.kerio.com/?ref=ad",
                "http://notkerio.com/", "http://www.kerio.com.evil.org/"]:
        assert not re.fullmatch(original, url), url
    # `-`: revisits; 404: to know the digests of error pages, which revisits may repeat
    assert all(re.fullmatch(status, s) for s in ("200", "301", "302", "-", "404"))
    assert not any(re.fullmatch(status, s) for s in ("500", "503"))
    # Bodiless redirects are `unk`, redirects with a body `text/html`, revisits `warc/revisit`.
    assert all(re.fullmatch(mimetype, m) for m in ("text/html", "unk", "warc/revisit", "application/xhtml+xml"))
    assert not any(re.fullmatch(mimetype, m) for m in ("image/png", "application/pdf", "text/css"))


def test_idn_domain_is_queried_in_punycode():
    q = _query(discovery_cdx_query("https://web.archive.org", "Bücher.de"))
    assert q["url"] == ["xn--bcher-kva.de"]
    original = q["filter"][0].split(":", 1)[1]
    assert re.fullmatch(original, "http://www.xn--bcher-kva.de/")
    assert re.fullmatch(original, "http://xn--bcher-kva.de/datenschutzerkl%C3%A4rung")
