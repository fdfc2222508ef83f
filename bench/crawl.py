"""Crawl benchmark: this crawler against what a user would otherwise write, on the same work, in one run.

    python bench/crawl.py                       # comparison on 12 vendors + scale series 10,100,1000 (~13 min)
    python bench/crawl.py --quick --no-peers    # smoke run of this crawler alone (< 1 min)
    python bench/crawl.py --vendors 50 --time-scale 4 --scale-series 10,100 --only crawler,wayback

The work: simulated vendors (bench/histories.py: hundreds of captures per policy over years, few distinct
texts, revisits, http -> https redirects, moves by redirect) served by the local archive
(crawler.localarchive) with archive.org's limits enforced (CDX 30/min, replay 600/min per client, 429
past them, a block for a client that keeps going), everything in time divided by --time-scale: the
limits' window, the block, each tool's own waits, and a simulated service latency (--cdx-latency,
--replay-latency: archive.org takes about a second to answer a CDX query and half a second to replay a
capture; a client that waits for each answer before the next is bound by that, not by the limits).
Ratios do not depend on the scale as long as no tool is CPU-bound (compare the CPU and active columns);
"active" is the time from the first request the archive saw to its last answer, so it leaves out the
process's start-up (imports), which the scale does not shrink: ~1 s, 1% of a real-time run here, but
6 s of real time at scale 6.

Each tool does the same job (list captures, fetch the needed ones, extract, store distinct versions)
in a fresh process against a fresh archive (empty rate-limit windows):
  crawler        python -m crawler backfill at its default rates (29 CDX a minute, replays at 95%)
  crawler@80%    the same at 80% of the limits, the `wayback` client's margin
  waybackpy      bench/peers/waybackpy_peer.py      } installed in bench/.venv-peers
  wayback        bench/peers/wayback_peer.py        } (bench/requirements-peers.txt),
  scrapy-wbm     bench/peers/scrapy_wbm_peer.py     } created by this script on first use

Figures: CDX and replay requests and 429s as the archive logged them; wall time of the process; its
peak RSS and CPU time (wait4 rusage); versions found, checked against the texts the generator put
there (each text names its revision: extraction differences cannot hide a match); the ratio to the
lower bound: requests / (one CDX page per policy URL + one replay per distinct digest), and wall time /
the time the enforced limits allow for that lower bound (max of CDX/limit and replays/limit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from crawler.localarchive import ArchiveIndex, LocalArchive  # noqa: E402
from histories import Vendor, all_specs, revision_of, vendors, volatile_vendor, volatile_vendors, with_home_pages  # noqa: E402
from crawler.reading import bisection_bound  # noqa: E402

CDX_LIMIT, REPLAY_LIMIT = 30, 600  # archive.org's, per minute per client
DEFAULT_RATE = 0.95  # the crawler's own defaults: 29 CDX a minute, replays at 95% of the limit (crawler/settings.py)
PEERS_VENV = BENCH / ".venv-peers"
PEERS_REQUIREMENTS = BENCH / "requirements-peers.txt"
PEER_SCRIPTS = {
    "waybackpy": BENCH / "peers" / "waybackpy_peer.py",
    "wayback": BENCH / "peers" / "wayback_peer.py",
    "scrapy-wbm": BENCH / "peers" / "scrapy_wbm_peer.py",
}
TOOLS = ["crawler", "crawler@80%", *PEER_SCRIPTS]

# Targets for this crawler (from the issue).
TARGET_REQUESTS = 1.05  # requests within 5% of the lower bound
TARGET_WALL = 1.10  # wall time within 10% of the time the limits allow
TARGET_MEMORY = 1.20  # peak memory from 100 to 1,000 vendors


# --- The archive ---------------------------------------------------------------------------------


class SimulatedArchive(LocalArchive):
    """The local archive, plus a service time per answer (scaled like everything else). The pause comes
    after the rate limiter has counted the request and before the answer leaves; 429s are immediate."""

    def __init__(self, index: ArchiveIndex, *, cdx_latency: float, replay_latency: float, time_scale: float, **kwargs):
        super().__init__(index, time_scale=time_scale, **kwargs)
        self._latency = {"cdx": cdx_latency / time_scale, "replay": replay_latency / time_scale}
        self.first_arrival: float | None = None

    def _handle(self, handler) -> None:
        if self.first_arrival is None and not handler.path.startswith("/__archive__/"):
            self.first_arrival = time.monotonic()
        super()._handle(handler)

    @property
    def active(self) -> float:
        """Seconds from the first request's arrival to the last answer: the crawl without the process's
        start and end (imports, opening the database), which the time scale does not shrink."""
        log = self.requests
        return max(r.time for r in log) - self.first_arrival if log and self.first_arrival is not None else 0.0

    def _send(self, handler, status, body, headers, reason=None):
        delay = self._latency.get(getattr(handler, "log_kind", None) or "", 0.0)
        if delay and status != 429:
            time.sleep(delay)
        return super()._send(handler, status, body, headers, reason)


# --- Running one tool ----------------------------------------------------------------------------


@dataclass
class Run:
    tool: str
    wall: float = 0.0
    active: float = 0.0
    peak_mb: float = 0.0
    cpu: float = 0.0
    exit_code: int | None = None
    timed_out: bool = False
    cdx: int = 0
    replay: int = 0
    rate_limited: int = 0
    blocked: int = 0
    versions: list[tuple[str, str]] = field(default_factory=list)  # (domain, text)
    first_dates: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, text, first timestamp)
    log: list = field(default_factory=list)  # the archive's request log
    errors: int = 0
    db_bytes: int = 0
    note: str = ""


def measure(cmd: list[str], *, cwd: Path, env: dict, timeout: float, log: Path) -> tuple[float, float, float, int, bool]:
    """Runs cmd through bench/_measure.py: (wall s, peak RSS MB, CPU s, exit code, timed out). The
    launcher and cmd are a process group of their own, killed together on timeout."""
    result = log.with_suffix(".measure.json")
    result.unlink(missing_ok=True)
    started = time.monotonic()
    with open(log, "wb") as out:
        launcher = subprocess.Popen([sys.executable, str(BENCH / "_measure.py"), str(result), *cmd], cwd=cwd, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            launcher.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
            timed_out = True
    if result.exists():
        figures = json.loads(result.read_text())
        return figures["wall"], figures["peak_kb"] / 1024, figures["cpu"], figures["exit"], timed_out
    return time.monotonic() - started, 0.0, 0.0, launcher.returncode, timed_out


def crawler_rates(time_scale: float, fraction: float) -> list[str]:
    # The crawler's own default is one CDX request under the limit a minute (29), replays at 95%.
    cdx = CDX_LIMIT - 1 if fraction >= DEFAULT_RATE else CDX_LIMIT * fraction
    return [
        "--cdx-per-minute", f"{cdx * time_scale:g}",
        "--replays-per-second", f"{REPLAY_LIMIT / 60 * fraction * time_scale:g}",
        "--pause-after-429", f"{60 / time_scale:g}",
    ]


def run_tool(tool: str, vendor_list: list[Vendor], index: ArchiveIndex, args, workdir: Path, timeout: float,
             read: str | None = None, bare: bool = False) -> Run:
    """One tool on the work. For the crawler, `read` is its --read mode and `bare` gives it the
    domains only (discovery finds the policy URLs)."""
    run = Run(tool if not read else f"{tool} --read {read}")
    archive = SimulatedArchive(index, cdx_latency=args.cdx_latency, replay_latency=args.replay_latency,
                               time_scale=args.time_scale, cdx_per_minute=CDX_LIMIT, replay_per_minute=REPLAY_LIMIT)
    archive.start()
    slug = run.tool.replace("@", "-").replace("%", "").replace(" --read ", "-").replace(":", "")
    db = workdir / f"{slug}.db"
    log = workdir / f"{slug}.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "POLICY_PROGRESS_INTERVAL": "0"}
    try:
        if tool.startswith("crawler"):
            fraction = 0.80 if tool == "crawler@80%" else args.crawler_rate
            cmd = [sys.executable, "-m", "crawler", "backfill", *[v.domain for v in vendor_list]]
            for v in vendor_list if not bare else ():
                cmd += ["--policy-url", v.policy_url]
            if read:
                cmd += ["--read", read]
            cmd += ["--db", str(db), "--archive", archive.base_url, *crawler_rates(args.time_scale, fraction)]
            run.wall, run.peak_mb, run.cpu, run.exit_code, run.timed_out = measure(cmd, cwd=ROOT, env=env, timeout=timeout, log=log)
            if db.exists():
                con = sqlite3.connect(db)
                # A vendor's versions as its timeline numbers them (the `changes` view): one a text, whatever
                # policy URL it was read at (a text read through /privacy's redirect and at /legal/privacy
                # is one version of the vendor, held by two policy URLs).
                run.first_dates = con.execute("select domain, markdown, min(first_timestamp) from versions "
                                              "group by domain, text_hash").fetchall()
                run.versions = [(d, t) for d, t, _ in run.first_dates]
                run.errors = con.execute("select count(*) from captures where outcome in ('failed', 'not_memento', 'redirect_loop')").fetchone()[0]
                con.close()
        else:
            targets = workdir / "targets.json"
            targets.write_text(json.dumps([[v.domain, v.policy_url] for v in vendor_list]))
            out = workdir / f"{slug}.json"
            cmd = [str(PEERS_VENV / "bin" / "python"), str(PEER_SCRIPTS[tool]), "--targets", str(targets),
                   "--archive", archive.base_url, "--db", str(db), "--out", str(out), "--time-scale", f"{args.time_scale:g}"]
            run.wall, run.peak_mb, run.cpu, run.exit_code, run.timed_out = measure(cmd, cwd=BENCH / "peers", env=env, timeout=timeout, log=log)
            if out.exists():
                result = json.loads(out.read_text())
                run.versions = [(v["domain"], v["text"]) for v in result["versions"]]
                run.first_dates = [(v["domain"], v["text"], v.get("first_timestamp") or "") for v in result["versions"]]
                run.errors = len(result["errors"])
            elif db.exists():  # killed before its end: what it had stored
                con = sqlite3.connect(db)
                run.versions = con.execute("select domain, text from versions").fetchall()
                con.close()
        run.db_bytes = sum(p.stat().st_size for p in workdir.glob(db.name + "*"))
    finally:
        archive.stop()
    counters = archive.counters
    run.log = archive.requests
    run.active = archive.active
    run.cdx, run.replay = counters.get("cdx", 0), counters.get("replay", 0)
    run.rate_limited, run.blocked = counters.get("rate_limited", 0), counters.get("blocked", 0)
    if run.timed_out:
        run.note = f"killed after {timeout:.0f} s"
    elif run.exit_code not in (0, None):
        run.note = f"exit {run.exit_code}: " + last_line(log)
    return run


def last_line(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1][:100] if lines else ""


# --- Peers' environment --------------------------------------------------------------------------


def ensure_peers_venv(quiet: bool = False) -> str | None:
    """Creates bench/.venv-peers from bench/requirements-peers.txt (again when that file changes).
    Returns None when ready, else why not."""
    stamp = PEERS_VENV / ".requirements-sha1"
    wanted = hashlib.sha1(PEERS_REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and (PEERS_VENV / "bin" / "python").exists():
        return None
    print(f"setting up the peers' environment in {PEERS_VENV.relative_to(ROOT)} (pip install -r "
          f"{PEERS_REQUIREMENTS.relative_to(ROOT)}; once) ...", flush=True)
    python = shutil.which("python3") or sys.executable
    steps = [[python, "-m", "venv", str(PEERS_VENV)],
             [str(PEERS_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r", str(PEERS_REQUIREMENTS)]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            return f"{' '.join(step[:3])}... failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    stamp.write_text(wanted)
    return None


# --- Figures -------------------------------------------------------------------------------------


@dataclass
class Bound:
    cdx: int
    replay: int
    allowed: float  # seconds (scaled) the limits allow for the lower bound

    @property
    def requests(self) -> int:
        return self.cdx + self.replay


def lower_bound(vendor_list: list[Vendor], time_scale: float) -> Bound:
    cdx = sum(v.lower_bound()[0] for v in vendor_list)
    replay = sum(v.lower_bound()[1] for v in vendor_list)
    allowed = max(cdx / (CDX_LIMIT * time_scale / 60), replay / (REPLAY_LIMIT * time_scale / 60))
    return Bound(cdx, replay, allowed)


@dataclass
class Check:
    stored: int
    found: int
    missing: list[tuple[str, int]]
    duplicates: int  # extra stored texts of a revision already found (extraction kept boilerplate apart)
    unrecognised: int

    @property
    def exact(self) -> bool:
        return not self.missing and not self.duplicates and not self.unrecognised


def check_versions(run: Run, vendor_list: list[Vendor]) -> Check:
    truth = {(v.domain, r) for v in vendor_list for r in v.truth}
    labels = Counter()
    unrecognised = 0
    for domain, text in run.versions:
        label = revision_of(text or "")
        if label is None or label[0] != domain:
            unrecognised += 1
        else:
            labels[label] += 1
    found = set(labels) & truth
    unrecognised += sum(n for label, n in labels.items() if label not in truth)
    duplicates = sum(n - 1 for label, n in labels.items() if label in truth)
    return Check(len(run.versions), len(found), sorted(truth - found), duplicates, unrecognised)


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def comparison_table(runs: list[Run], vendor_list: list[Vendor], bound: Bound) -> list[str]:
    truth = sum(len(v.truth) for v in vendor_list)
    head = ["tool", "CDX", "replay", "429s", "blocked", "wall s", "active s", "peak MB", "CPU s", "versions", "requests/LB",
            "wall/allowed", "active/allowed"]
    rows = [["lower bound", str(bound.cdx), str(bound.replay), "0", "0", "", f"{bound.allowed:.1f}", "", "", f"{truth}", "1.00", "", "1.00"]]
    for run in runs:
        check = check_versions(run, vendor_list)
        versions = f"{check.found}/{truth}" + ("" if check.exact else "*")
        rows.append([run.tool, str(run.cdx), str(run.replay), str(run.rate_limited), str(run.blocked), f"{run.wall:.1f}",
                     f"{run.active:.1f}", f"{run.peak_mb:.0f}", f"{run.cpu:.1f}", versions,
                     f"{(run.cdx + run.replay) / bound.requests:.2f}", f"{run.wall / bound.allowed:.2f}",
                     f"{run.active / bound.allowed:.2f}"])
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    notes = []
    for run in runs:
        check = check_versions(run, vendor_list)
        parts = []
        if check.missing:
            shown = ", ".join(f"{d} r{r}" for d, r in check.missing[:4]) + (" ..." if len(check.missing) > 4 else "")
            parts.append(f"{len(check.missing)} versions missing ({shown})")
        if check.duplicates:
            parts.append(f"{check.duplicates} extra copies of versions already found (stored {check.stored} texts)")
        if check.unrecognised:
            parts.append(f"{check.unrecognised} texts that are no policy version")
        if run.errors:
            parts.append(f"{run.errors} captures/requests it reported as failed")
        if run.note:
            parts.append(run.note)
        if parts:
            notes.append(f"  {run.tool}: " + "; ".join(parts))
    if notes:
        lines += ["", "* versions differ from what the archive holds, or other trouble:"] + notes
    else:
        lines += ["", "All tools found the same versions: exactly the ones the archive holds."]
    return lines


# --- Main ----------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python bench/crawl.py",
        description="Benchmark this crawler against waybackpy, wayback and scrapy-wayback-machine on the local "
        "archive with archive.org's limits enforced, then a scale series of this crawler alone.",
        epilog="example:\n  python bench/crawl.py\n  python bench/crawl.py --quick --no-peers\n"
        "  python bench/crawl.py --vendors 40 --time-scale 3 --scale-series 10,100 --only crawler,wayback",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--vendors", type=int, default=12, help="vendors in the comparison (default: %(default)s)")
    parser.add_argument("--time-scale", type=float, default=6.0,
                        help="the comparison runs this many times faster than real time (default: %(default)s)")
    parser.add_argument("--scale-series", default="10,100,1000", metavar="N,N,...",
                        help="vendor counts of the scale series, '' for none (default: %(default)s)")
    parser.add_argument("--series-time-scale", type=float, default=8.0,
                        help="time scale of the scale series (default: %(default)s)")
    parser.add_argument("--crawler-rate", type=float, default=DEFAULT_RATE,
                        help="share of the limits for the 'crawler' row (default: %(default)s, the crawler's own default)")
    parser.add_argument("--cdx-latency", type=float, default=1.0, help="seconds to answer a CDX query, unscaled (default: %(default)s)")
    parser.add_argument("--replay-latency", type=float, default=0.5, help="seconds to answer a replay, unscaled (default: %(default)s)")
    parser.add_argument("--only", default=",".join(TOOLS), help=f"tools to run, comma-separated (default: all: {','.join(TOOLS)})".replace("%", "%%"))
    parser.add_argument("--no-peers", action="store_true", help="only this crawler (no peers' venv needed)")
    parser.add_argument("--peer-timeout", type=float, default=None,
                        help="kill a tool after this many seconds (default: 100x the allowed time + 120)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated histories (default: %(default)s)")
    parser.add_argument("--volatile-vendors", type=int, default=6,
                        help="vendors of the volatile scenario, 0 for none (default: %(default)s; every third has thousands of captures)")
    parser.add_argument("--bare-vendors", type=int, default=12, help="vendors of the bare-domain scenario, 0 for none (default: %(default)s)")
    parser.add_argument("--bare-large", type=int, default=2, metavar="N",
                        help="large vendors added to the bare-domain scenario: a volatile policy page with thousands of "
                        "captures (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 4 vendors, series 3,12, time scale 10, "
                        "2 volatile vendors (200, 400 captures; bisect only), 2 bare domains")
    parser.add_argument("--keep", metavar="DIR", help="keep databases and logs in DIR")
    args = parser.parse_args(argv)
    if args.quick:
        args.vendors, args.time_scale, args.series_time_scale = 4, 10.0, 10.0
        if args.volatile_vendors == parser.get_default("volatile_vendors"):
            args.volatile_vendors = 2
        if args.bare_vendors == parser.get_default("bare_vendors"):
            args.bare_vendors = 2
        if args.bare_large == parser.get_default("bare_large"):
            args.bare_large = 1
        if args.scale_series == parser.get_default("scale_series"):
            args.scale_series = "3,12"
    tools = [t.strip() for t in args.only.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        parser.error(f"unknown tool(s) {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    if args.no_peers:
        tools = [t for t in tools if t.startswith("crawler")]
    args.tools = tools
    try:
        args.series = [int(n) for n in args.scale_series.split(",") if n.strip()]
    except ValueError:
        parser.error("--scale-series takes vendor counts, e.g. 10,100,1000")
    if args.time_scale <= 0 or args.series_time_scale <= 0 or args.vendors < 1:
        parser.error("--vendors and the time scales must be positive")
    return args


def describe(vendor_list: list[Vendor]) -> str:
    captures = sum(v.stats["captures"] for v in vendor_list)
    revisits = sum(1 for row in ArchiveIndex.from_specs(all_specs(vendor_list)).rows if row.is_revisit)
    return (f"{len(vendor_list)} vendors, {captures} captures of their policy URLs "
            f"({captures / len(vendor_list):.0f} per vendor), {sum(len(v.truth) for v in vendor_list)} distinct texts, "
            f"{revisits} revisit records, {sum(v.stats['http_redirects'] for v in vendor_list)} http->https redirects, "
            f"{sum(v.stats['moved'] for v in vendor_list)} policies moved by redirect, "
            f"{sum(v.stats['rollback'] for v in vendor_list)} rollbacks A->B->A")


def main(argv=None) -> int:
    args = parse_args(argv)
    workroot = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    workroot.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"Crawl benchmark: archive.org's limits (CDX {CDX_LIMIT}/min, replay {REPLAY_LIMIT}/min, 429 past them) at time "
          f"scale {args.time_scale:g}; service latency CDX {args.cdx_latency:g} s, replay {args.replay_latency:g} s (unscaled)")
    peers_problem = None
    if any(t in PEER_SCRIPTS for t in args.tools):
        peers_problem = ensure_peers_venv()
        if peers_problem:
            print(f"peers skipped: {peers_problem}")
            args.tools = [t for t in args.tools if t not in PEER_SCRIPTS]

    exit_code = 0
    if args.tools:
        vendor_list = vendors(args.vendors, args.seed)
        index = ArchiveIndex.from_specs(all_specs(vendor_list))
        bound = lower_bound(vendor_list, args.time_scale)
        print(f"Work: {describe(vendor_list)}.")
        print(f"Lower bound: {bound.cdx} CDX + {bound.replay} replays; the limits allow it in {bound.allowed:.1f} s "
              f"at this scale ({bound.allowed * args.time_scale / 60:.1f} min in real time).\n")
        timeout = args.peer_timeout or (100 * bound.allowed + 120)
        runs = []
        for tool in args.tools:
            workdir = workroot / "comparison"
            workdir.mkdir(exist_ok=True)
            print(f"  running {tool} ...", end="", flush=True)
            run = run_tool(tool, vendor_list, index, args, workdir, timeout)
            print(f" {run.wall:.1f} s", flush=True)
            runs.append(run)
        print()
        print("\n".join(comparison_table(runs, vendor_list, bound)))
        print()
        for run in runs:
            if run.tool.startswith("crawler"):
                exit_code |= report_targets(run, vendor_list, bound)
    if args.volatile_vendors > 0:
        exit_code |= volatile_scenario(args, workroot)
    if args.bare_vendors > 0:
        exit_code |= bare_domain_scenario(args, workroot)
    if args.series:
        exit_code |= scale_series(args, workroot)
    print(f"\nbenchmark done in {time.monotonic() - started:.0f} s" + (f"; files in {workroot}" if args.keep else ""))
    if not args.keep:
        shutil.rmtree(workroot, ignore_errors=True)
    return 0


def report_targets(run: Run, vendor_list: list[Vendor], bound: Bound) -> int:
    check = check_versions(run, vendor_list)
    requests = (run.cdx + run.replay) / bound.requests
    active = run.active / bound.allowed
    print(f"Targets for {run.tool}:")
    print(f"  zero 429s: {run.rate_limited} -> {mark(run.rate_limited == 0)}")
    print(f"  requests within 5% of the lower bound: {run.cdx + run.replay} / {bound.requests} = {requests:.2f} "
          f"(CDX {run.cdx / bound.cdx:.2f}, replay {run.replay / bound.replay:.2f}) -> {mark(requests <= TARGET_REQUESTS)}")
    print(f"  time within 10% of what the limits allow: active {run.active:.1f} s / {bound.allowed:.1f} s = {active:.2f} "
          f"-> {mark(active <= TARGET_WALL)}  (wall {run.wall:.1f} s: + {run.wall - run.active:.1f} s of start-up and "
          f"shutdown, which the time scale does not shrink)")
    print(f"  the versions the archive holds, each once: {check.found}/{check.found + len(check.missing)}"
          f"{', ' + str(check.duplicates) + ' duplicates' if check.duplicates else ''} -> {mark(check.exact)}")
    return 0


READ_MODES = ["every-digest", "bisect", "sample:6M", "auto"]
TARGET_BISECT = 1.3  # bisect's replays within 1.3x of (K+1)·⌈log2 n⌉ summed over URLs
TARGET_CDX_PER_VENDOR = 1.4  # a full backfill from bare domains, discovery included
DAY = 24 * 60


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]


def first_date_check(run: Run, vendor_list: list[Vendor]) -> tuple[int, int, float]:
    """(versions found, of those with their exact first capture, worst lag in days) against each
    revision's first capture in the archive (`stats["firsts"]`)."""
    from datetime import datetime

    firsts = {(v.domain, r): ts for v in vendor_list for r, ts in v.stats["firsts"].items()}
    seen: dict[tuple[str, int], str] = {}
    for domain, text, first in run.first_dates:
        label = revision_of(text or "")
        if label and label[0] == domain and label in firsts:
            seen[label] = min(seen.get(label, first or "99999999999999"), first or "99999999999999")
    exact = sum(1 for label, ts in seen.items() if ts == firsts[label])
    parse = lambda ts: datetime.strptime(ts[:14].ljust(14, "0"), "%Y%m%d%H%M%S")  # noqa: E731
    lag = max([(parse(ts) - parse(firsts[label])).total_seconds() / 86400 for label, ts in seen.items()] or [0.0])
    return len(seen), exact, lag


