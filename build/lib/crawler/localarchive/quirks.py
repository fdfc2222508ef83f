"""Real archive.org oddities the archive can inject, all off by default (`quirk_*` options, `--quirk`)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.localarchive.warc import EMPTY_DIGEST

if TYPE_CHECKING:
    from crawler.localarchive.index import IndexRow


@dataclass
class CdxQuirks:
    """The CDX server's oddities."""

    duplicate_rows: int = 0  # every row is sent this many extra times (the recordings repeat rows 2-4x)
    dash_length: bool = False  # `length` is `-`
    invalid_timestamp: bool = False  # after a URL's first row, a copy with month 00 (`20000012170449`-style)
    junk_original: bool = False  # after a URL's first row, a `http://mailto:...` row (unk, 301, empty digest)
    resume_key_on_last_page: bool = False  # a full last page still carries a key; the next page is empty


# Every quirk by name; the last is replay's: gzipped bodies sent with both `content-encoding: ""` and
# `Content-Encoding: gzip`.
QUIRK_NAMES = tuple(f.name for f in fields(CdxQuirks)) + ("gzip_content_encoding",)


def cdx_rows(row: IndexRow, first_of_url: bool, quirks: CdxQuirks) -> list[list[IndexRow]]:
    """What the CDX server sends for one index row, in groups: the row and its copies, then (after a URL's
    first row) the invalid-timestamp and junk rows. A resume key counts each group as one row."""
    groups = [[row] * (1 + quirks.duplicate_rows)]
    if first_of_url and quirks.invalid_timestamp:
        groups.append([row._replace(timestamp=row.timestamp[:4] + "00" + row.timestamp[6:])])
    if first_of_url and quirks.junk_original:
        host = urlsplit(row.original).hostname or "example.com"
        groups.append([row._replace(original=f"http://mailto:webmaster@{host}/", mimetype="unk", statuscode="301", digest=EMPTY_DIGEST)])
    if quirks.dash_length:
        groups = [[variant._replace(length="-") for variant in group] for group in groups]
    return groups


def gzip_content_encoding(body: bytes, content_encoding: str | None) -> tuple[bytes, list[tuple[str, str]]]:
    """archive.org bug: a gzipped original comes back with an empty content-encoding header next to the
    real one, and some clients then leave the body compressed. The body (gzipped) and those headers."""
    if (content_encoding or "").strip().lower() != "gzip":
        body = gzip.compress(body)
    return body, [("content-encoding", ""), ("Content-Encoding", "gzip")]
