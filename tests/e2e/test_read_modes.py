"""End to end: the read modes (--read, crawler/reading.py) against the local archive, on a history whose
bytes never repeat (a per-request token) but whose text changes four times, with a rollback."""

import math
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests.conftest import ROOT
from tests.samples import VOLATILE_CHANGES, volatile_history

POLICY_URL = "http://www.volatile-vendor.com/privacy"
FAST = ["--cdx-per-minute", "600", "--replays-per-second", "100"]
CAPTURES = 120


def ts(index):
    return (datetime(2008, 1, 5, 10, 0, tzinfo=timezone.utc) + timedelta(days=30 * index)).strftime("%Y%m%d%H%M%S")


EXACT = [ts(k) for k in VOLATILE_CHANGES]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


def backfill(archive, db, *extra):
    return cli("backfill", "volatile-vendor.com", "--policy-url", POLICY_URL, "--db", str(db), "--archive",
               archive.base_url, *FAST, *extra)


@pytest.fixture(scope="module")
def warc(tmp_path_factory):
    return write_warc(tmp_path_factory.mktemp("volatile") / "v.warc.gz", volatile_history(CAPTURES))


@pytest.fixture
def archive(warc):
    with LocalArchive([warc], limits=False) as served:
        yield served


def changes(db):
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("select timestamp from changes order by timestamp")]
    finally:
        con.close()


def outcomes(db):
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("select outcome, count(*) from captures group by outcome").fetchall())
    finally:
        con.close()


def replays(archive):
    return sum(1 for r in archive.requests if r.kind == "replay")


@pytest.mark.parametrize("mode", ["bisect", "auto"])
def test_bisection_finds_every_change_at_its_exact_first_capture(archive, tmp_path, mode):
    db = tmp_path / "p.db"
    result = backfill(archive, db, "--read", mode)
    assert result.returncode == 0, result.stderr
    assert "4 versions held" in result.stdout
    # A -> B -> A -> C -> D: the rollback to A is caught (B's bytes repeat, so B is read first).
    assert changes(db) == EXACT
    bound = len(VOLATILE_CHANGES) * math.ceil(math.log2(CAPTURES))
    assert replays(archive) <= 1.3 * bound
    counted = outcomes(db)
    assert counted["inferred_same_text"] > 0 and sum(counted.values()) == CAPTURES
    # The timeline gives each version its first capture, exact, even where it was inferred around.
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from captures where version_id is null").fetchone()[0] == 0


def test_every_digest_reads_each_payload_once(archive, tmp_path):
    db = tmp_path / "p.db"
    result = backfill(archive, db, "--read", "every-digest")
    assert result.returncode == 0, result.stderr
    assert changes(db) == EXACT
    assert replays(archive) == len({c["body"] for c in volatile_history(CAPTURES)})
    assert "inferred_same_text" not in outcomes(db)


def test_sampling_reads_one_capture_per_period(archive, tmp_path):
    db = tmp_path / "p.db"
    result = backfill(archive, db, "--read", "sample:6M")
    assert result.returncode == 0, result.stderr
    periods = len({(int(ts(k)[:4]) * 12 + int(ts(k)[4:6]) - 1) // 6 for k in range(CAPTURES)})
    assert replays(archive) <= periods + 1
    found = changes(db)
    assert len(found) == len(EXACT)
    for got, exact in zip(found, EXACT):
        late = datetime.strptime(got, "%Y%m%d%H%M%S") - datetime.strptime(exact, "%Y%m%d%H%M%S")
        assert timedelta(0) <= late <= timedelta(days=186)


def test_a_bad_read_mode_is_a_usage_error(archive, tmp_path):
    result = backfill(archive, tmp_path / "p.db", "--read", "sometimes")
    assert result.returncode == 2 and "--read" in result.stderr and "every-digest" in result.stderr


def test_the_scheduled_crawl_bisects_from_the_stored_newest_text(tmp_path):
    history = volatile_history(CAPTURES)
    early = write_warc(tmp_path / "early.warc.gz", history[:55])
    full = write_warc(tmp_path / "full.warc.gz", history)
    db = tmp_path / "p.db"
    with LocalArchive([early], limits=False) as archive:
        assert backfill(archive, db, "--read", "bisect").returncode == 0
        port = int(archive.base_url.rsplit(":", 1)[1])
    assert changes(db) == EXACT[:3]
    with LocalArchive([full], port=port, limits=False) as archive:
        result = cli("crawl", "--db", str(db), "--archive", archive.base_url, *FAST, "--read", "bisect")
        assert result.returncode == 0, result.stderr
        # 65 new captures, two changes: bisection from the stored capture at the mark, not from scratch.
        assert replays(archive) <= 3 * math.ceil(math.log2(66))
    assert changes(db) == EXACT
    assert sum(outcomes(db).values()) == CAPTURES
