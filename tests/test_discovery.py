"""crawler/discovery.py: finding the policy URL(s) of a bare domain, from CDX rows and home pages.

Small inputs written here; the last tests run the sample sites of tests/samples.py through the
local archive's CDX engine (in process, no network) with the real discovery query.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.archive import CDX_FIELDS, EMPTY_DIGEST, CdxRow, parse_cdx, surt
from crawler.discovery import (
    DISCOVERY_MAX_PAGES,
    MIN_ERA_SCORE,
    POLICY_PATH_PATTERN,
    POLICY_URL_RE,
    HomePageVisit,
    PolicyLink,
    Redirect,
    anchor_score,
    assign_eras,
    discover,
    discovery_cdx_query,
    discovery_filters,
    find_policy_links,
    follow_redirect,
    home_page_sample_times,
    plan_home_page_fetches,
    score_candidates,
    summary_line,
    unwrap_archive_url,
    url_language,
)
from crawler.localarchive import ArchiveIndex, CdxEngine
from tests import samples


def row(url: str, ts: str, status: str = "200", mimetype: str = "text/html", digest: str | None = None) -> CdxRow:
    if digest is None:
        digest = EMPTY_DIGEST if status.startswith("3") else "D" + ts
    return CdxRow(surt(url), ts, url, mimetype, status, digest, 1000)


def revisit(url: str, ts: str, digest: str) -> CdxRow:
    return CdxRow(surt(url), ts, url, "warc/revisit", "-", digest, 500)


def monthly(url: str, first: str, last: str, status: str = "200") -> list[CdxRow]:
    """One row per month from `first` to `last` (YYYYMM), like the discovery query's collapse gives."""
    rows, year, month = [], int(first[:4]), int(first[4:])
    while f"{year:04d}{month:02d}" <= last:
        rows.append(row(url, f"{year:04d}{month:02d}10120000", status))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def visit(ts: str, *links: tuple[str, str, int]) -> HomePageVisit:
    return HomePageVisit(ts, "http://www.x.com/", tuple(PolicyLink(u, t, s) for u, t, s in links))


# --- the regular expression ---------------------------------------------------------------------

POLICY_URLS = [
    "http://www.x.com/privacy",
    "https://x.com/privacy/",
    "http://www.x.com/privacy.html",
    "http://www.x.com:80/privacy-policy",
    "http://x.com/privacy_policy.php",
    "http://x.com/PrivacyPolicy.aspx",
    "http://x.com/privacy-statement",
    "http://x.com/privacy-notice.htm",
    "http://x.com/legal/privacy",
    "http://x.com/en-us/legal/privacy-notice.jsp",
    "http://x.com/privacy/index.html",
    "http://x.com/online-privacy-policy",
    "http://x.com/privacy-and-cookies",
    "http://x.com/privacy?lang=de",
    "http://x.com/privacy;jsessionid=0A1B",
    "http://x.com/index.php?page=privacy",
    "http://x.com/legal.aspx?id=5&doc=privacy-policy",
    "http://x.de/datenschutz",
    "http://x.de/datenschutzerklaerung.html",
    "http://x.de/datenschutzerkl%C3%A4rung",
    "http://x.de/DATENSCHUTZERKL%c3%a4RUNG",
    "http://x.de/datenschutzerklärung",
    "http://x.de/datenschutzhinweise",
    "http://x.fr/confidentialite",
    "http://x.fr/politique-de-confidentialite",
    "http://x.fr/politique-de-confidentialit%C3%A9",
    "http://x.fr/vie-privee",
    "http://x.fr/protection-des-donnees",
    "http://x.es/privacidad",
    "http://x.es/politica-de-privacidad",
    "http://x.mx/aviso-de-privacidad",
    "http://x.com.br/politica-de-privacidade",
    "http://x.it/informativa-privacy",
    "http://x.nl/privacybeleid",
    "http://x.nl/privacyverklaring",
]
NOT_POLICY_URLS = [
    "http://x.com/",
    "http://x.com/about",
    "http://x.com/cookie-policy",
    "http://x.com/cookies",
    "http://x.com/terms",
    "http://x.com/terms-of-service.html",
    "http://x.com/legal/terms",
    "http://x.com/blog/2018/05/why-we-care-about-your-privacy",  # a post's long slug
    "http://x.com/images/privacy.png",
    "http://x.com/js/privacy.js",
    "http://x.com/css/privacy.css",
    "http://x.com/privacy.pdf",
    "http://x.com/privacyfoo/style.css",
    "http://privacy.x.com/",  # a host name, not a page
    "http://x.com/products?privacy",  # a flag, not a value
]


