"""crawler/discovery/eras.py: the policy URL(s) of each period, and what redirects add."""

from crawler.wayback import surt
from crawler.discovery.candidates import MIN_ERA_SCORE, score_candidates
from crawler.discovery.eras import assign_eras, follow_redirect
from crawler.discovery.redirects import Redirect
from crawler.discovery.result import summary_line
from tests.discovery.cdx_rows import monthly, moving_rows, visit


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
    assert (added.url, added.found_by, added.from_ts) == (
        "https://www.x.com/company/data-handling.html", "redirect", "20160110120000")
    eras = assign_eras("x.com", score_candidates("x.com", rows), redirects=[redirect])
    assert [e.found_by for e in eras] == ["cdx", "redirect"]


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


def test_a_late_redirect_into_an_era_does_not_stretch_its_period():
    rows = monthly("http://www.x.com/privacy", "201001", "201112") + monthly("http://www.x.com/legal/privacy", "201201", "201412")
    late = Redirect("http://www.x.com/privacy", "http://www.x.com/legal/privacy", "20180101000000")  # b is long gone by then
    eras = assign_eras("x.com", score_candidates("x.com", rows), redirects=[late])
    b = next(e for e in eras if e.url.endswith("/legal/privacy"))
    assert b.to_ts[:6] == "201412" and b.evidence == ("cdx", "redirect")
