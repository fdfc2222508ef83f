"""Item 1: a damaged replay never becomes a version. Bodies cut at connection close (no Content-Length),
cut with a Content-Length that matches the cut, or reset mid-body are caught by the payload digest the
CDX row gives; a capture whose body never matches is retried by the next runs, then recorded as
unverifiable with its reason."""

import sqlite3

import pytest

from tests.faults.conftest import backfill, canonical
from tests.faults.proxy import Fault

# Five captures of the kerio history, each a different text era.
VICTIMS = ("20080301101500", "20110310090000", "20111201090000", "20130610100000", "20180525120000")


def _first_fetch_of_victims(kind_of_fault):
    hit = set()

    def faults(path, kind, n):
        if kind != "replay":
            return None
        ts = path.split("/")[2][:14]
        if ts in VICTIMS and ts not in hit:
            hit.add(ts)
            return Fault(kind_of_fault)
        return None
    return faults


@pytest.mark.parametrize("fault", ["truncate_close", "truncate_length", "reset_mid"])
def test_a_body_cut_once_is_fetched_again_and_the_run_ends_as_a_clean_one(fault, proxy, clean, tmp_path):
    proxy.faults = _first_fetch_of_victims(fault)
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean
    assert sum(1 for s in proxy.seen("replay") if s.action == fault) == len(VICTIMS)


@pytest.mark.parametrize("fault", ["truncate_close", "truncate_length"])
def test_a_body_always_cut_is_never_a_version_and_ends_unverifiable_after_three_runs(fault, proxy, clean, tmp_path):
    victim = "20110310090000"  # the first capture of text B
    proxy.faults = lambda path, kind, n: Fault(fault) if kind == "replay" and f"/web/{victim}id_/" in path else None
    db = tmp_path / "p.db"
    clean_texts = {v[0] for v in clean["versions"]}
    statuses = []
    for _ in range(3):
        result = backfill(proxy.base_url, db)
        statuses.append(result.returncode)
        con = sqlite3.connect(db)
        texts = {r[0] for r in con.execute("select text_hash from versions")}
        assert texts <= clean_texts, "a cut body became a version"
        outcome, reason, attempts = con.execute(
            "select outcome, reason, attempts from captures where timestamp = ?", [victim]).fetchone()
        con.close()
    # Runs 1 and 2 left the capture for the next run (exit 1); run 3 settled it as unverifiable.
    assert statuses == [1, 1, 0], statuses
    assert (outcome, attempts) == ("unverifiable", 3) and "digest" in reason
    assert "1 unverifiable" in result.stdout
    # A fourth run fetches nothing: the capture is settled.
    proxy.log.clear()
    assert backfill(proxy.base_url, db).returncode == 0
    assert not proxy.seen("replay")
