"""The capture store end to end: a real backfill keeps each payload once in WARC files beside the
database; `reextract` rebuilds the texts from them with no archive request; a kill -9 leaves a readable
store and a resumable run; the stored WARCs replay in `archive serve` and in a real pywb."""

import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.capturestore import complete_end, payload_digest, read_payload
from crawler.localarchive import ArchiveIndex, LocalArchive
from tests.conftest import ROOT
from tests.e2e.pywb_server import pywb_collection
from tests.e2e.swapped_extractor import MARK
from tests.e2e.test_backfill import POLICY_URL, backfill, crawler_cli
from tests.samples import KERIO_VERSION_SPANS as EXPECTED_VERSIONS




@pytest.fixture(scope="module")
def crawled(kerio_warc, tmp_path_factory):
    """One backfill with the store on, shared by the read-only tests: (db, store folder)."""
    db = tmp_path_factory.mktemp("crawled") / "policies.db"
    with LocalArchive([kerio_warc], limits=False) as served:
        result = backfill(served.base_url, db)
    assert result.returncode == 0, result.stderr
    return db, Path(f"{db}.captures")


def warc_files(folder):
    return sorted(Path(folder).glob("captures-*.warc.gz"))


def all_records(folder):
    found = []
    for path in warc_files(folder):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                              record.rec_headers.get_header("WARC-Payload-Digest"), record.content_stream().read()))
    return found


def versions(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select first_timestamp, last_timestamp from versions order by 1").fetchall()
    finally:
        con.close()


def timeline(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select domain, timestamp, until, version_id, title, snapshot_url from changes order by 1, 2").fetchall()
    finally:
        con.close()


def test_a_backfill_keeps_each_payload_once_beside_the_database(crawled, archive, tmp_path):
    db, folder = crawled
    records = all_records(folder)
    responses = [r for r in records if r[0] == "response"]
    assert records[0][0] == "warcinfo" and len([r for r in records if r[0] == "metadata"]) == len(responses) + sum(r[0] == "revisit" for r in records)
    for _, _, digest, body in responses:
        assert digest == "sha1:" + payload_digest(body)  # the CDX digest form
    bodied = [digest for _, _, digest, body in responses if body]
    assert len(bodied) == len(set(bodied)), "a payload was kept twice"
    con = sqlite3.connect(db)
    read = con.execute("select count(*), count(payload_digest) from captures where outcome in ('new_version', 'same_text', 'refused')").fetchone()
    assert read[0] == read[1] == 28
    # Every read capture's payload is found by digest, and is what the archive served.
    for (digest,) in con.execute("select distinct payload_digest from captures where payload_digest is not null"):
        file, offset, length = con.execute("select file, offset, length from warc_records where digest = ? and "
                                           "record_type = 'response'", [digest]).fetchone()
        assert payload_digest(read_payload(folder, file, offset, length).body) == digest
    # The captured move to /legal/privacy is kept as the site's 301 with its own Location.
    redirect = con.execute("select file, offset, length from warc_records where timestamp = '20190601120000' and uri like '%/privacy-policy'").fetchone()
    stored = read_payload(folder, *redirect)
    assert stored.status == 301 and ("Location", "https://www.kerio.com/legal/privacy") in stored.headers
    # A second backfill reads nothing again, so keeps nothing again.
    before = sorted(p.stat().st_size for p in warc_files(folder))
    count = con.execute("select count(*) from warc_records").fetchone()[0]
    con.close()
    again = tmp_path / "again.db"
    assert backfill(archive.base_url, db).returncode == 0
    assert sorted(p.stat().st_size for p in warc_files(folder)) == before
    assert sqlite3.connect(db).execute("select count(*) from warc_records").fetchone()[0] == count
    assert not again.exists()


def test_a_capture_not_fetched_for_a_known_payload_is_kept_as_a_revisit(archive, tmp_path):
    db = tmp_path / "p.db"
    assert backfill(archive.base_url, db, "--no-collapse").returncode == 0  # adjacent repeats listed too
    con = sqlite3.connect(db)
    repeats = set(con.execute("select original, timestamp, digest from captures where outcome = 'same_digest' "
                              "and digest != '3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'").fetchall())
    kept = set(con.execute("select uri, timestamp, digest from warc_records where record_type = 'revisit'").fetchall())
    assert repeats and repeats <= kept, (repeats, kept)
    revisits = [r for r in all_records(f"{db}.captures") if r[0] == "revisit"]
    assert len(revisits) == len(kept) and all(r[2].startswith("sha1:") for r in revisits)


def test_no_keep_captures_keeps_only_the_texts(archive, tmp_path):
    db = tmp_path / "p.db"
    assert backfill(archive.base_url, db, "--no-keep-captures").returncode == 0
    assert not Path(f"{db}.captures").exists()
    assert sqlite3.connect(db).execute("select count(*) from warc_records").fetchone()[0] == 0
    assert versions(db) == EXPECTED_VERSIONS


def test_reextract_after_an_extractor_change_updates_the_texts_with_no_archive_request(archive, tmp_path):
    db = tmp_path / "p.db"
    assert backfill(archive.base_url, db).returncode == 0
    before_timeline = timeline(db)
    before_changes = crawler_cli("changes", "--db", str(db)).stdout
    feed_before = tmp_path / "before.xml"
    assert crawler_cli("feed", "--db", str(db), "--out", str(feed_before)).returncode == 0
    archive.clear_log()
    result = crawler_cli("reextract", "--db", str(db), "--extractor", "tests.e2e.swapped_extractor:extract",
                         "--extractor-version", "test-2")
    assert result.returncode == 0, result.stderr
    assert archive.requests == []  # not one request to the archive
    assert "28 pages from the capture store" in result.stdout and "4 versions upgraded in place" in result.stdout
    con = sqlite3.connect(db)
    texts = con.execute("select markdown, extractor_version from versions").fetchall()
    assert len(texts) == 4 and all(md.endswith(MARK) and ev == "test-2" for md, ev in texts)
    assert con.execute("select count(*) from upgrades where merged_into is null").fetchone()[0] == 4
    # The timeline and what `changes` reports are unchanged: an upgrade is no change of the policy.
    assert timeline(db) == before_timeline
    assert crawler_cli("changes", "--db", str(db)).stdout == before_changes
    feed_after = tmp_path / "after.xml"
    assert crawler_cli("feed", "--db", str(db), "--out", str(feed_after)).returncode == 0
    ids = lambda path: [line for line in path.read_text().split("<") if line.startswith("id>")]  # noqa: E731
    assert ids(feed_after) == ids(feed_before)
    # Done with this extractor version: a second run does nothing.
    again = crawler_cli("reextract", "--db", str(db), "--extractor", "tests.e2e.swapped_extractor:extract",
                        "--extractor-version", "test-2", "--workers", "1")
    assert again.returncode == 0 and "0 pages" in again.stdout and "1 policy URLs already done" in again.stdout
    # A later crawl with the same extractor finds its texts stored.
    assert versions(db) == EXPECTED_VERSIONS


def test_reextract_merges_versions_the_new_extractor_reads_the_same(archive, tmp_path):
    from crawler.reextract import reextract

    db = tmp_path / "p.db"
    assert backfill(archive.base_url, db).returncode == 0
    result = reextract(str(db), extractor="tests.e2e.swapped_extractor:merging_extract", version="merge", workers=2)
    assert result.merged == 3 and result.pages == 28
    assert versions(db) == [("20080301101500", "20200601120000")]
    assert len(timeline(db)) == 1


def test_a_backfill_killed_with_the_store_on_leaves_a_readable_store_and_resumes(kerio_warc, tmp_path):
    reference = tmp_path / "reference.db"
    db = tmp_path / "killed.db"
    folder = Path(f"{db}.captures")
    with LocalArchive([kerio_warc], limits=False) as served:
        assert backfill(served.base_url, reference).returncode == 0
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "backfill", "kerio.com", "--policy-url", POLICY_URL, "--db", str(db),
             "--archive", served.base_url, "--cdx-per-minute", "600", "--replays-per-second", "3"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                kept = sqlite3.connect(db).execute("select count(*) from warc_records").fetchone()[0]
            except sqlite3.Error:
                kept = 0
            if kept >= 5:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the backfill finished before it could be killed: slow it down"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        # What a kill in the middle of a write leaves: the first half of a record (a gzip member cut
        # short) at the end of the file.
        newest = warc_files(folder)[-1]
        whole = newest.stat().st_size
        con = sqlite3.connect(db)
        offset, length = con.execute("select offset, length from warc_records where file = ? order by offset desc limit 1",
                                     [newest.name]).fetchone()
        con.close()
        with open(newest, "rb") as stream:
            stream.seek(offset)
            torn = stream.read(length // 2)
        with open(newest, "ab") as stream:
            stream.write(torn)
        # Readable as it is: every row points at a whole record.
        con = sqlite3.connect(db)
        for file, offset, length in con.execute("select file, offset, length from warc_records").fetchall():
            read_payload(folder, file, offset, length)
        con.close()
        assert complete_end(newest) == whole
        resumed = backfill(served.base_url, db)
        assert resumed.returncode == 0, resumed.stderr
    assert versions(db) == versions(reference) == EXPECTED_VERSIONS
    for path in warc_files(folder):
        assert complete_end(path) == path.stat().st_size  # the torn tail was cut off
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from captures where outcome in ('new_version', 'same_text', 'refused') and payload_digest is null").fetchone()[0] == 0
    for file, offset, length in con.execute("select file, offset, length from warc_records").fetchall():
        read_payload(folder, file, offset, length)


def test_archive_serve_serves_the_store_so_a_user_can_crawl_it_again(crawled, tmp_path):
    db, folder = crawled
    files = [str(p) for p in warc_files(folder)]
    with LocalArchive(ArchiveIndex.from_warcs(files), limits=False) as own:
        result = backfill(own.base_url, tmp_path / "again.db", "--no-keep-captures")
    assert result.returncode == 0, result.stderr
    assert versions(tmp_path / "again.db") == EXPECTED_VERSIONS
    # The command line too.
    process = subprocess.Popen([sys.executable, "-m", "crawler", "archive", "serve", *files, "--port", "0", "--no-limits"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving 29 captures"), line + process.stderr.read()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_pywb_accepts_the_stored_warcs_and_replays_a_capture(crawled, tmp_path):
    db, folder = crawled
    con = sqlite3.connect(db)
    file, offset, length, uri, timestamp = con.execute(
        "select file, offset, length, uri, timestamp from warc_records where timestamp = '20130610100000'").fetchone()
    expected = read_payload(folder, file, offset, length).body
    with pywb_collection(tmp_path / "pywb", warc_files(folder)) as base:
        with urllib.request.urlopen(f"{base}/{timestamp}id_/{uri}", timeout=10) as answer:
            assert answer.status == 200 and answer.headers["Memento-Datetime"]
            assert answer.read() == expected
        cdx = urllib.request.urlopen(f"{base}/cdx?url=www.kerio.com/*&output=json", timeout=10).read().decode()
        assert len(cdx.strip().splitlines()) == 29


def test_reextract_moves_captures_that_no_longer_pass_and_back_with_the_dates_right(archive, tmp_path):
    from crawler.reextract import reextract

    db = tmp_path / "p.db"
    assert backfill(archive.base_url, db).returncode == 0
    before = timeline(db)
    refused = reextract(str(db), extractor="tests.e2e.swapped_extractor:refusing_extract", version="refuse", workers=2)
    assert refused.now_refused > 0 and refused.removed == 1
    assert versions(db) == EXPECTED_VERSIONS[:3]
    back = reextract(str(db), version="back", workers=1)
    assert back.now_policies == refused.now_refused and back.new_versions == 1
    assert versions(db) == EXPECTED_VERSIONS
    assert [row[1:3] for row in timeline(db)] == [row[1:3] for row in before]
