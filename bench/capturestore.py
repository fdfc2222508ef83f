"""Capture store and reextract figures: WARC bytes per capture (demo and benchmark histories), and
reextract's pages per second on one core and on all, against the crawl's rate.

    python bench/capturestore.py                  # demo + 30 benchmark vendors (~2 min on 2 cores)
    python bench/capturestore.py --vendors 100 --no-demo

The benchmark vendors (bench/histories.py) are served by the local archive without limits, so the crawl's
own rate here is its CPU-bound rate; against archive.org it is bound by the replay limit (9.5 a second
at the crawler's defaults), whatever the CPU.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from crawler.localarchive import ArchiveIndex, LocalArchive  # noqa: E402
from crawler.reextract import reextract  # noqa: E402
from histories import all_specs, vendors  # noqa: E402

ARCHIVE_ORG_REPLAYS_PER_SECOND = 9.5


def store_figures(db: Path) -> dict:
    folder = Path(f"{db}.captures")
    con = sqlite3.connect(db)
    captures = con.execute("select count(*) from captures").fetchone()[0]
    read = con.execute("select count(*) from captures where payload_digest is not null").fetchone()[0]
    kinds = dict(con.execute("select record_type, count(*) from warc_records group by 1").fetchall())
    con.close()
    size = sum(p.stat().st_size for p in folder.glob("*.warc.gz"))
    return {"captures": captures, "read": read, "records": kinds, "bytes": size,
            "per_capture": size / captures if captures else 0, "per_read": size / read if read else 0}


def print_store(label: str, f: dict) -> None:
    print(f"{label}: {f['captures']} captures listed and recorded, {f['read']} read; records {f['records']}; "
          f"{f['bytes']:,} bytes of WARC = {f['per_capture']:,.0f} bytes a capture, "
          f"{f['per_capture'] * 1000 / 1e6:,.2f} MB per 1,000 captures ({f['per_read']:,.0f} bytes a capture read)")


def demo(work: Path) -> None:
    out = work / "demo"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "crawler", "demo", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    print(f"demo ({time.monotonic() - started:.0f} s)")
    print_store("  demo", store_figures(out / "policies.db"))


def benchmark(work: Path, count: int, workers: list[int]) -> None:
    vendor_list = vendors(count)
    index = ArchiveIndex.from_specs(all_specs(vendor_list))
    db = work / "bench.db"
    with LocalArchive(index, limits=False) as archive:
        cmd = [sys.executable, "-m", "crawler", "backfill", *[v.domain for v in vendor_list]]
        for v in vendor_list:
            cmd += ["--policy-url", v.policy_url]
        cmd += ["--db", str(db), "--archive", archive.base_url, "--cdx-per-minute", "60000", "--replays-per-second", "1000"]
        started = time.monotonic()
        result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                                env={**os.environ, "POLICY_PROGRESS_INTERVAL": "0"})
        crawl_seconds = time.monotonic() - started
        replays = archive.counters.get("replay", 0)
    if result.returncode not in (0, 1):
        raise SystemExit(f"backfill failed: {result.stderr[-500:]}")
    figures = store_figures(db)
    print(f"benchmark histories, {count} vendors (bench/histories.py)")
    print_store("  store", figures)
    crawl_rate = figures["read"] / crawl_seconds
    print(f"  crawl: {replays} replays, {figures['read']} pages read in {crawl_seconds:.1f} s = {crawl_rate:.1f} pages/s "
          f"against a local archive with no limit (CPU-bound, start-up included); against archive.org at most "
          f"{ARCHIVE_ORG_REPLAYS_PER_SECOND} replays/s")
    for n in workers:
        done = reextract(str(db), workers=n, force=True)
        print(f"  reextract, {n} worker(s): {done.pages} pages in {done.seconds:.1f} s = {done.pages_per_second:.1f} pages/s "
              f"({done.pages_per_second / ARCHIVE_ORG_REPLAYS_PER_SECOND:.1f}x archive.org's replay limit, "
              f"{done.pages_per_second / crawl_rate:.1f}x this crawl); {done.upgraded} upgraded, {done.errors} errors")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="WARC bytes per capture, and reextract's rate on one core and all cores.",
        epilog="example: python bench/capturestore.py --vendors 30",
    )
    parser.add_argument("--vendors", type=int, default=30, help="benchmark vendors to crawl (default: %(default)s)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo's figures")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases and stores in DIR")
    args = parser.parse_args(argv)
    if args.vendors < 1:
        parser.error("--vendors must be 1 or more")
    workers = sorted({1, os.cpu_count() or 1})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.no_demo:
            demo(work)
        benchmark(work, args.vendors, workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
