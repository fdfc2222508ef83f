"""crawler/discovery/result.py: discover() in one call, and the run summary's line."""

from crawler.discovery.result import discover, summary_line
from tests.discovery.cdx_rows import monthly, row, visit


def test_a_vendor_without_policy_like_urls_ends_with_a_clear_line():
    rows = [row("http://www.x.com/", "20140101000000"), row("http://www.x.com/products", "20140101000000"),
            row("http://www.x.com/cookie-policy", "20150101000000"), row("http://www.x.com/terms", "20150101000000")]
    result = discover("x.com", rows, [visit("20140115000000"), visit("20150115000000")])
    assert result.candidates == [] and result.eras == [] and not result.found
    assert result.summary_line() == (
        "x.com: no privacy policy found in the archive (0 policy-like URLs in the index, 2 archived home pages read)")
    assert summary_line("x.com", []) == "x.com: no privacy policy found in the archive"


def test_a_soft_404_privacy_page_is_proposed_since_discovery_cannot_read_it():
    # Every /privacy capture is a "page not found" served with 200: the index cannot tell, so it is
    # proposed; extraction refuses its captures when it is listed, and the summary says so.
    result = discover("x.com", monthly("http://www.x.com/privacy", "201501", "201912"))
    assert [(e.url, e.found_by) for e in result.eras] == [("http://www.x.com/privacy", "cdx")]
    line = result.summary_line(versions_held=0)
    assert line.startswith("x.com: 1 policy URL found: http://www.x.com/privacy (cdx, 2015-01 to 2019-12)")
    assert "no capture read as a policy" in line


def test_idn_domain_candidates_eras_and_summary():
    rows = monthly("http://www.xn--bcher-kva.de/datenschutz", "201001", "201112")
    result = discover("Bücher.de", rows)
    assert result.domain == "xn--bcher-kva.de"
    assert [e.url for e in result.eras] == ["http://www.xn--bcher-kva.de/datenschutz"]
    assert result.summary_line().startswith("bücher.de (xn--bcher-kva.de): 1 policy URL found:")
    assert summary_line("xn--bcher-kva.de", []).startswith("bücher.de (xn--bcher-kva.de): no privacy policy found")