@pytest.mark.parametrize("url", POLICY_URLS)
def test_policy_urls_match_the_regex(url):
    assert POLICY_URL_RE.fullmatch(url)


@pytest.mark.parametrize("url", NOT_POLICY_URLS)
def test_other_urls_do_not_match_the_regex(url):
    assert not POLICY_URL_RE.fullmatch(url)


def test_regex_uses_only_syntax_java_reads_the_same():
    pattern = POLICY_PATH_PATTERN
    assert pattern.startswith("(?i)") and pattern.count("(?i)") == 1
    # no lookarounds, named groups, possessive quantifiers, atomic groups, \d-style shorthands, `&&`
    for construct in ("(?=", "(?!", "(?<", "(?P", "(?>", "*+", "++", "?+", "&&", "\\d", "\\w", "\\s"):
        assert construct not in pattern, construct


# --- the query ------------------------------------------------------------------------------------


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


# --- CDX candidates -------------------------------------------------------------------------------


def moving_rows() -> list[CdxRow]:
    """/privacy.html 2005-2010, /privacy-policy 2010-2015, /legal/privacy 2015-2020; the old URLs then redirect."""
    rows = monthly("http://www.x.com/privacy.html", "200503", "201006")
    rows += monthly("http://www.x.com/privacy.html", "201008", "201112", status="301")
    rows += monthly("http://www.x.com/privacy-policy", "201007", "201506")
    rows += monthly("https://www.x.com/privacy-policy", "201508", "201612", status="301")
    rows += monthly("https://www.x.com/legal/privacy", "201507", "202006")
    rows += [row("http://www.x.com/", "20050115000000"), row("http://www.x.com/products", "20060101000000")]
    return rows


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


@pytest.mark.parametrize("url, lang", [
    ("http://x.com/privacy", None), ("http://x.com/en-us/privacy", "en"), ("http://x.com/de/privacy", "de"),
    ("http://x.com/privacy?lang=fr", "fr"), ("http://x.com/datenschutz", "de"), ("http://fr.x.com/privacy", "fr"),
    ("http://x.com/politica-de-privacidad", "es"), ("http://x.com/uk/privacy", "en"),
])
def test_url_language(url, lang):
    assert url_language(url, "x.com") == lang


# --- eras -----------------------------------------------------------------------------------------


def test_a_policy_that_moved_three_times_gives_three_eras_and_redirects_tie_them():
    candidates = score_candidates("x.com", moving_rows())
    redirects = [Redirect("http://www.x.com/privacy.html", "http://www.x.com/privacy-policy", "20100810120000"),
                 Redirect("https://www.x.com/privacy-policy", "https://www.x.com/legal/privacy", "20150810120000")]
    eras = assign_eras("x.com", candidates, redirects=redirects)
    assert [(surt(e.url), e.from_ts[:6], e.to_ts[:6]) for e in eras] == [
        ("com,x)/privacy.html", "200503", "201006"),
        ("com,x)/privacy-policy", "201007", "201506"),
        ("com,x)/legal/privacy", "201507", "202006"),
    ]
    assert [e.found_by for e in eras] == ["cdx", "cdx", "cdx"]
    assert eras[1].evidence == ("cdx", "redirect") and eras[2].evidence == ("cdx", "redirect")


def test_an_old_url_that_only_redirects_into_a_chosen_era_adds_nothing():
    rows = monthly("http://www.x.com/privacy", "201001", "201512")
    rows += monthly("http://www.x.com/privacy.php", "201001", "201506", status="301")
    eras = assign_eras("x.com", score_candidates("x.com", rows))
    assert [e.url for e in eras] == ["http://www.x.com/privacy"]


def test_an_old_url_redirecting_somewhere_unknown_is_listed_and_its_target_added():
    # /privacy only ever redirected, to a URL no regex guesses: listing it follows the redirect.
    rows = monthly("http://www.x.com/privacy", "201601", "202006", status="301")
    eras = assign_eras("x.com", score_candidates("x.com", rows))
    assert [(e.url, e.found_by) for e in eras] == [("http://www.x.com/privacy", "cdx")]
    redirect = Redirect("http://www.x.com/privacy", "https://www.x.com/company/data-handling.html", "20160110120000")
    added = follow_redirect("x.com", eras, redirect)
    assert (added.url, added.found_by, added.via, added.from_ts) == (
        "https://www.x.com/company/data-handling.html", "redirect", "http://www.x.com/privacy", "20160110120000")
    eras = assign_eras("x.com", score_candidates("x.com", rows), redirects=[redirect])
    assert [e.found_by for e in eras] == ["cdx", "redirect"]


