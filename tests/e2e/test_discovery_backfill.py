"""Backfill from bare domains, end to end: discovery through the local archive (CDX + archived home
pages), then each era's URL listed and fetched, in one real crawl."""

import sqlite3
import subprocess
import sys

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests import samples
from tests.conftest import ROOT

DOMAINS = ["movingvendor.com", "twohostvendor.com", "nopolicyvendor.com", "soft404vendor.com", "redirectvendor.com"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("discovery")
    captures = (samples.moving_vendor_history() + samples.two_host_vendor_history()
                + samples.no_policy_vendor_history() + samples.soft404_vendor_history()
                + samples.redirect_vendor_history())
    warc = write_warc(folder / "vendors.warc.gz", captures)
    db = folder / "p.db"
    with LocalArchive([warc], limits=False) as archive:
        result = cli("backfill", *DOMAINS, "--db", str(db), "--archive", archive.base_url,
                     "--cdx-per-minute", "600", "--replays-per-second", "100")
        log = archive.requests
        base = archive.base_url
    return result, sqlite3.connect(db), log, base


def urls_of(con, domain):
    return con.execute("select url, found_by, era_from, era_to from policy_urls where domain = ? order by era_from, id",
                       [domain]).fetchall()


def test_a_policy_that_moved_three_times_is_found_in_every_era(discovered):
    result, con, _, _ = discovered
    assert result.returncode == 0, result.stderr
    found = urls_of(con, "movingvendor.com")
    paths = [url.split("movingvendor.com", 1)[1] for url, *_ in found]
    assert paths == ["/privacy.html", "/privacy-policy", "/legal/privacy", "/company/trust-center/data-handling.html"]
    assert all(found_by == "home_page" for _, found_by, *_ in found)
    assert found[0][2][:6] == "200501" and found[-1][3][:6] == "202007"
    # Four texts over fifteen years, each read from its own era's URL.
    titles = con.execute("select count(distinct text_hash) from versions where domain = 'movingvendor.com'").fetchone()[0]
    assert titles == 4


def test_policy_pages_on_two_hosts_are_both_tracked(discovered):
    _, con, _, _ = discovered
    urls = [url for url, *_ in urls_of(con, "twohostvendor.com")]
    assert "http://www.twohostvendor.com/privacy" in urls and "https://www.parentgroup.com/privacy" in urls
    assert not any("support." in url for url in urls)
    hosts = {row[0] for row in con.execute(
        "select substr(v.url, 1, instr(substr(v.url, 9), '/') + 8) from versions v where v.domain = 'twohostvendor.com'")}
    assert len(hosts) == 2


def test_an_old_policy_url_redirecting_to_a_new_one_ties_both_to_the_vendor(discovered):
    _, con, _, _ = discovered
    found = urls_of(con, "redirectvendor.com")
    assert [(url, found_by) for url, found_by, *_ in found] == [
        ("http://www.redirectvendor.com/privacy.html", "home_page"),
        ("https://www.redirectvendor.com/company/gdpr-notice.html", "redirect"),
    ]
    titles = {r[0] for r in con.execute("select title from versions where domain = 'redirectvendor.com'")}
    assert any("Privacy Notice" in t for t in titles)
    changes = con.execute("select count(distinct text_hash) from versions where domain = 'redirectvendor.com'").fetchone()[0]
    assert changes == 2


def test_a_vendor_with_no_policy_gets_a_clear_line_and_a_log_row(discovered):
    result, con, _, _ = discovered
    assert "nopolicyvendor.com: no privacy policy found in the archive" in result.stdout
    assert urls_of(con, "nopolicyvendor.com") == []
    assert con.execute("select outcome from discoveries where domain = 'nopolicyvendor.com'").fetchone()[0] == "none"


def test_a_soft_404_privacy_page_is_proposed_but_never_a_version(discovered):
    _, con, _, _ = discovered
    assert [url for url, *_ in urls_of(con, "soft404vendor.com")] == ["http://www.soft404vendor.com/privacy"]
    assert con.execute("select count(*) from versions where domain = 'soft404vendor.com'").fetchone()[0] == 0
    outcomes = {r[0] for r in con.execute("select outcome from captures where domain = 'soft404vendor.com'")}
    assert outcomes <= {"refused", "same_digest"} and "refused" in outcomes


def test_discovery_costs_one_cdx_request_per_domain_and_lists_the_policy_like_urls_it_found(discovered):
    from urllib.parse import parse_qs, urlsplit

    from crawler.discovery.patterns import POLICY_URL_RE
    from crawler.wayback import surt

    _, con, log, _ = discovered
    discovery_queries = [r for r in log if r.kind == "cdx" and "matchType=domain" in r.path]
    assert len(discovery_queries) == len(DOMAINS)
    # An era's URL the discovery query listed (a policy-like URL of the domain) costs no CDX request;
    # one it could not (a link to /company/trust-center/data-handling.html, a redirect to a
    # gdpr-notice, a policy on the parent group's domain) is listed on its own, once.
    tracked = con.execute("select domain, url from policy_urls").fetchall()
    unlisted = sorted(surt(url) for domain, url in tracked
                      if not (POLICY_URL_RE.fullmatch(url) and surt(url).startswith(surt(domain).rstrip(")/"))))
    listed = sorted(surt(parse_qs(urlsplit(r.path).query)["url"][0]) for r in log
                    if r.kind == "cdx" and "matchType=domain" not in r.path)
    assert listed == unlisted and len(listed) == 3 < len(tracked)


def test_vendors_file_with_comments_and_a_bad_row(tmp_path):
    warc = write_warc(tmp_path / "k.warc.gz", samples.kerio_history())
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("# vendors to watch\ndomain,policy_url\n\nkerio.com,http://www.kerio.com/privacy-policy\n"
                       "http://bad domain/,\n")
    with LocalArchive([warc], limits=False) as archive:
        result = cli("backfill", "--vendors", str(vendors), "--db", str(tmp_path / "p.db"), "--archive",
                     archive.base_url, "--cdx-per-minute", "600", "--replays-per-second", "100")
    assert f"{vendors}:5: not a bare domain" in result.stderr
    assert "kerio.com: " in result.stdout and "4 versions held" in result.stdout
    assert result.returncode == 1


def test_an_internationalised_domain_is_crawled_in_punycode(tmp_path):
    history = [dict(c, url=c["url"].replace("www.kerio.com", "www.xn--bcher-kva.de"),
                    headers={k: v.replace("www.kerio.com", "www.xn--bcher-kva.de") for k, v in c["headers"].items()})
               for c in samples.kerio_history()]
    warc = write_warc(tmp_path / "idn.warc.gz", history)
    with LocalArchive([warc], limits=False) as archive:
        result = cli("backfill", "bücher.de", "--policy-url", "http://www.bücher.de/privacy-policy", "--db",
                     str(tmp_path / "p.db"), "--archive", archive.base_url, "--cdx-per-minute", "600")
    assert result.returncode == 0, result.stderr
    assert "xn--bcher-kva.de: " in result.stdout and "4 versions held" in result.stdout


def test_the_scheduled_crawl_follows_a_new_redirect_from_a_discovered_url(tmp_path):
    history = samples.redirect_vendor_history()
    early = [c for c in history if c["timestamp"] < "2014"]
    warc_early = write_warc(tmp_path / "early.warc.gz", early)
    warc_full = write_warc(tmp_path / "full.warc.gz", history)
    db = tmp_path / "p.db"
    fast = ["--cdx-per-minute", "600", "--replays-per-second", "100"]
    with LocalArchive([warc_early], limits=False) as archive:
        assert cli("backfill", "redirectvendor.com", "--db", str(db), "--archive", archive.base_url, *fast).returncode == 0
        port = int(archive.base_url.rsplit(":", 1)[1])
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("select found_by from policy_urls")] == ["home_page"]
    with LocalArchive([warc_full], port=port, limits=False) as archive:
        result = cli("crawl", "--db", str(db), "--archive", archive.base_url, *fast)
    assert result.returncode == 0, result.stderr
    assert [r[0] for r in con.execute("select found_by from policy_urls order by id")] == ["home_page", "redirect"]
    assert con.execute("select count(distinct text_hash) from versions").fetchone()[0] == 2


