"""crawler/decisions.py: which captures the spider replays, which redirects it follows. No crawl."""

from crawler.decisions import FETCH, RECORD, SKIP, decide_capture, leads_to_listed_capture, redirect_ends
from crawler.dedup import PayloadsRead
from crawler.wayback import EMPTY_DIGEST, CdxRow

URL = "http://www.kerio.com/privacy-policy"


def row(ts="20120101000000", digest="D1", status="200", mimetype="text/html", original=URL):
    return CdxRow("com,kerio)/privacy-policy", ts, original, mimetype, status, digest, 100)


def decide(r, previous=None, settled=(), known=(), collapse="digest"):
    return decide_capture(r, previous, set(settled), PayloadsRead(known), collapse)


def test_a_new_payload_is_fetched_and_a_known_one_is_recorded_without_a_request():
    assert decide(row()).action == FETCH
    known = decide(row(), known={"D1"})
    assert (known.action, known.outcome, known.stat) == (RECORD, "same_digest", "captures/same_digest")


def test_a_settled_capture_is_skipped_and_counted():
    decision = decide(row(), settled={("20120101000000", URL)})
    assert (decision.action, decision.stat) == (SKIP, "captures/already_stored")


def test_the_client_collapses_adjacent_identical_digests_only_when_asked():
    previous = row("20110101000000", "D1")
    assert decide(row(), previous).action == SKIP
    assert decide(row(), previous, collapse=None).action == FETCH


def test_archived_errors_and_other_types_are_recorded_as_they_are():
    assert (decide(row(status="404")).outcome, decide(row(status="404")).reason) == ("archived_error", "archived HTTP 404")
    assert decide(row(mimetype="image/png")).outcome == "skipped_type"
    assert decide(row(mimetype="application/pdf")).action == FETCH


def test_each_bodiless_redirect_is_followed_but_an_adjacent_repeat_is_not():
    redirect = row(status="302", digest=EMPTY_DIGEST)
    assert decide(redirect, known={EMPTY_DIGEST}).action == FETCH
    repeat = decide(row("20120201000000", status="302", digest=EMPTY_DIGEST), previous=redirect, collapse=None)
    assert (repeat.outcome, repeat.reason) == ("same_digest", "repeats the redirect before it")


def test_a_redirect_with_a_known_body_is_not_fetched_again():
    assert decide(row(status="301", digest="RB"), known={"RB"}).outcome == "same_digest"


def test_a_redirect_to_the_same_url_key_inside_the_listed_range_is_not_read_again():
    https = "https://kerio.com/privacy-policy"
    assert leads_to_listed_capture(URL, "20120101000000", "20120101000000", "20120101000005", https, None)
    assert leads_to_listed_capture(URL, "20120101000000", None, "20120301000000", https, ("", "20121231000000"))
    assert not leads_to_listed_capture(URL, "20120101000000", None, "20130301000000", https, ("", "20121231000000"))
    assert not leads_to_listed_capture(URL, "20120101000000", "20120101000000", None, "http://www.kerio.com/legal/privacy", None)


def test_redirects_that_end_the_replay_say_why():
    follow = redirect_ends(302, "/web/2012id_/http://x.com/b", "2012", "2012", "http://x.com/b", "n", "u", (), 8)
    assert follow is None
    assert redirect_ends(302, "", None, "2012", "", "n", "u", (), 8) == ("failed", "HTTP 302 without Location")
    assert redirect_ends(302, "http://x.com/", None, None, "http://x.com/", "n", "u", (), 8)[0] == "failed"
    assert redirect_ends(302, "/web/2012id_/http://x.com/b", "2012", "2012", "http://x.com/b", "n", "u", ("n",), 8)[0] == "redirect_loop"
    assert redirect_ends(302, "/web/2012id_/http://x.com/b", "2012", "2012", "http://x.com/b", "n", "u", tuple("abcdefgh"), 8)[0] == "redirect_loop"