@pytest.mark.parametrize("target", [
    "https://x.com/privacy",  # same SURT key: http -> https, www. folded
    "http://www.x.com/",  # a removed page sent home
    "http://www.x.com/index.html",
    "http://www.x.com/404.html",
    "https://login.x.com/signin?next=/privacy",
    "mailto:privacy@x.com",
])
def test_redirects_that_are_no_move(target):
    assert follow_redirect("x.com", [], Redirect("http://www.x.com/privacy", target, "20150101000000")) is None


def test_redirect_to_another_host_ties_it_to_the_vendor_and_known_targets_add_nothing():
    eras = assign_eras("x.com", score_candidates("x.com", monthly("http://www.x.com/privacy", "201001", "201512")))
    moved = Redirect("http://www.x.com/privacy", "https://www.x-parent.com/legal/privacy", "20160101000000")
    era = follow_redirect("x.com", eras, moved)
    assert era.url == "https://www.x-parent.com/legal/privacy" and era.found_by == "redirect"
    assert follow_redirect("x.com", eras + [era], moved) is None


def test_home_page_finds_what_no_regex_guesses_for_the_period_between_the_samples():
    candidates = score_candidates("x.com", monthly("http://www.x.com/privacy", "200801", "201512"))
    data = "https://www.x.com/company/trust-center/data-handling.html"
    visits = [visit("20150115000000", ("http://www.x.com/privacy", "Privacy", 80)),
              visit("20160115000000", (data, "Privacy Notice", 95)),
              visit("20160715000000", (data, "Privacy Notice", 95)),
              visit("20170115000000", (data, "Privacy Notice", 95)),
              visit("20170715000000")]  # a home page without a policy link counts for nothing
    eras = assign_eras("x.com", candidates, visits)
    assert [(e.url, e.found_by, e.evidence, e.from_ts, e.to_ts) for e in eras] == [
        ("http://www.x.com/privacy", "home_page", ("home_page", "cdx"), candidates[0].ok_first, candidates[0].ok_last),
        (data, "home_page", ("home_page",), "20160115000000", "20170115000000"),
    ]


def test_home_page_link_hides_a_same_host_cdx_alias_of_the_same_period():
    rows = monthly("http://www.x.com/privacy", "201001", "201512") + monthly("http://www.x.com/privacy-policy", "201001", "201512")
    visits = [visit(f"{y}0115000000", ("http://www.x.com/privacy-policy", "Privacy Policy", 100)) for y in range(2010, 2016)]
    eras = assign_eras("x.com", score_candidates("x.com", rows), visits)
    assert [e.url for e in eras] == ["http://www.x.com/privacy-policy"]


def test_an_english_cdx_page_is_kept_beside_a_german_home_page_link():
    rows = monthly("http://www.x.de/datenschutz", "201001", "201512") + monthly("http://www.x.de/en/privacy", "201001", "201512")
    visits = [visit(f"{y}0115000000", ("http://www.x.de/datenschutz", "Datenschutz", 90)) for y in range(2010, 2016)]
    eras = assign_eras("x.de", score_candidates("x.de", rows), visits)
    assert sorted((e.url, e.found_by) for e in eras) == [("http://www.x.de/datenschutz", "home_page"),
                                                         ("http://www.x.de/en/privacy", "cdx")]


def test_two_hosts_hold_at_once_and_the_parents_host_comes_only_from_the_home_page():
    rows = monthly("http://www.x.com/privacy", "201201", "202005")
    rows += monthly("http://support.x.com/privacy", "201401", "201501")  # weak: a secondary subdomain
    candidates = score_candidates("x.com", rows)
    assert [c.url for c in candidates][0] == "http://www.x.com/privacy"
    # The index over x.com cannot see x-parent.com: CDX alone gives the own host only.
    assert [e.url for e in assign_eras("x.com", candidates)] == ["http://www.x.com/privacy"]
    visits = [visit(f"{y}0115000000", ("https://www.x-parent.com/privacy", "Privacy Policy", 100)) for y in range(2016, 2021)]
    eras = assign_eras("x.com", candidates, visits)
    assert [(e.url, e.found_by) for e in eras] == [("http://www.x.com/privacy", "cdx"),
                                                   ("https://www.x-parent.com/privacy", "home_page")]
    own, parent = eras
    assert own.from_ts < parent.from_ts < own.to_ts  # both hold in 2016-2020
    assert (parent.from_ts, parent.to_ts) == ("20160115000000", "20200115000000")


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