def test_the_capture_store_keeps_the_home_pages_discovery_read_and_the_refused_pages(discovered):
    import re

    _, con, log, _ = discovered
    read = {re.match(r"/web/(\d{14})id_/(https?://[^/]+)/?$", r.path).groups() for r in log
            if r.kind == "replay" and r.status == 200 and re.match(r"/web/\d{14}id_/https?://[^/]+/?$", r.path)}
    kept = {(ts, uri.rstrip("/")) for uri, ts in con.execute("select uri, timestamp from warc_records")}
    assert read and read <= kept  # every home page read by discovery is kept
    refused = con.execute("select count(*), count(payload_digest) from captures where outcome = 'refused'").fetchone()
    assert refused[0] > 0 and refused[0] == refused[1]


def test_a_domain_too_big_for_the_discovery_budget_falls_back_to_the_monthly_query(tmp_path, discovered):
    """The discovery query cut after its page budget (here 2 pages of 20 rows, `-s` settings; the home page alone has 32): the
    monthly query finds the same eras, the URLs before the cut are listed from the rows already in,
    the others on their own, and the history is the same as with the whole query."""
    from urllib.parse import parse_qs, urlsplit

    from crawler.wayback import surt

    _, whole_con, _, _ = discovered
    warc = write_warc(tmp_path / "moving.warc.gz", samples.moving_vendor_history())
    db = tmp_path / "p.db"
    with LocalArchive([warc], limits=False) as archive:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "policy_history", "-a", "domains=movingvendor.com",
             "-a", f"archive={archive.base_url}", "-s", f"POLICY_DB={db}", "-s", "LOG_LEVEL=WARNING",
             "-s", "DISCOVERY_CDX_PAGE_SIZE=20", "-s", "DISCOVERY_MAX_PAGES=2",
             "-s", "ARCHIVE_CDX_PER_MINUTE=600", "-s", "ARCHIVE_REPLAYS_PER_SECOND=100"],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        log = archive.requests
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(db)
    assert urls_of(con, "movingvendor.com") == urls_of(whole_con, "movingvendor.com")

    def history(c):
        return c.execute("select p.url, v.text_hash, v.first_timestamp from versions v join policy_urls p on "
                         "p.id = v.policy_url_id where v.domain = 'movingvendor.com' order by 3").fetchall()

    assert history(con) == history(whole_con) and len({text for _, text, _ in history(con)}) == 4
    queries = [parse_qs(urlsplit(r.path).query) for r in log if r.kind == "cdx"]
    discovery = [q for q in queries if q.get("matchType") == ["domain"]]
    assert [q.get("collapse") for q in discovery] == [None, None, ["timestamp:6"]]
    assert "resumeKey" in discovery[1] and "resumeKey" not in discovery[2]
    listed = {surt(q["url"][0]) for q in queries if "matchType" not in q}
    tracked = {surt(url) for url, *_ in urls_of(con, "movingvendor.com")}
    # /legal/privacy came whole in the two pages (no query of its own); the cut fell in /privacy-policy.
    assert tracked - listed == {"com,movingvendor)/legal/privacy"}


def test_an_era_listed_from_the_discovery_rows_is_the_history_its_own_listing_gives(tmp_path, discovered):
    """The same URLs given with --policy-url (each listed by its own CDX query): the same captures,
    outcomes and texts as when discovery's rows listed them."""
    _, found_con, _, _ = discovered
    urls = [url for url, *_ in urls_of(found_con, "movingvendor.com")]
    warc = write_warc(tmp_path / "moving.warc.gz", samples.moving_vendor_history())
    db = tmp_path / "p.db"
    with LocalArchive([warc], limits=False) as archive:
        given = [arg for url in urls for arg in ("--policy-url", url)]
        result = cli("backfill", "movingvendor.com", *given, "--db", str(db), "--archive", archive.base_url,
                     "--cdx-per-minute", "600", "--replays-per-second", "100")
    assert result.returncode == 0, result.stderr

    def captures(c):
        return c.execute("select p.url, c.timestamp, c.original, c.digest, c.outcome, v.text_hash from captures c "
                         "join policy_urls p on p.id = c.policy_url_id left join versions v on v.id = c.version_id "
                         "where c.domain = 'movingvendor.com' order by 1, 2, 3").fetchall()

    assert captures(sqlite3.connect(db)) == captures(found_con) and len(captures(found_con)) >= 20


def test_a_second_bare_domain_backfill_reads_no_capture_again(tmp_path):
    import re

    warc = write_warc(tmp_path / "moving.warc.gz", samples.moving_vendor_history())
    db = tmp_path / "p.db"
    fast = ["--cdx-per-minute", "600", "--replays-per-second", "100"]
    with LocalArchive([warc], limits=False) as archive:
        assert cli("backfill", "movingvendor.com", "--db", str(db), "--archive", archive.base_url, *fast).returncode == 0
        con = sqlite3.connect(db)
        before = con.execute("select count(*), max(id) from captures").fetchone()
        first = len(archive.requests)
        result = cli("backfill", "movingvendor.com", "--db", str(db), "--archive", archive.base_url, *fast)
        again = archive.requests[first:]
    assert result.returncode == 0, result.stderr
    assert con.execute("select count(*), max(id) from captures").fetchone() == before
    # The discovery query, the one URL it cannot list (not policy-like), and home pages: no capture replayed.
    assert len([r for r in again if r.kind == "cdx"]) == 2
    replays = [r.path for r in again if r.kind == "replay"]
    assert replays and all(re.match(r"/web/\d{14}id_/https?://[^/]+/?$", p) for p in replays), replays
