"""A local stand-in for web.archive.org: its CDX API and `id_` replay, served from WARC files.

Used by the tests (as their oracle), the `demo` command, the benchmarks, and by users rehearsing a crawl
on their own WARCs. It copies what the real service does (see the project's notes on the Wayback
Machine), including the parts a crawler trips on: adjacent-only collapse, resume keys, 302s to the
nearest capture, captured redirects that are mementos, revisits, rate limits answered with a bare 429,
then a firewall-style block.

It imports nothing from the rest of `crawler` (tests/localarchive/test_isolation.py checks): URL keys
come from the `surt` library, constants are its own. Standard library plus warcio and surt. Layout:

    keys.py       URL keys (surt) and timestamps
    warc.py       CaptureSpec, payload digests, writing WARC files
    index.py      ArchiveIndex: rows from WARCs or from specs, reading records back
    cdx.py        CdxEngine: the CDX query language (filters, collapse, limits, resume keys)
    quirks.py     archive.org oddities to inject (repeated rows, `-` lengths, junk rows, gzip bug)
    replay.py     Replay: `id_` and toolbar replay, Memento headers, redirects, revisits, timemaps
    ratelimit.py  RateLimiter: sliding windows, 429s, blocks
    server.py     LocalArchive: the HTTP server and its request log
    cli.py        main(argv) of `python -m crawler archive serve`

Typical use::

    write_warc("site.warc.gz", [CaptureSpec("https://example.com/privacy", "20120512123106", b"<html>...")])
    with LocalArchive(ArchiveIndex.from_warcs(["site.warc.gz"]), limits=False) as archive:
        fetch(archive.base_url + "/cdx/search/cdx?url=example.com/privacy&output=json")
"""

from crawler.localarchive.cdx import CDX_FIELDS, MAX_ROWS_PER_QUERY, CdxAnswer, CdxEngine, CdxError
from crawler.localarchive.cli import main
from crawler.localarchive.index import REVISIT_MIMETYPE, ArchiveIndex, IndexRow, StoredResponse
from crawler.localarchive.keys import urlkey
from crawler.localarchive.quirks import QUIRK_NAMES, CdxQuirks
from crawler.localarchive.ratelimit import RateLimiter
from crawler.localarchive.replay import Replay
from crawler.localarchive.server import LocalArchive, LoggedRequest
from crawler.localarchive.warc import EMPTY_DIGEST, CaptureSpec, payload_digest, write_warc

__all__ = [
    "CDX_FIELDS", "EMPTY_DIGEST", "MAX_ROWS_PER_QUERY", "QUIRK_NAMES", "REVISIT_MIMETYPE",
    "ArchiveIndex", "CaptureSpec", "CdxAnswer", "CdxEngine", "CdxError", "CdxQuirks", "IndexRow",
    "LocalArchive", "LoggedRequest", "RateLimiter", "Replay", "StoredResponse",
    "main", "payload_digest", "urlkey", "write_warc",
]
