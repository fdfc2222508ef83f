"""The same end-to-end backfill against a real pywb (a subprocess on 127.0.0.1) as against the
archive.org look-alike, and one history merged from both."""

import re
import sqlite3

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests.samples import KERIO_CHANGES, KERIO_VERSION_SPANS as EXPECTED_VERSIONS, kerio_history
from tests.e2e.pywb_server import pywb_collection
from tests.e2e.test_backfill import backfill, crawler_cli, dump



@pytest.fixture(scope="module")
def warcs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pywb-warcs")
    history = kerio_history()
    return {
        "full": write_warc(folder / "kerio.warc.gz", history),
        # Up to 2017: the GDPR rewrite of 2018 is only in the other archive.
        "early": write_warc(folder / "kerio-early.warc.gz", [c for c in history if c["timestamp"] < "2017"]),
    }


@pytest.fixture(scope="module")
def pywb(warcs, tmp_path_factory):
    with pywb_collection(tmp_path_factory.mktemp("pywb"), [warcs["full"]]) as base:
        yield base


def versions(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select first_timestamp, last_timestamp, snapshot_url from versions order by 1").fetchall()
    finally:
        con.close()


def test_backfill_from_pywb_finds_the_same_versions_as_from_archive_org(pywb, warcs, tmp_path):
    result = backfill(pywb, tmp_path / "pywb.db")
    assert result.returncode == 0, result.stderr
    found = versions(tmp_path / "pywb.db")
    assert [(first, last) for first, last, _ in found] == EXPECTED_VERSIONS
    assert all(link.startswith(pywb + "/") and "id_/http" in link for _, _, link in found)
    with LocalArchive([warcs["full"]], limits=False) as ia:
        assert backfill(ia.base_url, tmp_path / "ia.db").returncode == 0
    con_pywb, con_ia = sqlite3.connect(tmp_path / "pywb.db"), sqlite3.connect(tmp_path / "ia.db")
    query = "select timestamp, digest, outcome from captures order by timestamp"
    pywb_rows, ia_rows = con_pywb.execute(query).fetchall(), con_ia.execute(query).fetchall()
    assert [r[:2] for r in pywb_rows] == [r[:2] for r in ia_rows]
    # One difference, pywb's own: asked for the http -> https redirect capture, it serves the https
    # capture in its place (200), where archive.org points to it and the crawler does not follow.
    differ = [(p[0], p[2], i[2]) for p, i in zip(pywb_rows, ia_rows) if p[2] != i[2]]
    assert differ == [("20160601100000", "same_text", "self_redirect")]


def test_pywb_second_run_fetches_nothing_and_changes_nothing(pywb, tmp_path):
    db = tmp_path / "p.db"
    assert backfill(pywb, db).returncode == 0
    before = dump(db)
    again = backfill(pywb, db)
    assert again.returncode == 0
    assert re.search(r"\b1 CDX and 0 replay requests", again.stdout), again.stdout
    assert dump(db) == before


def test_export_from_pywb_links_to_pywb(pywb, tmp_path):
    db, out = tmp_path / "p.db", tmp_path / "out"
    assert backfill(pywb, db).returncode == 0
    assert crawler_cli("export", "--db", str(db), "--out", str(out)).returncode == 0
    files = sorted((out / "kerio.com").glob("*.md"))
    assert [f.stem for f in files] == [ts for ts, _ in KERIO_CHANGES]
    assert f"]({pywb}/20080301101500id_/http%3A//www.kerio.com/privacy-policy)" in files[0].read_text()


def test_two_archives_merge_into_one_history(pywb, warcs, tmp_path):
    db = tmp_path / "merged.db"
    with LocalArchive([warcs["early"]], limits=False) as ia:
        result = crawler_cli("backfill", "kerio.com", "--policy-url", "http://www.kerio.com/privacy-policy",
                             "--db", str(db), "--archive", ia.base_url, "--archive", pywb,
                             "--cdx-per-minute", "600", "--replays-per-second", "50")
        ia_prefix = ia.base_url + "/web"
        replays_from_ia = ia.counters.get("replay", 0)
    assert result.returncode == 0, result.stderr
    found = versions(db)
    assert [(first, last) for first, last, _ in found] == EXPECTED_VERSIONS
    gdpr = found[-1]
    assert gdpr[2].startswith(pywb + "/20180525120000id_/")  # found only in the second archive
    con = sqlite3.connect(db)
    archives = dict(con.execute("select archive, count(*) from captures group by archive").fetchall())
    assert set(archives) == {ia_prefix, pywb}
    # A payload read from one archive is not fetched again from the other.
    total_replays = con.execute("select count(distinct digest) from captures where outcome in ('new_version', 'same_text', 'refused')").fetchone()[0]
    assert replays_from_ia <= total_replays
