"""`python -m crawler archive serve FILE.warc.gz [...]`: serve WARC files like web.archive.org."""

from __future__ import annotations

import argparse
import sys
import zlib

from warcio.exceptions import ArchiveLoadFailed

from crawler.localarchive.index import ArchiveIndex, IndexRow
from crawler.localarchive.quirks import QUIRK_NAMES
from crawler.localarchive.server import LocalArchive


class HelpFormatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Examples keep their lines; every option shows its default."""


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line (and exit 2), pointing to --help."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text} (0 to 65535)")
    return port


def main(argv: list[str] | None = None) -> int:
    """`python -m crawler archive serve FILE.warc.gz [...]`: argv holds what follows `archive serve`."""
    parser = OneLineParser(
        prog="python -m crawler archive serve",
        description="Serve WARC files like web.archive.org: CDX API at /cdx/search/cdx, replay at /web/<timestamp>id_/<url>.",
        epilog=(
            "example:\n  python -m crawler archive serve crawl.warc.gz --port 8080\n"
            "  curl 'http://127.0.0.1:8080/cdx/search/cdx?url=example.com/privacy&output=json'\n"
            "  curl 'http://127.0.0.1:8080/web/20120512123106id_/https://example.com/privacy'"
        ),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("warcs", nargs="+", metavar="FILE.warc.gz", help="WARC files to serve (gzipped or not)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=port_number, default=8080, help="port, 0 for any free one")
    parser.add_argument("--cdx-per-minute", type=int, default=30, help="CDX requests per minute per client")
    parser.add_argument("--replays-per-minute", type=int, default=600, help="replay requests per minute per client")
    parser.add_argument("--time-scale", type=float, default=1.0, help="divide every window and block duration by this")
    parser.add_argument("--no-limits", action="store_true", help="no rate limits and no blocking")
    parser.add_argument("--exclude", action="append", default=[], metavar="URL_PREFIX", help="answer 403 Blocked Site Error for this URL prefix (repeatable)")
    parser.add_argument("--quirk", action="append", default=[], choices=QUIRK_NAMES, help="inject a real archive.org quirk (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if args.time_scale <= 0:
        parser.error("--time-scale must be positive")

    rows: list[IndexRow] = []
    for path in args.warcs:
        try:
            rows += ArchiveIndex.from_warcs([path]).rows
        except FileNotFoundError:
            print(f"error: no such WARC file: {path}", file=sys.stderr)
            return 2
        except (OSError, ArchiveLoadFailed, EOFError, zlib.error, ValueError) as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            print(f"error: cannot read WARC file {path}: {reason[:200]}", file=sys.stderr)
            return 2
    index = ArchiveIndex(rows)
    quirks = {f"quirk_{name}": (1 if name == "duplicate_rows" else True) for name in args.quirk}
    try:
        archive = LocalArchive(
            index, args.host, args.port, limits=not args.no_limits, cdx_per_minute=args.cdx_per_minute,
            replay_per_minute=args.replays_per_minute, time_scale=args.time_scale, excluded=args.exclude,
            verbose=args.verbose, **quirks,
        )
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 2
    urls = len({row.urlkey for row in index.rows})
    print(f"Serving {len(index)} captures of {urls} URLs from {len(args.warcs)} WARC file(s) at {archive.base_url}", flush=True)
    print(f"  CDX: {archive.base_url}/cdx/search/cdx?url=...   replay: {archive.base_url}/web/<timestamp>id_/<url>   (Ctrl-C stops)", flush=True)
    try:
        archive.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        archive.stop()
    return 0

