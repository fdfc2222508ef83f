"""`python -m crawler extract FILE`: print one archived page's (or PDF's) policy text as Markdown."""

from __future__ import annotations

import argparse
import gzip
import sys
from urllib.parse import urlsplit

from crawler.cli import OneLineParser
from crawler.extract.document import extract
from crawler.extract.pdf import is_pdf


def page_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(f"not a page URL: {text!r} (e.g. https://www.example.com/privacy)")
    return text


def what_the_file_is(body: bytes) -> str | None:
    """Why a file is no page to extract from, or None when it may be one (HTML, text or PDF)."""
    if not body.strip():
        return "the file is empty"
    if is_pdf(body, None):
        return None
    head = body[:4096]
    if b"\x00" in head:
        return "a binary file, not an HTML page or a PDF"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m crawler extract",
        description="Extract the policy text of one archived HTML page (or PDF) as Markdown: `# title`, then the "
                    "body, as the crawl would store it. A gzipped file is read uncompressed.",
        epilog="example: python -m crawler extract capture.html --url https://www.example.com/privacy\n"
               "exit status: 0 printed, 2 unreadable or not a page, 3 page refused as not a policy",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="archived HTML page or PDF (raw bytes as captured, or gzipped)")
    parser.add_argument("--url", type=page_url, help="URL the page was captured from (helps extraction and scoring)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as fh:
            body = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            print(f"error: {args.file} is a damaged gzip file: {exc}", file=sys.stderr)
            return 2
    problem = what_the_file_is(body)
    if problem:
        print(f"error: {args.file}: {problem}", file=sys.stderr)
        return 2
    doc = extract(body, url=args.url)
    if not doc.is_policy:
        print(f"refused: {doc.reason} (score {doc.score:.2f})", file=sys.stderr)
        return 3
    sys.stdout.write(doc.text())
    return 0
