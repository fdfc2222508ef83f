"""The scheduled crawl: incremental listing, the lock, kill -9 and resume, exit statuses, and the views
(changes, diff, status, feed) it feeds. Real crawls in their own processes, against the local archive."""

import signal
import sqlite3
import subprocess
import sys
import time

import feedparser
import pytest

from crawler.store import Store

from crawler.localarchive import LocalArchive, write_warc
from crawler.lock import run_lock
from tests.conftest import ROOT
from tests.samples import vendor_domain, vendor_history

VENDORS = range(1, 11)
FAST = ["--cdx-per-minute", "600", "--replays-per-second", "50"]


def cli(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def histories(captures=8, texts=2, years=8):
    return {n: vendor_history(n, captures=captures, texts=texts, years=years) for n in VENDORS}


@pytest.fixture(scope="module")
def warcs(tmp_path_factory):
    """Two archives of the same ten vendors: `early` holds captures up to 2015, `full` everything."""
    folder = tmp_path_factory.mktemp("warcs")
    full = histories()
    early = {n: [c for c in caps if c["timestamp"] < "2016"] for n, caps in full.items()}
    return {
        "early": write_warc(folder / "early.warc.gz", [c for caps in early.values() for c in caps]),
        "full": write_warc(folder / "full.warc.gz", [c for caps in full.values() for c in caps]),
    }


def port_of(archive) -> int:
    return int(archive.base_url.rsplit(":", 1)[1])


def backfill_all(archive_url, db, *extra):
    args = ["backfill", *(vendor_domain(n) for n in VENDORS)]
    for n in VENDORS:
        args += ["--policy-url", f"http://www.{vendor_domain(n)}/privacy"]
    return cli(*args, "--db", str(db), "--archive", archive_url, *FAST, *extra)


def content(db):
    """What a run leaves, without the run bookkeeping (ids, run numbers, when)."""
    con = sqlite3.connect(db)
    try:
        captures = con.execute(
            """select c.domain, c.archive, c.timestamp, c.original, c.digest, c.statuscode, c.outcome,
                      c.captured_url, c.captured_timestamp, v.text_hash
               from captures c left join versions v on v.id = c.version_id order by 1, 3, 4"""
        ).fetchall()
        versions = con.execute(
            "select domain, url, text_hash, title, markdown, first_timestamp, last_timestamp, snapshot_url from versions order by 1, 6"
        ).fetchall()
        return captures, versions
    finally:
        con.close()


def test_crawl_fetches_only_what_is_new_and_a_quiet_run_costs_one_cdx_per_url(warcs, tmp_path):
    db = tmp_path / "p.db"
    # The archive grows between runs: the same address serves the early WARC, then the full one.
    with LocalArchive([warcs["early"]], limits=False) as early:
        assert backfill_all(early.base_url, db).returncode == 0
    with LocalArchive([warcs["full"]], port=port_of(early), limits=False) as full:
        result = cli("crawl", "--db", str(db), "--archive", full.base_url, *FAST)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.strip().splitlines()) == 1  # a one-line summary
        new_captures = sum(1 for caps in histories().values() for c in caps if c["timestamp"] >= "2016")
        assert full.counters["cdx"] == 10 and full.counters["replay"] == new_captures
        # With the same archive again, nothing is new: one CDX request per tracked URL, no replay.
        full.clear_log()
        quiet = cli("crawl", "--db", str(db), "--archive", full.base_url, *FAST)
        assert quiet.returncode == 0, quiet.stderr
        assert full.counters == {"cdx": 10}
    captures, versions = content(db)
    assert len(captures) == 80 and len(versions) == 20


def test_crawl_ends_where_an_uninterrupted_backfill_ends(warcs, tmp_path):
    with LocalArchive([warcs["early"]], limits=False) as early:
        assert backfill_all(early.base_url, tmp_path / "a.db").returncode == 0
    with LocalArchive([warcs["full"]], port=port_of(early), limits=False) as full:
        assert cli("crawl", "--db", str(tmp_path / "a.db"), "--archive", full.base_url, *FAST).returncode == 0
        assert backfill_all(full.base_url, tmp_path / "b.db").returncode == 0
    assert content(tmp_path / "a.db")[1] == content(tmp_path / "b.db")[1]


def stored_captures(db) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("select count(*) from captures").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # no database, or no table yet
        return 0