def per_day(cdx_per_vendor: float, replays_per_vendor: float) -> tuple[float, float]:
    """Vendors a day one address can do at archive.org's limits: (CDX-bound, replay-bound)."""
    return (CDX_LIMIT * DAY / cdx_per_vendor if cdx_per_vendor else float("inf"),
            REPLAY_LIMIT * DAY / replays_per_vendor if replays_per_vendor else float("inf"))


def volatile_scenario(args, workroot: Path) -> int:
    """Every capture's bytes unique, K text changes per URL: each read mode (and each peer) against the
    bisection bound (K+1)·⌈log2 n⌉ per URL, versions found, first dates against the exact ones."""
    sizes = [200, 400] if args.quick else None
    vendor_list = volatile_vendors(args.volatile_vendors, args.seed, sizes)
    index = ArchiveIndex.from_specs(all_specs(vendor_list))
    captures = sum(v.stats["captures"] for v in vendor_list)
    bound = sum(bisection_bound(v.stats["captures"], v.stats["changes"]) for v in vendor_list)
    truth = sum(len(v.truth) for v in vendor_list)
    print(f"Volatile scenario: {len(vendor_list)} vendors, {captures} captures whose bytes all differ (a nonce in <head>; "
          f"{', '.join(str(v.stats['captures']) for v in vendor_list)} per vendor), {truth} texts, K = 3 changes each; "
          f"bisection bound (K+1)*ceil(log2 n) summed over URLs: {bound} replays")
    workdir = workroot / "volatile"
    workdir.mkdir(exist_ok=True)
    # --quick runs bisect alone here: every-digest replays every capture (which is the point, and slow).
    modes = ["bisect"] if args.quick else READ_MODES
    tools = [("crawler", mode) for mode in modes] + [(t, None) for t in args.tools if t in PEER_SCRIPTS]
    runs = []
    for tool, mode in tools:
        label = f"{tool} --read {mode}" if mode else tool
        print(f"  running {label} ...", end="", flush=True)
        run = run_tool(tool, vendor_list, index, args, workdir, timeout=args.peer_timeout or 1800, read=mode)
        print(f" {run.wall:.1f} s", flush=True)
        runs.append(run)
    rows = []
    for run in runs:
        found, exact, lag = first_date_check(run, vendor_list)
        rows.append([run.tool, str(run.cdx), str(run.replay), str(run.rate_limited), f"{run.active:.1f}",
                     f"{run.replay / bound:.2f}", f"{found}/{truth}", f"{exact}/{found}", f"{lag:.0f}",
                     f"{len(vendor_list) and per_day(run.cdx / len(vendor_list), run.replay / len(vendor_list))[1]:,.0f}"])
    print("\n".join([""] + _table(["tool", "CDX", "replay", "429s", "active s", "replay/bound", "versions",
                                     "exact first", "worst lag d", "vendors/day (replay-bound)"], rows)))
    bisect = next(r for r in runs if r.tool == "crawler --read bisect")
    found, exact, _ = first_date_check(bisect, vendor_list)
    ratio = bisect.replay / bound
    ok = found == truth and exact == truth and ratio <= TARGET_BISECT and bisect.rate_limited == 0
    print(f"Target: bisect finds every version ({found}/{truth}) at its exact first capture ({exact}/{truth}), replays "
          f"{bisect.replay} within {TARGET_BISECT}x of the bound {bound} (x{ratio:.2f}), 0 answers 429 "
          f"({bisect.rate_limited}) -> {mark(ok)}")
    cdx_day, replay_day = per_day(bisect.cdx / len(vendor_list), bisect.replay / len(vendor_list))
    print(f"  one address, bisect on this mix: {cdx_day:,.0f} vendors/day CDX-bound, {replay_day:,.0f} replay-bound "
          f"-> {min(cdx_day, replay_day):,.0f} a day\n")
    return 0


