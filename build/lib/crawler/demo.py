"""`python -m crawler demo`: the whole path offline. Starts the local archive on 127.0.0.1 over the
small WARC shipped in crawler/demo_data/, backfills its two vendors, exports, shows the result.

The WARC is built from the sample histories of tests/samples.py; after changing them, rebuild it from
the repository root with `python -m tests.samples` (the demo itself never imports tests/).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crawler.cli import EXIT_USAGE, OneLineParser, report, run_crawl
from crawler.export import export
from crawler.localarchive import LocalArchive
from crawler.store import Store

DEMO_WARC = Path(__file__).parent / "demo_data" / "demo.warc.gz"
DEMO_POLICIES = {
    "kerio.com": "http://www.kerio.com/privacy-policy",
    "faasoft.com": "http://www.faasoft.com/privacy.html",
}


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m crawler demo",
        description="Run the crawler offline: a local archive over a shipped WARC, a backfill of two vendors "
        "(kerio.com: 30 captures, 4 texts; faasoft.com: 8 captures, 2 texts and a soft-404 page), and an export.",
        epilog="example: python -m crawler demo --out demo-output",
    )
    parser.add_argument("--out", default="demo-output", help="folder for the database and the exported documents")
    args = parser.parse_args(argv)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"error: cannot create {out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    db = out / "policies.db"
    # Each demo starts from nothing, so a second run shows what the first did.
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    with LocalArchive([DEMO_WARC]) as archive:  # archive.org's own limits, enforced
        print(f"local archive serving {DEMO_WARC.name} at {archive.base_url}", file=sys.stderr)
        started = time.monotonic()
        stats = run_crawl(
            {"POLICY_DB": str(db), "ARCHIVE_URLS": [archive.base_url], "LOG_LEVEL": "WARNING", "PROGRESS_INTERVAL": 2},
            domains=list(DEMO_POLICIES),
            policy_urls=list(DEMO_POLICIES.values()),
            command="demo",
        )
        status = report(stats, str(db), time.monotonic() - started)
    store = Store(db, readonly=True)
    files = export(store, out / "policies").files
    store.close()
    print(f"\nexported {len(files)} dated documents to {out / 'policies'}:")
    for path in files:
        print(f"  {path}")
    first = files[0].read_text(encoding="utf-8").splitlines()
    print(f"\n{files[0]} begins:\n" + "\n".join("    " + line for line in first[:8]))
    print(f"\nnote: the snapshot links point to the demo's local archive ({archive.base_url}), which stopped with the "
          "demo; `archive serve crawler/demo_data/demo.warc.gz` serves the same captures again (on another port).")
    print(f"\nbrowse the database: datasette {db}   (pip install datasette)")
    return status
