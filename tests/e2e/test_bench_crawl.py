"""Smoke test of the crawl benchmark (bench/crawl.py): --quick, this crawler only (the peers' venv is not
needed, so CI never installs them). It must print the comparison table, the targets and the scale series."""

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_quick_benchmark_prints_the_comparison_and_the_scale_series():
    result = subprocess.run([sys.executable, "bench/crawl.py", "--quick", "--no-peers"], cwd=ROOT,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    for expected in ("tool", "CDX", "replay", "429s", "peak MB", "requests/LB", "lower bound",
                     "crawler@80%", "Targets for crawler:", "zero 429s: 0 -> met", "Scale series"):
        assert expected in out, f"{expected!r} missing from:\n{out}"
    # The crawler finds exactly the versions the simulated archive holds.
    assert "the versions the archive holds, each once: 20/20 -> met" in out
    # ...with no more requests than the fewest any client needs (redirects within the URL not re-read).
    targets = out[out.index("Targets for crawler:"):out.index("Targets for crawler@80%")]
    assert "requests within 5% of the lower bound" in targets and "(CDX 1.00, replay 1.00) -> met" in targets
    table = out[out.index("lower bound"):out.index("Targets for")]
    assert "waybackpy" not in table
    # The volatile scenario: bisection finds every version at its exact first capture within 1.3x the bound.
    volatile = out[out.index("Volatile scenario"):out.index("Bare-domain scenario")]
    assert "crawler --read bisect" in volatile and "Target: bisect finds every version (8/8) at its exact first capture (8/8)" in volatile
    assert "-> met" in volatile
    bare = out[out.index("Bare-domain scenario"):out.index("Scale series")]
    assert "CDX/vendor" in bare and "vendors/day CDX-bound" in bare
    # One CDX request per vendor (the era's URL listed from the discovery query's rows); home pages bisected.
    assert "costs at most 1.4 CDX requests per vendor: 1.00 -> met" in bare, bare
    assert re.search(r"home-page replays at most a third .*-> met", bare), bare
    found, held = re.search(r"crawler .* (\d+)/(\d+)\n", bare).groups()
    assert found == held, bare


def test_benchmarks_have_help_with_an_example():
    for script in ("bench/crawl.py", "bench/extraction.py"):
        result = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "python bench/" in result.stdout
