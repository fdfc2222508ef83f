"""Item 2: never exit 0 / "ok" when work was lost. Every replay answered 503 leaves captures unsettled
(exit 1, twice in a row, and the summary says so); a database that cannot be written (file size limit,
as `ulimit -f`) ends with exit 7; the next run with room completes the history as a clean run would."""

import os
import resource
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT
from tests.faults.conftest import FAST, POLICY_URL, backfill, canonical
from tests.faults.proxy import Fault


def test_every_replay_answered_503_is_exit_1_every_time_and_then_recovers(proxy, clean, tmp_path):
    proxy.faults = lambda path, kind, n: Fault("status", status=503) if kind == "replay" else None
    db = tmp_path / "p.db"
    for _ in range(2):
        result = backfill(proxy.base_url, db, timeout=180)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.splitlines()[-2].startswith("partial:"), result.stdout
        assert "not done:" in result.stdout and "captures not settled" in result.stdout
        assert sqlite3.connect(db).execute("select status from runs order by id desc").fetchone()[0] == "partial"
    proxy.faults = lambda path, kind, n: None
    assert backfill(proxy.base_url, db).returncode == 0
    assert canonical(db) == clean


def _limited_backfill(archive_url, db, max_bytes):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return subprocess.run([sys.executable, "-m", "crawler", "backfill", "kerio.com", "--policy-url", POLICY_URL,
                           "--db", str(db), "--archive", archive_url, *FAST],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=limit)


def test_a_database_that_cannot_grow_is_exit_7_and_loses_nothing_for_the_next_run(proxy, clean, tmp_path):
    db = tmp_path / "p.db"
    # The schema and the first years first, then a file size limit just above what is there.
    assert backfill(proxy.base_url, db, "--to", "2009").returncode == 0
    sizes = [os.path.getsize(p) for p in (db, f"{db}-wal") if os.path.exists(p)]
    result = _limited_backfill(proxy.base_url, db, max(sizes) + 4096)
    assert result.returncode == 7, result.stdout + result.stderr
    assert "could not be written" in result.stderr and "not done:" in result.stdout
    result = backfill(proxy.base_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean
