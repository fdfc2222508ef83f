"""crawler/discovery/query.py: the one CDX query over a domain."""

import re
from urllib.parse import parse_qs, urlsplit

from crawler.wayback import CDX_FIELDS
from crawler.discovery.query import DISCOVERY_MAX_PAGES, discovery_cdx_query, discovery_filters


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/cdx/search/cdx"
    return parse_qs(parts.query)


def test_discovery_query_asks_for_the_domain_filtered_collapsed_and_resumable():
    q = _query(discovery_cdx_query("https://web.archive.org/", "Kerio.COM", "20050101000000", "20201231235959"))
    assert q["url"] == ["kerio.com"] and q["matchType"] == ["domain"]
    assert q["output"] == ["json"] and q["fl"] == [",".join(CDX_FIELDS)]
    assert q["from"] == ["20050101000000"] and q["to"] == ["20201231235959"]
    assert q["collapse"] == ["timestamp:6"]  # one row per URL per month: spans, not just first captures
    assert int(q["limit"][0]) >= 1000 and q["showResumeKey"] == ["true"]
    assert "resumeKey" not in q
    filters = q["filter"]
    assert filters == list(discovery_filters("kerio.com"))
    assert [f.split(":", 1)[0] for f in filters] == ["original", "statuscode", "mimetype"]
    resumed = _query(discovery_cdx_query("https://web.archive.org", "kerio.com", resume_key="com%2Ckerio%29%2Fz+2015"))
    assert resumed["resumeKey"] == ["com%2Ckerio%29%2Fz+2015"]
    assert DISCOVERY_MAX_PAGES == 3  # the budget: at most 3 CDX requests per domain


def test_discovery_filters_keep_policy_pages_home_pages_and_redirects_only():
    original, status, mimetype = (f.split(":", 1)[1] for f in discovery_filters("kerio.com"))
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
