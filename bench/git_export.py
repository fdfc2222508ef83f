"""`export --format pll --git` at scale: commits per second of the one `git fast-import` that builds
the repository (the source dataset has about a million commits).

    python bench/git_export.py                    # 2,000 vendors x 5 changes = 10,000 commits
    python bench/git_export.py --vendors 200 --changes 10 --no-pages

The store is synthesised (no crawl): each vendor's changes as recorded captures with, unless
--no-pages, a ~6 kB page each kept in the capture store, so every commit adds a .md and an .html.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.capturestore.keeper import CaptureKeeper  # noqa: E402
from crawler.dedup import text_hash  # noqa: E402
from crawler.items import CaptureItem  # noqa: E402
from crawler.pll import export_pll  # noqa: E402
from crawler.store import Store  # noqa: E402


def vendor_domain(number: int) -> str:
    """Names spread over the first letters like real domains (so over the dataset's k/ke/ker/ folders):
    `vendor000001.com` for all would put every vendor in one folder, one tree rewritten at every commit."""
    letters = "".join(chr(97 + b % 26) for b in hashlib.sha1(str(number).encode()).digest()[:3])
    return f"{letters}{number}.com"


def synthesise(db: Path, vendors: int, changes: int, pages: bool) -> Store:
    store = Store(db)
    keeper = CaptureKeeper(store, f"{db}.captures", 1 << 30) if pages else None
    filler = " ".join(f"word{i}" for i in range(900))
    with store.db.atomic():
        for v in range(vendors):
            domain = vendor_domain(v)
            url = f"https://www.{domain}/privacy"
            store.ensure_policy_url(domain, url)
            for c in range(changes):
                ts = f"{2008 + c:04d}{(v % 12) + 1:02d}15120000"
                text = f"Privacy policy of {domain}, revision {c}. {filler}"
                item = CaptureItem(domain=domain, policy_url=url, archive="https://web.archive.org/web", timestamp=ts,
                                   original=url, digest=f"D{v}x{c}", statuscode="200", mimetype="text/html",
                                   outcome="version", title=f"Privacy Policy | {domain}", markdown=text,
                                   text_hash=text_hash(text))
                if keeper:
                    body = f"<html><head><title>Privacy Policy | {domain}</title></head><body><p>{text}</p></body></html>".encode()
                    item.payload_digest = keeper.keep(url, ts, 200, [("Content-Type", "text/html")], body, item.archive)
                store.record_capture(item)
    if keeper:
        keeper.close()
    return store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Commits per second of export --format pll --git (git fast-import).",
                                     epilog="example: python bench/git_export.py --vendors 2000 --changes 5")
    parser.add_argument("--vendors", type=int, default=2000, help="vendors (default: %(default)s)")
    parser.add_argument("--changes", type=int, default=5, help="changes per vendor (default: %(default)s)")
    parser.add_argument("--no-pages", action="store_true", help="commit only the .md files")
    args = parser.parse_args(argv)
    if args.vendors < 1 or args.changes < 1:
        parser.error("--vendors and --changes must be 1 or more")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.monotonic()
        store = synthesise(work / "policies.db", args.vendors, args.changes, not args.no_pages)
        print(f"synthesised {args.vendors * args.changes} changes of {args.vendors} vendors in {time.monotonic() - started:.1f} s")
        done = export_pll(store, work / "pll", git=True)
        store.close()
        count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=work / "pll", capture_output=True, text=True).stdout.strip()
        size = sum(p.stat().st_size for p in (work / "pll" / ".git").rglob("*") if p.is_file())
        print(f"git export: {done.commits} commits ({count} in the repository) in {done.seconds:.1f} s = "
              f"{done.commits / done.seconds:,.0f} commits/s (reading the store, fast-import, checkout); "
              f"{len(done.files)} files in the work tree, .git {size / 1e6:.1f} MB; "
              f"at this rate a million commits take {1e6 / (done.commits / done.seconds) / 60:.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