def _is_home_replay(request, vendor_list: list[Vendor]) -> bool:
    import re

    match = re.match(r"/web/\d{14}id_/(.+)$", request.path)
    if not match:
        return False
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(unquote(match.group(1)))
    return parts.path in ("", "/") and any(parts.hostname and parts.hostname.endswith(v.domain) for v in vendor_list)


def sampled_home_pages(index: ArchiveIndex, vendor_list: list[Vendor]) -> int:
    """The home-page replays of the discovery before bisection: two a year over the home page's captures."""
    from crawler.discovery.home_pages import plan_home_page_fetches
    from crawler.wayback import CdxRow

    rows = [CdxRow(*r[:6], None) for r in index.rows]
    return sum(len(plan_home_page_fetches(v.domain, rows)) for v in vendor_list)


def bare_domain_scenario(args, workroot: Path) -> int:
    """The comparison's vendors given as bare domains, with their archived home pages: discovery (one
    domain-wide CDX query, home pages read for the policy link), then the backfill."""
    vendor_list = [with_home_pages(v, args.seed) for v in vendors(args.bare_vendors, args.seed)]
    # Large sites too: a policy page whose every capture is new (a nonce), thousands of them; numbered
    # apart from the others so that the domains differ.
    large = [1000] if args.quick else [3000, 5000]
    vendor_list += [with_home_pages(volatile_vendor(900 + n, args.seed, large[n % len(large)]), args.seed)
                    for n in range(args.bare_large)]
    index = ArchiveIndex.from_specs(all_specs(vendor_list))
    truth = sum(len(v.truth) for v in vendor_list)
    home = sum(v.stats["home_pages"] for v in vendor_list)
    captures = [v.stats["captures"] for v in vendor_list]
    print(f"Bare-domain scenario: {len(vendor_list)} vendors given by domain only ({sum(captures)} policy captures, "
          f"{min(captures)} to {max(captures)} per vendor); {home} home page captures ({home / len(vendor_list):.0f} per "
          f"vendor) link to the policy URL of the time")
    workdir = workroot / "bare"
    workdir.mkdir(exist_ok=True)
    print("  running crawler (bare domains) ...", end="", flush=True)
    run = run_tool("crawler", vendor_list, index, args, workdir, timeout=args.peer_timeout or 1800, bare=True)
    print(f" {run.wall:.1f} s", flush=True)
    check = check_versions(run, vendor_list)
    discovery = sum(1 for r in run.log if r.kind == "cdx" and "matchType=domain" in r.path)
    home_replays = sum(1 for r in run.log if r.kind == "replay" and _is_home_replay(r, vendor_list))
    n = len(vendor_list)
    rows = [["crawler", str(run.cdx), str(discovery), str(run.cdx - discovery), f"{run.cdx / n:.2f}", str(run.replay),
             str(home_replays), str(run.rate_limited), f"{run.active:.1f}", f"{check.found}/{truth}" + ("" if check.exact else "*")]]
    print("\n".join([""] + _table(["tool", "CDX", "discovery", "listings", "CDX/vendor", "replay", "home pages", "429s",
                                     "active s", "versions"], rows)))
    if run.note:
        print(f"  {run.note}")
    per_vendor = run.cdx / n
    print(f"Target: a full backfill from bare domains costs at most {TARGET_CDX_PER_VENDOR} CDX requests per vendor: "
          f"{per_vendor:.2f} -> {mark(per_vendor <= TARGET_CDX_PER_VENDOR)}; 429s: {run.rate_limited}")
    sampled = sampled_home_pages(index, vendor_list)
    print(f"Target: home-page replays at most a third of reading the home page twice a year ({sampled} here): "
          f"{home_replays} = {home_replays / max(sampled, 1):.2f}x -> {mark(3 * home_replays <= sampled)}")
    cdx_day, replay_day = per_day(per_vendor, run.replay / n)
    print(f"  one address, bare domains: {cdx_day:,.0f} vendors/day CDX-bound, {replay_day:,.0f} replay-bound "
          f"-> {min(cdx_day, replay_day):,.0f} a day\n")
    return 0