def test_a_weak_candidate_is_proposed_only_when_nothing_else_is():
    rows = monthly("http://support.x.com/privacy", "201401", "201512")
    (candidate,) = score_candidates("x.com", rows)
    assert candidate.score < MIN_ERA_SCORE
    assert [e.url for e in assign_eras("x.com", [candidate])] == ["http://support.x.com/privacy"]
    visits = [visit("20140115000000", ("http://www.x.com/legal", "Privacy", 80))]
    assert [e.url for e in assign_eras("x.com", [candidate], visits)] == ["http://www.x.com/legal"]


def test_given_urls_are_eras_without_a_period():
    eras = assign_eras("x.com", given=["http://www.x.com/privacy"])
    assert [(e.found_by, e.from_ts, e.to_ts) for e in eras] == [("given", None, None)]
    assert summary_line("x.com", eras) == "x.com: 1 policy URL found: http://www.x.com/privacy (given)"


def test_idn_domain_candidates_eras_and_summary():
    rows = monthly("http://www.xn--bcher-kva.de/datenschutz", "201001", "201112")
    result = discover("Bücher.de", rows)
    assert result.domain == "xn--bcher-kva.de"
    assert [e.url for e in result.eras] == ["http://www.xn--bcher-kva.de/datenschutz"]
    assert result.summary_line().startswith("bücher.de (xn--bcher-kva.de): 1 policy URL found:")
    assert summary_line("xn--bcher-kva.de", []).startswith("bücher.de (xn--bcher-kva.de): no privacy policy found")


# --- home pages: when, and which link -------------------------------------------------------------


def test_home_page_sampled_twice_a_year_across_the_span():
    times = home_page_sample_times("20050310000000", "20200601000000")
    assert len(times) == 32 and times[0] == "20050310000000" and times[-1] == "20200601000000"
    assert times[1] == "20050910000000" and times[2] == "20060310000000"
    assert len(home_page_sample_times("20050310000000", "20200601000000", per_year=1)) == 17
    assert home_page_sample_times(None, None) == []


def test_home_page_samples_move_to_real_captures():
    captured = ["20100105000000", "20100620000000", "20100625000000", "20110301000000", "20121231000000"]
    times = home_page_sample_times(None, None, captured=captured)
    # targets 2010-01, 2010-07, 2011-01, 2011-07, 2012-01, 2012-07, 2012-12: nearest capture, once each
    assert times == ["20100105000000", "20100625000000", "20110301000000", "20121231000000"]


def test_plan_home_page_fetches_reads_live_captures_of_the_own_home_page():
    rows = [row("http://www.x.com/", f"{y}{m}01000000") for y in range(2010, 2013) for m in ("01", "04", "07", "10")]
    rows += [row("http://x.com/", "20100201000000", "301"), row("http://blog.x.com/", "20110101000000"),
             row("http://www.x.com/privacy", "20100101000000")]
    fetches = plan_home_page_fetches("x.com", rows)
    assert [f.timestamp for f in fetches] == ["20100101000000", "20100701000000", "20110101000000",
                                              "20110701000000", "20120101000000", "20120701000000", "20121001000000"]
    assert {f.url for f in fetches} == {"http://www.x.com/"}


def home(footer: str, lang: str = "en", head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}<title>X</title></head><body>'
            f'<nav><a href="/">Home</a> <a href="/products">Products</a> <a href="/blog/">Blog</a></nav>'
            f'<p>We care about <a href="/blog/2018/gdpr">your privacy and the new European rules for it</a>.</p>'
            f'<footer>{footer}</footer></body></html>')


def test_english_footer_with_privacy_only():
    html = home('<a href="/terms">Terms</a> | <a href="/privacy.html">Privacy</a> | <a href="mailto:privacy@x.com">Privacy</a>')
    links = find_policy_links(html.encode(), "http://www.x.com/")
    assert [(l.url, l.text, l.language) for l in links] == [("http://www.x.com/privacy.html", "Privacy", "en")]


def test_cookie_policy_is_ignored_and_privacy_notice_found():
    html = home('<a href="/legal/cookies">Cookie Policy</a> <a href="/legal/privacy-notice">Privacy Notice</a> '
                '<a href="/ccpa">Your Privacy Choices</a> <a href="javascript:openPrivacy()">Privacy Policy</a> '
                '<a href="#privacy">Privacy Policy</a>')
    links = find_policy_links(html.encode(), "https://www.x.com/")
    assert [l.url for l in links] == ["https://www.x.com/legal/privacy-notice"]


