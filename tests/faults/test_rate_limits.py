"""429 storms: after every 429 (no Memento-Datetime) the crawler sends nothing to the archive for the
pause, then resumes, and ends as a clean run would."""

import time

import pytest

from tests.faults.conftest import backfill, canonical
from tests.faults.proxy import Fault

PAUSE = 0.5


@pytest.mark.parametrize("storm", [1.0, 2.5], ids=["1s-storm", "2.5s-storm"])
def test_a_429_storm_is_waited_out_and_the_run_ends_clean(storm, proxy, clean, tmp_path):
    began = []

    def faults(path, kind, n):
        if kind == "replay" and n == 4:
            began.append(time.monotonic())
        if began and time.monotonic() - began[0] < storm:
            return Fault("status", status=429)
        return None
    proxy.faults = faults
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db, "--pause-after-429", str(PAUSE), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean
    log = proxy.seen()
    hits = [s for s in log if s.action == "status"]
    assert hits
    for hit in hits:
        # Requests already on the wire may land just after a 429; then nothing until the pause is over.
        during = [s for s in log if hit.time + 0.15 < s.time < hit.time + PAUSE - 0.05]
        assert not during, (hit, during[:3])
