"""End to end: `python -m crawler backfill` (a real Scrapy crawl in its own process) against the local
archive on 127.0.0.1, into a real SQLite file, then `export`."""

import re
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.localarchive import LocalArchive
from tests.conftest import ROOT
from tests.samples import KERIO_CHANGES

POLICY_URL = "http://www.kerio.com/privacy-policy"
FAST = ["--cdx-per-minute", "600", "--replays-per-second", "50"]
HEADER = re.compile(
    r"^> \*The following text is extracted and transformed from the kerio\.com privacy policy that was archived on "
    r"(\d{4}-\d{2}-\d{2})\. Please check the \[original snapshot on the Wayback Machine\]\("
    r"(http://127\.0\.0\.1:\d+)/web/(\d{14})id_/(https?%3A//www\.kerio\.com/\S+)\) for the most accurate "
    r"reproduction\.\*\n\n# (.+)\n\n"
)


def crawler_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def backfill(archive_url, db, *extra):
    return crawler_cli("backfill", "kerio.com", "--policy-url", POLICY_URL, "--db", str(db), "--archive", archive_url, *FAST, *extra)


def dump(db):
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"select * from {t} order by 1").fetchall() for t in ("vendors", "policy_urls", "captures", "versions")}
    finally:
        con.close()



def test_backfill_stores_each_distinct_text_once_with_its_dates(archive, tmp_path):
    db = tmp_path / "policies.db"
    result = backfill(archive.base_url, db)
    assert result.returncode == 0, result.stderr
    assert "4 versions held" in result.stdout
    con = sqlite3.connect(db)
    versions = con.execute("select first_timestamp, last_timestamp, title from versions order by first_timestamp").fetchall()
    assert versions == [
        ("20080301101500", "20120930080000", "Privacy Policy | Kerio"),  # A, and A again after B
        ("20110310090000", "20111201090000", "Privacy Policy | Kerio"),  # B
        ("20130610100000", "20160601100004", "Privacy Policy | Kerio"),  # C, incl. the http -> https redirect
        ("20180525120000", "20200601120000", "Privacy Notice | Kerio"),  # D, incl. the move to /legal/privacy
    ]
    outcomes = dict(con.execute("select outcome, count(*) from captures group by outcome").fetchall())
    # 30 captures, one of them an adjacent byte-identical repeat that collapse=digest leaves out.
    assert sum(outcomes.values()) == 29
    assert "failed" not in outcomes and "redirect_loop" not in outcomes
    moved = con.execute("select captured_url from captures where timestamp = '20190601120000'").fetchone()[0]
    assert moved == "https://www.kerio.com/legal/privacy"
    # Only `id_` replays were asked for: never the rewritten page with the toolbar.
    replays = [r.path for r in archive.requests if r.kind == "replay"]
    assert replays and all(re.match(r"/web/\d{14}id_/", p) for p in replays)


def test_second_backfill_lists_only_and_changes_nothing(archive, tmp_path):
    db = tmp_path / "policies.db"
    assert backfill(archive.base_url, db).returncode == 0
    first = archive.counters.copy()
    before = dump(db)
    archive.clear_log()
    result = backfill(archive.base_url, db)
    assert result.returncode == 0, result.stderr
    assert archive.counters.get("replay", 0) == 0 and archive.counters["cdx"] == 1
    assert dump(db) == before
    assert first["cdx"] == 1 and first["replay"] >= 28
    assert "nothing new" in result.stdout


