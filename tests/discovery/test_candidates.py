"""crawler/discovery/candidates.py: scoring the policy-like URLs of the CDX rows."""

from crawler.wayback import EMPTY_DIGEST
from crawler.discovery.candidates import MIN_ERA_SCORE, score_candidates
from tests.discovery.cdx_rows import monthly, moving_rows, revisit, row


def test_candidates_carry_their_live_and_redirect_spans():
    candidates = {c.urlkey: c for c in score_candidates("x.com", moving_rows())}
    assert set(candidates) == {"com,x)/privacy.html", "com,x)/privacy-policy", "com,x)/legal/privacy"}
    old = candidates["com,x)/privacy.html"]
    assert (old.ok_first[:6], old.ok_last[:6]) == ("200503", "201006")
    assert (old.redirect_first[:6], old.redirect_last[:6]) == ("201008", "201112")
    assert old.span == (old.ok_first, old.ok_last) and not old.redirect_only
    middle = candidates["com,x)/privacy-policy"]
    assert middle.url == "http://www.x.com/privacy-policy"  # the latest live row's URL, not the redirect's
    assert all(c.score >= MIN_ERA_SCORE for c in candidates.values())


def test_revisits_take_the_kind_of_the_capture_they_repeat():
    url = "http://www.x.com/privacy"
    rows = [row(url, "20100101000000", digest="AAA"), revisit(url, "20150101000000", "AAA"),
            row(url, "20160101000000", "301"), revisit(url, "20180101000000", EMPTY_DIGEST),
            row(url, "20190101000000", "404", digest="NOTFOUND"), revisit(url, "20200101000000", "NOTFOUND")]
    (candidate,) = score_candidates("x.com", rows)
    assert (candidate.ok_first, candidate.ok_last) == ("20100101000000", "20150101000000")
    assert (candidate.redirect_first, candidate.redirect_last) == ("20160101000000", "20180101000000")


def test_error_rows_and_other_domains_are_no_candidates():
    rows = [row("http://www.x.com/privacy", "20100101000000", "404"),
            row("http://www.parent.com/privacy", "20100101000000"),  # not reachable by a query over x.com anyway
            row("http://www.x.com/about", "20100101000000")]
    assert score_candidates("x.com", rows) == []


def test_own_host_and_exact_names_rank_first():
    urls = [
        "http://blog.x.com/privacy",
        "http://support.x.com/privacy-policy",
        "http://www.x.com/privacy-policy",
        "http://www.x.com/privacy-policy?print=1",
        "http://www.x.com/privacy-shield",
        "http://www.x.com/en-us/privacy-policy",
        "http://www.x.com/blog/2019/privacy",
        "http://de.x.com/privacy",
    ]
    candidates = score_candidates("x.com", [r for u in urls for r in monthly(u, "201001", "201212")])
    assert len(candidates) == len(urls)
    assert [c.url for c in candidates[:2]] == ["http://www.x.com/privacy-policy",
                                               "http://www.x.com/en-us/privacy-policy"]  # a locale: one level deeper
    # Only those clear the bar for listing on the index's word alone; the others are subdomains,
    # a print version, a blog post, a tool page.
    assert {c.url for c in candidates if c.score >= MIN_ERA_SCORE} == set(urls[2:3] + urls[5:6])


def test_english_preferred_unless_the_only_language():
    both = score_candidates("x.de", [r for u in ("http://www.x.de/datenschutz", "http://www.x.de/en/privacy")
                                     for r in monthly(u, "201001", "201212")])
    assert [c.url for c in both] == ["http://www.x.de/en/privacy", "http://www.x.de/datenschutz"]
    assert both[1].language == "de" and any("English" in r for r in both[1].reasons)
    alone = score_candidates("x.de", monthly("http://www.x.de/datenschutz", "201001", "201212"))
    assert alone[0].score >= MIN_ERA_SCORE and not any("English" in r for r in alone[0].reasons)