def scale_series(args, workroot: Path) -> int:
    print(f"Scale series (this crawler at its default rates, time scale {args.series_time_scale:g}):")
    head = ["vendors", "captures", "CDX", "replay", "429s", "wall s", "active s", "allowed s", "active/allowed", "CPU s", "peak MB",
            "db MB", "versions"]
    rows, results = [], {}
    series_args = argparse.Namespace(**{**vars(args), "time_scale": args.series_time_scale})
    for count in args.series:
        vendor_list = vendors(count, args.seed)
        index = ArchiveIndex.from_specs(all_specs(vendor_list))
        bound = lower_bound(vendor_list, args.series_time_scale)
        workdir = workroot / f"series-{count}"
        workdir.mkdir(exist_ok=True)
        print(f"  running {count} vendors ...", end="", flush=True)
        run = run_tool("crawler", vendor_list, index, series_args, workdir, timeout=12 * bound.allowed + 120)
        print(f" {run.wall:.1f} s", flush=True)
        check = check_versions(run, vendor_list)
        results[count] = run
        rows.append([str(count), str(sum(v.stats["captures"] for v in vendor_list)), str(run.cdx), str(run.replay),
                     str(run.rate_limited), f"{run.wall:.1f}", f"{run.active:.1f}", f"{bound.allowed:.1f}",
                     f"{run.active / bound.allowed:.2f}",
                     f"{run.cpu:.1f}", f"{run.peak_mb:.0f}", f"{run.db_bytes / 2**20:.1f}",
                     f"{check.found}/{check.found + len(check.missing)}" + ("" if check.exact else "*")])
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.rjust(w) for c, w in zip(r, widths))  # noqa: E731
    print("\n".join(["", fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]))
    counts = sorted(results)
    for small, big in zip(counts, counts[1:]):
        a, b = results[small], results[big]
        print(f"  {small} -> {big} vendors (x{big / small:g}): wall x{b.wall / a.wall:.1f}, peak memory x{b.peak_mb / a.peak_mb:.2f}, "
              f"database x{b.db_bytes / max(a.db_bytes, 1):.1f}")
    if 100 in results and 1000 in results:
        growth = results[1000].peak_mb / results[100].peak_mb
        print(f"Target: peak memory flat (within 20%) from 100 to 1,000 vendors: {results[100].peak_mb:.0f} MB -> "
              f"{results[1000].peak_mb:.0f} MB (x{growth:.2f}) -> {mark(growth <= TARGET_MEMORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