def test_german_footer_in_latin_1():
    html = home('<a href="/impressum">Impressum</a> <a href="/datenschutzerklärung">Datenschutzerklärung</a>', "de")
    links = find_policy_links(html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1"),
                              "http://www.x.de/", "text/html; charset=iso-8859-1")
    assert [(l.url, l.text, l.score, l.language) for l in links] == [
        ("http://www.x.de/datenschutzerkl%C3%A4rung", "Datenschutzerklärung", 100, "de")]


def test_french_footer_with_a_wayback_rewritten_href():
    html = home('<a href="/web/20150301000000/http://www.x.fr/mentions-legales">Mentions légales</a> '
                '<a href="/web/20150301000000/http://www.x.fr/politique-de-confidentialite">Politique de confidentialité</a>',
                "fr")
    links = find_policy_links(html.encode(), "https://web.archive.org/web/20150301000000/http://www.x.fr/")
    assert [(l.url, l.language) for l in links] == [("http://www.x.fr/politique-de-confidentialite", "fr")]


def test_spanish_footer_with_an_absolute_archive_href_and_a_base():
    html = home('<a href="https://web.archive.org/web/2016id_/https://www.x.es/legal/aviso-de-privacidad">Aviso de privacidad</a>'
                '<a href="condiciones">Condiciones</a><a href="privacidad">Privacidad</a>', "es",
                head='<base href="http://www.x.es/es/">')
    links = find_policy_links(html.encode(), "http://www.x.es/")
    assert [(l.url, l.score) for l in links] == [("https://www.x.es/legal/aviso-de-privacidad", 95),
                                                 ("http://www.x.es/es/privacidad", 85)]


def test_best_link_first_title_attribute_and_idn_link_host():
    html = home('<a href="/p1">Privacy</a> <a href="http://bücher.de/daten" title="Privacy Policy"><img src="lock.png"></a>')
    links = find_policy_links(html.encode(), "http://www.x.com/")
    assert [l.url for l in links] == ["http://xn--bcher-kva.de/daten", "http://www.x.com/p1"]


@pytest.mark.parametrize("text, expected", [
    ("Privacy Policy", 100), ("PRIVACY  policy", 100), ("Privacy", 80), ("Your Privacy", 80),
    ("Privacy Statement", 95), ("Kerio Privacy Policy", 90), ("Datenschutz", 90), ("Vie privée", 85),
    ("Política de privacidad", 100), ("Cookie Policy", None), ("Terms of Use", None),
    ("Your Privacy Choices", None), ("Privacy Settings", None), ("Do Not Sell My Personal Information", None),
    ("TRUSTe privacy seal", None), ("your privacy and the new European rules for it", None),
])
def test_anchor_scores(text, expected):
    score = anchor_score(text)
    assert (score[0] if score else None) == expected


@pytest.mark.parametrize("wrapped, original", [
    ("https://web.archive.org/web/20150101000000/http://www.x.com/privacy", "http://www.x.com/privacy"),
    ("http://www.x.com/web/20150101000000id_/https://www.x.com/p?a=1", "https://www.x.com/p?a=1"),
    ("https://web.archive.org/web/2015/http:/www.x.com/privacy", "http://www.x.com/privacy"),
    ("https://web.archive.org/web/20150101000000/www.x.com/privacy", "http://www.x.com/privacy"),
    ("http://127.0.0.1:8080/my-coll/20150101000000/https://www.x.com/privacy", "https://www.x.com/privacy"),
    ("http://www.x.com/blog/2015/05/privacy", "http://www.x.com/blog/2015/05/privacy"),
])
def test_unwrap_archive_url(wrapped, original):
    assert unwrap_archive_url(wrapped) == original


# --- the sample sites, through the local archive's CDX engine (in process) ------------------------


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


def test_a_late_redirect_into_an_era_does_not_stretch_its_period():
    rows = monthly("http://www.x.com/privacy", "201001", "201112") + monthly("http://www.x.com/legal/privacy", "201201", "201412")
    late = Redirect("http://www.x.com/privacy", "http://www.x.com/legal/privacy", "20180101000000")  # b is long gone by then
    eras = assign_eras("x.com", score_candidates("x.com", rows), redirects=[late])
    b = next(e for e in eras if e.url.endswith("/legal/privacy"))
    assert b.to_ts[:6] == "201412" and b.evidence == ("cdx", "redirect")
