"""Item 8: several runs from one machine share the archive's per-address budget. Two backfills on two
databases at once, against the local archive with its limits enforced: together they stay under the
limits (no 429), each ends as a clean run would."""

import os
import subprocess
import sys

from crawler.localarchive import ArchiveIndex, CaptureSpec, LocalArchive
from crawler.shared_budget import SharedArchiveBudget
from tests.conftest import ROOT
from tests.faults.conftest import POLICY_URL, canonical
from tests.samples import KERIO_A, KERIO_B, policy_page

CAPTURES = 150


def many_captures() -> ArchiveIndex:
    """150 captures, each in its own bytes (so each is replayed), holding two texts."""
    return ArchiveIndex.from_specs([
        CaptureSpec(POLICY_URL, f"{2000 + i // 12:04d}{i % 12 + 1:02d}15120000",
                    policy_page(KERIO_A if i < CAPTURES // 2 else KERIO_B, "20000101000000", i))
        for i in range(CAPTURES)])

# The archive allows 40 replays in any 1 s window (40/min at time scale 60); each run asks 30/s, so two
# runs that do not share their budget send 60/s and are answered 429.
# every-digest: every capture's bytes differ here, and the test wants every one of them replayed.
RATES = ["--cdx-per-minute", "600", "--replays-per-second", "30", "--pause-after-429", "1", "--read", "every-digest"]


def run_two_at_once(archive, tmp_path, env):
    processes = [
        subprocess.Popen([sys.executable, "-m", "crawler", "backfill", "kerio.com", "--policy-url", POLICY_URL,
                          "--db", str(tmp_path / f"run{i}.db"), "--archive", archive.base_url, *RATES],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for i in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append((process.returncode, out, err))
    return results


def test_two_runs_at_once_share_the_budget_and_get_no_429(tmp_path):
    env = {**os.environ, "POLICY_BUDGET_DIR": str(tmp_path / "budget")}
    with LocalArchive(many_captures(), cdx_per_minute=600, replay_per_minute=40, time_scale=60) as served:
        results = run_two_at_once(served, tmp_path, env)
        counters = served.counters
    for code, out, err in results:
        assert code == 0, out + err
    assert counters.get("rate_limited", 0) == 0, counters
    assert counters["replay"] >= 2 * CAPTURES
    first, second = (canonical(tmp_path / f"run{i}.db") for i in range(2))
    assert first == second and len(first["captures"]) == CAPTURES and len(first["versions"]) == 2


def test_the_shared_budget_spaces_turns_across_instances(tmp_path):
    one = SharedArchiveBudget({"replay": 0.1}, tmp_path)
    other = SharedArchiveBudget({"replay": 0.1}, tmp_path)
    waits = [budget.reserve("replay", "web.archive.org") for budget in (one, other, one, other)]
    assert [round(w, 1) for w in waits] == [0.0, 0.1, 0.2, 0.3]
    other.pause("web.archive.org", 5)
    assert one.pause_left("web.archive.org") > 4.5
    assert one.reserve("replay", "web.archive.org") > 4.5
    # Another archive is not paused.
    assert one.reserve("replay", "127.0.0.1:8080") < 0.05