def wait_for_more_captures(db, than: int, process, limit: float = 60.0) -> int:
    """Polls (bounded) until the running crawl has stored more captures than `than`, or has ended."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        count = stored_captures(db)
        if count > than:
            return count
        time.sleep(0.05)
    return stored_captures(db)


def test_a_crawl_killed_at_any_moment_is_resumed_to_the_same_database(warcs, tmp_path):
    reference, db = tmp_path / "reference.db", tmp_path / "killed.db"
    with LocalArchive([warcs["full"]], limits=False) as full:
        assert backfill_all(full.base_url, reference, "--replays-per-second", "20").returncode == 0
        kills, stored = 0, 0
        for _ in range(3):  # each run is killed as soon as it has stored something more than the last
            process = subprocess.Popen(
                [sys.executable, "-m", "crawler", "backfill", *(vendor_domain(n) for n in VENDORS),
                 *[a for n in VENDORS for a in ("--policy-url", f"http://www.{vendor_domain(n)}/privacy")],
                 "--db", str(db), "--archive", full.base_url, "--cdx-per-minute", "600", "--replays-per-second", "20"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            stored = wait_for_more_captures(db, stored, process)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=30)
        assert kills >= 2, "the crawl finished before it could be killed: slow it down"
        assert sqlite3.connect(db).execute("select count(*) from captures").fetchone()[0] > 0
        final = backfill_all(full.base_url, db, "--replays-per-second", "20")
        assert final.returncode == 0, final.stderr
    assert content(db) == content(reference)


def test_a_scheduled_crawl_killed_twice_then_resumed_equals_one_uninterrupted_crawl(warcs, tmp_path):
    reference, db = tmp_path / "reference.db", tmp_path / "killed.db"
    with LocalArchive([warcs["early"]], limits=False) as early:
        assert backfill_all(early.base_url, reference).returncode == 0
        assert backfill_all(early.base_url, db).returncode == 0
    slow = ["--cdx-per-minute", "600", "--replays-per-second", "4"]
    with LocalArchive([warcs["full"]], port=port_of(early), limits=False) as full:
        assert cli("crawl", "--db", str(reference), "--archive", full.base_url, *slow).returncode == 0
        kills, stored = 0, stored_captures(db)
        for _ in range(2):
            process = subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--archive", full.base_url, *slow],
                                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stored = wait_for_more_captures(db, stored, process)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=30)
        assert kills == 2, "the crawl finished before it could be killed: slow it down"
        resumed = cli("crawl", "--db", str(db), "--archive", full.base_url, *slow)
        assert resumed.returncode == 0, resumed.stderr
    assert content(db) == content(reference)


def test_a_second_run_on_the_same_database_exits_at_once_with_6(tmp_path):
    db = tmp_path / "p.db"
    Store(db).close()
    with run_lock(str(db)):
        started = time.monotonic()
        result = cli("crawl", "--db", str(db))
        assert time.monotonic() - started < 30
    assert result.returncode == 6
    assert "another run is using" in result.stderr and "pid" in result.stderr


def test_crawl_of_an_empty_database_says_to_backfill_first(tmp_path):
    result = cli("crawl", "--db", str(tmp_path / "p.db"))
    assert result.returncode == 2 and "run backfill first" in result.stderr


def test_some_vendors_failing_is_exit_1_and_the_others_are_stored(warcs, tmp_path):
    db = tmp_path / "p.db"
    with LocalArchive([warcs["full"]], limits=False, excluded=["http://www.vendor0003.com/"]) as archive:
        result = backfill_all(archive.base_url, db)
    assert result.returncode == 1, result.stderr
    assert "AdministrativeAccessControlException" in result.stderr
    con = sqlite3.connect(db)
    assert con.execute("select count(distinct domain) from versions").fetchone()[0] == 9
    assert con.execute("select status from runs").fetchone()[0] == "partial"


@pytest.fixture(scope="module")
def crawled(warcs, tmp_path_factory):
    db = tmp_path_factory.mktemp("views") / "p.db"
    with LocalArchive([warcs["full"]], limits=False) as archive:
        assert backfill_all(archive.base_url, db).returncode == 0
    return db


def test_changes_lists_new_versions_per_vendor_since_a_date(crawled):
    everything = cli("changes", "--db", str(crawled)).stdout.splitlines()
    assert sum(1 for line in everything if line.startswith("vendor")) == 10
    changes = [line.split() for line in everything if line.startswith("  version ")]
    assert len(changes) == 20 and sorted({c[1] for c in changes}) == ["1", "2"]  # each vendor's 1 then 2
    recent = cli("changes", "--db", str(crawled), "--since", "20140101").stdout.splitlines()
    recent = [line.split() for line in recent if line.startswith("  version ")]
    assert len(recent) == 10 and all(c[3].rstrip(",") >= "2014-01-01" for c in recent)


def test_diff_shows_what_changed_between_the_last_two_versions(crawled):
    result = cli("diff", "vendor0001.com", "--db", str(crawled))
    assert result.returncode == 0, result.stderr
    added = [line for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert any("Changes in revision 2" in line for line in added)
    assert not any(line.startswith("-") and "Changes in revision 1" in line for line in result.stdout.splitlines())
    missing = cli("diff", "vendor0001.com", "--db", str(crawled), "--from-version", "999", "--to-version", "1")
    assert missing.returncode == 2 and "has no version 999 (it has 1 to 2)" in missing.stderr


def test_status_shows_each_vendor_with_its_newest_capture_and_version(crawled):
    lines = cli("status", "--db", str(crawled)).stdout.splitlines()
    rows = [line for line in lines if line.startswith("vendor0")]
    assert len(rows) == 10
    assert all(" 2  version 2, archived " in row for row in rows)
    assert lines[-1].startswith("last run:") and "ok" in lines[-1]


def test_feed_is_valid_atom_with_one_entry_per_version(crawled, tmp_path):
    out = tmp_path / "changes.xml"
    assert cli("feed", "--db", str(crawled), "--out", str(out)).returncode == 0
    parsed = feedparser.parse(out.read_bytes())
    assert parsed.bozo == 0, parsed.bozo_exception
    assert parsed.version == "atom10" and len(parsed.entries) == 20
    assert all("/web/" in entry.link and "id_/" in entry.link for entry in parsed.entries)
    assert len({entry.id for entry in parsed.entries}) == 20


def test_save_stale_asks_save_page_now_for_old_policy_urls_only(warcs, tmp_path):
    db = tmp_path / "p.db"
    with LocalArchive([warcs["full"]], limits=False) as archive:
        assert backfill_all(archive.base_url, db).returncode == 0
        # Make one vendor look freshly captured: only the nine others are stale.
        con = sqlite3.connect(db)
        con.execute("update captures set timestamp = strftime('%Y%m%d%H%M%S', 'now') where id = "
                    "(select max(id) from captures where domain = 'vendor0001.com')")
        con.commit()
        con.close()
        result = cli("crawl", "--db", str(db), "--archive", archive.base_url, *FAST,
                     "--save-stale", "30", "--save-per-minute", "600")
        saved = sorted(url for _, url in archive.saved)
    assert result.returncode == 0, result.stderr
    assert saved == sorted(f"http://www.{vendor_domain(n)}/privacy" for n in VENDORS if n != 1)
    assert "save page now: 9 of 9 stale policy URLs saved" in result.stdout


def test_save_page_now_is_paced_and_stops_at_its_429(warcs, tmp_path):
    from crawler.wayback import archive_for
    from crawler.savepagenow import save_stale
    from crawler.store import Store

    db = tmp_path / "p.db"
    with LocalArchive([warcs["full"]], limits=False) as archive:
        assert backfill_all(archive.base_url, db).returncode == 0
    # Save Page Now allows 3 a window here; the crawler asks 120 a minute: the 4th is refused, the rest not asked.
    with LocalArchive([warcs["full"]], port=port_of(archive), save_per_minute=3, cdx_per_minute=None,
                      replay_per_minute=None) as limited:
        store = Store(db)
        started = time.monotonic()
        results = save_stale(store, archive_for(limited.base_url), days=30, per_minute=120)
        elapsed = time.monotonic() - started
        store.close()
        log = [r for r in limited.requests if r.kind == "save"]
    outcomes = [r.outcome.split(":")[0].split(" ")[0] for r in results]
    assert outcomes[:4] == ["saved", "saved", "saved", "refused"] and set(outcomes[4:]) == {"not"}
    assert len(log) == 4
    # 120 a minute is one per 0.5 s: spacing the server saw, within a tenth of the interval.
    assert all(b.time - a.time >= 0.45 for a, b in zip(log, log[1:]))
    assert elapsed < 30


def test_settings_for_scheduled_runs_come_from_the_environment(crawled):
    import os

    env = {**os.environ, "POLICY_DB": str(crawled)}
    result = subprocess.run([sys.executable, "-m", "crawler", "status"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0 and "vendor0010.com" in result.stdout
