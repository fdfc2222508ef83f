"""`python -m crawler extract FILE`: print one archived page's (or PDF's) policy text as Markdown."""

from __future__ import annotations

import argparse
import sys

from crawler.extract.document import extract

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler extract",
        description="Extract the policy text of one archived HTML page (or PDF) as Markdown.",
        epilog="example: python -m crawler extract capture.html --url https://www.example.com/privacy\n"
               "exit status: 0 printed, 2 unreadable file, 3 page refused as not a policy",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="archived HTML page or PDF (raw bytes as captured)")
    parser.add_argument("--url", help="URL the page was captured from (helps extraction and scoring)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as fh:
            body = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    doc = extract(body, url=args.url)
    if not doc.is_policy:
        print(f"refused: {doc.reason} (score {doc.score:.2f})", file=sys.stderr)
        return 3
    sys.stdout.write(doc.text())
    return 0