def test_export_writes_one_document_per_change_in_the_seed_format(archive, tmp_path):
    db, out = tmp_path / "policies.db", tmp_path / "out"
    assert backfill(archive.base_url, db).returncode == 0
    result = crawler_cli("export", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted((out / "kerio.com").glob("*.md"))
    assert [f.stem for f in files] == [ts for ts, _ in KERIO_CHANGES]
    for path, (timestamp, text) in zip(files, KERIO_CHANGES):
        document = path.read_text(encoding="utf-8")
        match = HEADER.match(document)
        assert match, document[:400]
        date, base, link_ts, _, title = match.groups()
        assert date == f"{timestamp[:4]}-{timestamp[4:6]}-{timestamp[6:8]}" and link_ts == timestamp
        assert base == archive.base_url and title == text.title
        assert text.sections[0][0] in document and text.updated in document
        assert document.endswith("\n") and not document.endswith("\n\n")
    # A second export writes the same bytes.
    before = {f: f.read_bytes() for f in files}
    crawler_cli("export", "--db", str(db), "--out", str(out))
    assert {f: f.read_bytes() for f in files} == before


def test_jsonl_export_has_dates_and_links(archive, tmp_path):
    import json

    db, out = tmp_path / "policies.db", tmp_path / "out"
    assert backfill(archive.base_url, db).returncode == 0
    assert crawler_cli("export", "--db", str(db), "--out", str(out), "--format", "jsonl").returncode == 0
    records = [json.loads(line) for line in (out / "changes.jsonl").read_text().splitlines()]
    assert [r["timestamp"] for r in records] == [ts for ts, _ in KERIO_CHANGES]
    assert records[0]["in_force_until"] == "2011-03-10T09:00:00Z" and records[-1]["in_force_until"] is None
    assert all(r["snapshot_url"].startswith(archive.base_url + "/web/") for r in records)


def test_from_and_to_bound_the_listing(archive, tmp_path):
    db = tmp_path / "policies.db"
    assert backfill(archive.base_url, db, "--from", "2011", "--to", "20111231").returncode == 0
    con = sqlite3.connect(db)
    stamps = [r[0] for r in con.execute("select timestamp from captures")]
    assert len(stamps) == 6 and all(s.startswith("2011") for s in stamps)


def test_a_429_pauses_every_request_for_the_pause(kerio_warc, tmp_path):
    # The archive allows 6 replays per 1 s window (6/min at time scale 60); the crawler asks 50/s.
    pause = 2.0
    with LocalArchive([kerio_warc], cdx_per_minute=30, replay_per_minute=6, time_scale=60) as served:
        result = backfill(served.base_url, tmp_path / "p.db", "--pause-after-429", str(pause))
        log = served.requests
    assert result.returncode == 0, result.stderr
    throttled = [r for r in log if r.status == 429]
    assert throttled, "the test archive never answered 429"
    for hit in throttled:
        # Requests already on the wire when the 429 reached the crawler (however late a loaded machine
        # handles it) may land just after it; none may be sent later, so from half the pause on
        # nothing reaches the archive until the pause is over (which cannot end before `pause`).
        late = [r for r in log if hit.time + pause / 2 < r.time < hit.time + pause]
        assert not late, [(round(r.time - hit.time, 3), r.status) for r in late]
    assert "4 versions held" in result.stdout
    assert "answered 429" in result.stdout


def test_an_archive_that_blocks_us_stops_the_run_and_keeps_what_was_stored(kerio_warc, tmp_path):
    db = tmp_path / "p.db"
    # Refused for more than 0.1 s (6 s at scale 60) means a block of 10 s: the crawler must give up.
    with LocalArchive([kerio_warc], cdx_per_minute=30, replay_per_minute=6, time_scale=60, block_after=6,
                      block_for=600) as served:
        result = backfill(served.base_url, db, "--pause-after-429", "0.3")
    assert result.returncode == 5, (result.returncode, result.stdout, result.stderr)
    assert "blocking this address" in result.stderr.strip().splitlines()[-1]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from versions").fetchone()[0] >= 1
    assert con.execute("select status from runs").fetchone()[0] == "blocked"


def test_an_unreachable_archive_is_one_clear_line_and_exit_4(tmp_path):
    result = backfill("http://127.0.0.1:9", tmp_path / "p.db")
    assert result.returncode == 4
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: http://127.0.0.1:9 unreachable")


class Garbage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b"<html><body>Temporarily unavailable</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_archive_answering_garbage_is_one_clear_line_and_exit_4(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = backfill(f"http://127.0.0.1:{server.server_address[1]}", tmp_path / "p.db")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 4
    assert "answered garbage to a CDX query" in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["backfill", "http://kerio.com/privacy", "--policy-url", POLICY_URL], "not a bare domain"),
        (["backfill"], "no domain given"),
        (["backfill", "kerio.com", "--vendors", "/nonexistent/vendors.csv"], "cannot read /nonexistent/vendors.csv"),
        (["backfill", "kerio.com", "--policy-url", POLICY_URL, "--from", "last year"], "not a date"),
        (["backfill", "kerio.com", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    result = crawler_cli(*args, "--db", str(tmp_path / "p.db"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_a_corrupt_database_is_refused_and_left_as_it_was(archive, tmp_path):
    db = tmp_path / "p.db"
    db.write_bytes(b"not a database at all" * 50)
    result = backfill(archive.base_url, db)
    assert result.returncode == 2 and "cannot use database" in result.stderr
    assert db.read_bytes() == b"not a database at all" * 50
    assert archive.counters.get("cdx", 0) == 0
