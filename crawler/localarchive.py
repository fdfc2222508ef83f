"""A local stand-in for web.archive.org: its CDX API and `id_` replay, served from WARC files.

Used by the tests, the `demo` command, the benchmarks, and by users rehearsing a crawl on their own
WARCs. It copies what the real service does (see the project's notes on the Wayback Machine), including
the parts a crawler trips on: adjacent-only collapse, resume keys, 302s to the nearest capture, captured
redirects that are mementos, revisits, rate limits answered with a bare 429, then a firewall-style block.

Standard library plus warcio only. Typical use::

    write_warc("site.warc.gz", [CaptureSpec("https://example.com/privacy", "20120512123106", b"<html>...")])
    with LocalArchive(ArchiveIndex.from_warcs(["site.warc.gz"]), limits=False) as archive:
        fetch(archive.base_url + "/cdx/search/cdx?url=example.com/privacy&output=json")

Command line: ``python -m crawler archive serve FILE.warc.gz [...]`` (see `main`).
"""

from __future__ import annotations

import argparse
import base64
import bisect
import gzip
import hashlib
import html
import http
import io
import json
import os
import re
import sys
import threading
import time
import zlib
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator, NamedTuple
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.wayback import surt, valid_timestamp

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
EMPTY_DIGEST = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # base32 SHA-1 of b"": bodiless redirects carry it
REVISIT_MIMETYPE = "warc/revisit"
MAX_ROWS_PER_QUERY = 150_000  # archive.org stops one CDX query there
# How archive.org pads short `from`/`to` values (wayback's Timestamp.padStart/EndDateStr): the padded
# `to` is no valid date, but compares above every timestamp that starts with the given digits.
_FROM_PAD = "00000000000000"
_TO_PAD = "29991939295959"
_TIMESTAMP_PARAM = re.compile(r"^\d{1,14}$")
_REPLAY_PATH = re.compile(r"^/web/(\d{1,14})([a-z]{2}_)?/(.*)$", re.DOTALL)
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)

# --- Captures and WARC writing ----------------------------------------------------------------


@dataclass
class CaptureSpec:
    """One capture to write or index. `body` may be a zero-argument callable (cheap benchmark bodies).

    A redirect is `status=301/302` with a `Location` header and an empty body. `revisit=True` makes a
    revisit of the latest earlier capture of the same URL (the body is then ignored).
    """

    url: str
    timestamp: str = "20120512123106"
    body: bytes | Callable[[], bytes] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    revisit: bool = False


def _as_spec(spec: CaptureSpec | dict) -> CaptureSpec:
    spec = CaptureSpec(**spec) if isinstance(spec, dict) else spec
    if not valid_timestamp(spec.timestamp):
        raise ValueError(f"capture timestamp must be a valid 14-digit UTC date, got {spec.timestamp!r}")
    return spec


def payload_digest(body: bytes) -> str:
    """The CDX digest: base32 of the SHA-1 of the payload (what WARC-Payload-Digest holds after `sha1:`)."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _body_bytes(body: bytes | Callable[[], bytes]) -> bytes:
    return body() if callable(body) else body


class _PlannedCapture(NamedTuple):
    spec: CaptureSpec
    digest: str
    refers_to: CaptureSpec | None  # the earlier response a revisit points at; None for a response


def _plan_captures(specs: Iterable[CaptureSpec | dict], auto_revisit: bool) -> Iterator[_PlannedCapture]:
    """Decides, in writing order, which captures are responses and which are revisits (and of what)."""
    latest_response: dict[str, tuple[CaptureSpec, str]] = {}  # urlkey -> (spec, digest)
    first_with_digest: dict[tuple[str, str], CaptureSpec] = {}  # (urlkey, digest) -> spec
    for raw in specs:
        spec = _as_spec(raw)
        key = surt(spec.url)
        if spec.revisit:
            if key not in latest_response:
                raise ValueError(f"revisit of {spec.url} at {spec.timestamp} has no earlier capture of that URL")
            earlier, digest = latest_response[key]
            yield _PlannedCapture(spec, digest, earlier)
            continue
        digest = payload_digest(_body_bytes(spec.body))
        earlier = first_with_digest.get((key, digest))
        if auto_revisit and earlier is not None:
            yield _PlannedCapture(spec, digest, earlier)
            continue
        first_with_digest.setdefault((key, digest), spec)
        latest_response[key] = (spec, digest)
        yield _PlannedCapture(spec, digest, None)


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _warc_date(ts: str) -> str:
    return f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"


def write_warc(path: str | os.PathLike, captures: Iterable[CaptureSpec | dict], *, auto_revisit: bool = True) -> str:
    """Writes captures to a gzipped WARC: warcinfo, then per capture a request and a response or revisit.

    With `auto_revisit`, a capture whose payload equals an earlier capture of the same URL becomes a
    revisit record (profile identical-payload-digest), as Heritrix writes them. Returns the path.
    """
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(os.path.basename(path), {"software": "crawler.localarchive"}))
        for spec, digest, refers_to in _plan_captures(captures, auto_revisit):
            warc_date = _warc_date(spec.timestamp)
            parts = urlsplit(spec.url)
            request_headers = StatusAndHeaders(
                f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
                [("Host", parts.netloc), ("User-Agent", "crawler.localarchive")],
                is_http_request=True,
            )
            writer.write_record(writer.create_warc_record(spec.url, "request", http_headers=request_headers, warc_headers_dict={"WARC-Date": warc_date}))
            http_headers = StatusAndHeaders(_status_line(spec.status), list(spec.headers.items()), protocol="HTTP/1.1")
            if refers_to is not None:
                record = writer.create_revisit_record(
                    spec.url, "sha1:" + digest, refers_to.url, _warc_date(refers_to.timestamp),
                    http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date},
                )
            else:
                record = writer.create_warc_record(
                    spec.url, "response", payload=io.BytesIO(_body_bytes(spec.body)),
                    http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date},
                )
            writer.write_record(record)
    return str(path)


# --- The index -----------------------------------------------------------------------------------


class IndexRow(NamedTuple):
    """One CDX line plus where replay finds the record. A tuple keeps a million rows affordable."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str
    source: str | None  # WARC path; None for rows built from specs
    offset: int  # byte offset in the WARC, or position in the spec payload list

    @property
    def is_revisit(self) -> bool:
        return self.statuscode == "-"


class StoredResponse(NamedTuple):
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def _sort_key(row: IndexRow) -> tuple[str, str]:
    return row.urlkey, row.timestamp


def _mimetype(content_type: str | None, status: int, digest: str) -> str:
    """Content-Type without parameters; `unk` when absent or for a bodiless redirect, as archive.org's indexer says."""
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if not mimetype or (300 <= status < 400 and digest == EMPTY_DIGEST):
        return "unk"
    return mimetype


def _digest_from_header(value: str | None) -> str | None:
    """`sha1:BASE32` -> BASE32; hex SHA-1 (some tools write it) -> base32; other algorithms kept as they are."""
    if not value:
        return None
    algorithm, _, encoded = value.partition(":")
    encoded = encoded or algorithm
    if algorithm.lower() == "sha1" and re.fullmatch(r"[0-9a-fA-F]{40}", encoded):
        return base64.b32encode(bytes.fromhex(encoded)).decode("ascii")
    return encoded.upper() if algorithm.lower() == "sha1" else encoded


class ArchiveIndex:
    """CDX rows sorted by (urlkey, timestamp); only the rows live in memory, bodies stay on disk."""

    def __init__(self, rows: list[IndexRow], spec_payloads: list | None = None):
        self.rows = sorted(rows, key=_sort_key)
        self._spec_payloads = spec_payloads or []  # (status, headers list, body or callable), from_specs only

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_warcs(cls, paths: Iterable[str | os.PathLike]) -> "ArchiveIndex":
        """Indexes the response and revisit records of WARC files (request/metadata/warcinfo are skipped).

        Raises OSError for an unreadable file and ArchiveLoadFailed (or zlib/EOF errors) for a corrupt one.
        """
        rows: list[IndexRow] = []
        for path in paths:
            rows.extend(_index_warc(os.fspath(path)))
        return cls(rows)

    @classmethod
    def from_specs(cls, specs: Iterable[CaptureSpec | dict], *, auto_revisit: bool = True) -> "ArchiveIndex":
        """An index without any WARC: rows and bodies come from the specs (a body may be a callable).

        `length` is a guess at the gzipped record size, since no record is written.
        """
        rows, payloads = [], []
        for spec, digest, refers_to in _plan_captures(specs, auto_revisit):
            key = sys.intern(surt(spec.url))
            original = sys.intern(spec.url)
            headers = list(spec.headers.items())
            if refers_to is not None:
                # A revisit keeps its own status and headers (a redirect its own Location), not its payload.
                rows.append(IndexRow(key, spec.timestamp, original, REVISIT_MIMETYPE, "-", digest, "550", None, len(payloads)))
                payloads.append((spec.status, headers, b""))
                continue
            content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
            mimetype = sys.intern(_mimetype(content_type, spec.status, digest))
            size = len(spec.body) if isinstance(spec.body, bytes) else 0  # a callable is not called again for this
            rows.append(IndexRow(key, spec.timestamp, original, mimetype, sys.intern(str(spec.status)), digest, str(size // 3 + 400), None, len(payloads)))
            payloads.append((spec.status, headers, spec.body))
        return cls(rows, payloads)

    def first_position(self, urlkey: str, timestamp: str = "") -> int:
        return bisect.bisect_left(self.rows, (urlkey, timestamp), key=_sort_key)

    def captures(self, urlkey: str) -> list[IndexRow]:
        """All rows of one urlkey, oldest first."""
        start = self.first_position(urlkey)
        end = bisect.bisect_right(self.rows, (urlkey, "\x7f"), key=_sort_key)
        return self.rows[start:end]

    def resolve_revisit(self, revisit: IndexRow) -> IndexRow | None:
        """The response a revisit stands for: same urlkey and digest, the latest one not after it (else the first)."""
        same_payload = [r for r in self.captures(revisit.urlkey) if not r.is_revisit and r.digest == revisit.digest]
        earlier = [r for r in same_payload if r.timestamp <= revisit.timestamp]
        if earlier:
            return earlier[-1]
        return same_payload[0] if same_payload else None

    def read(self, row: IndexRow) -> StoredResponse:
        """Status, headers and payload bytes of a response row (dechunked, never decompressed)."""
        if row.source is None:
            status, headers, body = self._spec_payloads[row.offset]
            return StoredResponse(status, _status_line(status).split(" ", 1)[1], headers, _body_bytes(body))
        with open(row.source, "rb") as stream:
            stream.seek(row.offset)
            record = next(iter(ArchiveIterator(stream)))
            status_line = record.http_headers.statusline if record.http_headers else "200 OK"
            code, _, reason = status_line.partition(" ")
            headers = list(record.http_headers.headers) if record.http_headers else []
            payload = record.raw_stream
            if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
                payload = ChunkedDataReader(payload)
            return StoredResponse(int(code), reason, headers, payload.read())


def _warc_timestamp(warc_date: str) -> str:
    return re.sub(r"\D", "", warc_date)[:14]


def _check_warc_file(path: str) -> None:
    """Refuses files that are no WARC or are cut short: warcio reads almost anything without complaint."""
    with open(path, "rb") as stream:
        gzipped = stream.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as stream:
        if stream.read(5) not in (b"WARC/", b""):
            raise ArchiveLoadFailed(f"{path} is not a WARC file")
        # Decompressing to the end is the only way to see a gzip member cut short (raises EOFError).
        while gzipped and stream.read(1 << 20):
            pass


def _index_warc(path: str) -> list[IndexRow]:
    _check_warc_file(path)
    rows = []
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in ("response", "revisit"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            if not uri.lower().startswith(("http:", "https:")):  # dns:, whois: and the like are not pages
                continue
            digest = _digest_from_header(record.rec_headers.get_header("WARC-Payload-Digest"))
            if record.rec_type == "revisit":
                mimetype, status = REVISIT_MIMETYPE, "-"
            else:
                if digest is None:
                    digest = payload_digest(record.raw_stream.read())
                code = record.http_headers.get_statuscode() if record.http_headers else "200"
                content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
                mimetype, status = _mimetype(content_type, int(code), digest), code
            length, offset = records.get_record_length(), records.get_record_offset()
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise ArchiveLoadFailed(f"{path}: record at offset {offset} is truncated")
            rows.append(
                IndexRow(
                    sys.intern(surt(uri)), _warc_timestamp(record.rec_headers.get_header("WARC-Date") or ""),
                    sys.intern(uri), sys.intern(mimetype), sys.intern(status), digest or "-",
                    str(length), path, offset,
                )
            )
    return rows


# --- CDX queries -----------------------------------------------------------------------------


class CdxError(Exception):
    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or []


@dataclass
class CdxQuirks:
    """Real CDX oddities to inject, all off by default."""

    duplicate_rows: int = 0  # every row is sent this many extra times (the recordings repeat rows 2-4x)
    dash_length: bool = False  # `length` is `-`
    invalid_timestamp: bool = False  # after a URL's first row, a copy with month 00 (`20000012170449`-style)
    junk_original: bool = False  # after a URL's first row, a `http://mailto:...` row (unk, 301, empty digest)
    resume_key_on_last_page: bool = False  # a full last page still carries a key; the next page is empty


@dataclass
class CdxAnswer:
    content_type: str
    body: bytes


def _one(params: list[tuple[str, str]], name: str, default: str = "") -> str:
    return next((v for k, v in params if k == name), default)


def _int_param(params, name: str, default: int) -> int:
    value = _one(params, name)
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise CdxError(400, f"{name} must be an integer, got {value!r}") from None


def _field_name(name: str) -> str:
    if name not in CDX_FIELDS:
        raise CdxError(400, f"unknown CDX field {name!r} (known: {', '.join(CDX_FIELDS)})")
    return name


def _compile_filter(spec: str) -> Callable[[IndexRow], bool]:
    """`[!]field:regex` (whole-field match) or `[!]~field:text` (substring)."""
    negate = spec.startswith("!")
    spec = spec[1:] if negate else spec
    contains = spec.startswith("~")
    spec = spec[1:] if contains else spec
    name, sep, pattern = spec.partition(":")
    if not sep:
        raise CdxError(400, f"filter must be [!]field:regex, got {spec!r}")
    name = _field_name(name)
    if contains:
        return lambda row: (pattern in getattr(row, name)) != negate
    try:
        regex = re.compile(pattern)
    except re.error as error:
        raise CdxError(400, f"bad filter regex {pattern!r}: {error}") from None
    return lambda row: (regex.fullmatch(getattr(row, name)) is not None) != negate


def _compile_collapse(spec: str) -> Callable[[IndexRow], bool]:
    """`field[:N]`: keeps a row unless its (first N chars of) field equals the ADJACENT previous kept row's."""
    name, _, width = spec.partition(":")
    name = _field_name(name)
    try:
        length = int(width) if width else None
    except ValueError:
        raise CdxError(400, f"collapse must be field[:N], got {spec!r}") from None
    previous: list[str | None] = [None]

    def keep(row: IndexRow) -> bool:
        value = getattr(row, name)[:length]
        if value == previous[0]:
            return False
        previous[0] = value
        return True

    return keep


def _match_range(url: str, match_type: str) -> tuple[str, Callable[[str], bool]]:
    """(scan prefix, urlkey predicate) for a matchType; rows outside the scan prefix are never visited."""
    try:
        key = surt(url)
    except ValueError as error:
        raise CdxError(400, f"bad url {url!r}: {error}") from None
    host = key.split(")", 1)[0]
    if match_type == "exact":
        return key, lambda k: k == key
    if match_type == "prefix":
        return key, lambda k: True
    if match_type == "host":
        return host + ")", lambda k: True
    if match_type == "domain":
        return host, lambda k: k.startswith((host + ")", host + ","))
    raise CdxError(400, f"matchType must be exact, prefix, host or domain, got {match_type!r}")


def _encode_resume_key(urlkey: str, timestamp: str, skip: int) -> str:
    # archive.org's (2022) key is the urlencoded "urlkey timestamp"; `skip` counts rows already sent at
    # that exact (urlkey, timestamp) so a page boundary inside a run of equal keys loses nothing.
    return quote_plus(f"{urlkey} {timestamp}" + (f" {skip}" if skip else ""))


def _decode_resume_key(key: str) -> tuple[str, str, int]:
    parts = unquote_plus(key).split(" ")
    skip = 0
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        skip = int(parts.pop())
    if len(parts) < 2:
        raise CdxError(400, f"bad resumeKey {key!r}")
    return " ".join(parts[:-1]), parts[-1], skip


class CdxEngine:
    """Answers `/cdx/search/cdx` queries over an ArchiveIndex, the way archive.org's CDX server does."""

    def __init__(self, index: ArchiveIndex, quirks: CdxQuirks | None = None, excluded: Iterable[str] = (), robots_excluded: Iterable[str] = ()):
        self.index = index
        self.quirks = quirks or CdxQuirks()
        self.exclusions = [(surt(p), "AdministrativeAccessControlException: Blocked Site Error") for p in excluded]
        self.exclusions += [(surt(p), "RobotAccessControlException: Blocked By Robots") for p in robots_excluded]

    def exclusion(self, urlkey: str) -> str | None:
        """The error text when a urlkey falls under an excluded prefix (the prefix's trailing `/` is optional)."""
        for prefix, message in self.exclusions:
            if urlkey.startswith(prefix) or urlkey.startswith(prefix.rstrip("/")):
                return message
        return None

    def query(self, query_string: str) -> CdxAnswer:
        params = parse_qsl(query_string, keep_blank_values=True)
        url = _one(params, "url").strip()
        if not url:
            raise CdxError(400, "url parameter is required")
        if _one(params, "page") or _one(params, "showNumPages"):
            raise CdxError(400, "page/showNumPages are not supported here: page with showResumeKey/resumeKey")
        match_type = _one(params, "matchType")
        if not match_type:  # archive.org's wildcard shorthands
            if url.startswith("*."):
                match_type, url = "domain", url[2:]
            elif url.endswith("*"):
                match_type, url = "prefix", url[:-1]
            else:
                match_type = "exact"
        scan_prefix, matches = _match_range(url, match_type)
        blocked = self.exclusion(scan_prefix)
        if blocked:
            raise CdxError(403, f"org.archive.util.io.RuntimeIOException: org.archive.wayback.exception.{blocked}\n",
                           [("X-Archive-Wayback-Runtime-Error", f"org.archive.util.io.RuntimeIOException: org.archive.wayback.exception.{blocked}")])

        from_ts, to_ts = _one(params, "from"), _one(params, "to")
        for name, value in (("from", from_ts), ("to", to_ts)):
            if value and not _TIMESTAMP_PARAM.match(value):
                raise CdxError(400, f"{name} must be 1 to 14 digits, got {value!r}")
        lowest = from_ts + _FROM_PAD[len(from_ts):] if from_ts else ""
        highest = to_ts + _TO_PAD[len(to_ts):] if to_ts else "\x7f"

        fields = [_field_name(f) for f in _one(params, "fl").split(",") if f] or list(CDX_FIELDS)
        row_filters = [_compile_filter(v) for k, v in params if k == "filter"]
        collapsers = [_compile_collapse(v) for k, v in params if k == "collapse"]
        limit = _int_param(params, "limit", 0)
        offset = max(0, _int_param(params, "offset", 0))
        show_resume_key = _one(params, "showResumeKey").lower() == "true"
        resume_key = _one(params, "resumeKey")

        if resume_key:
            start_key, start_ts, skip = _decode_resume_key(resume_key)
            start = max(self.index.first_position(start_key, start_ts), self.index.first_position(scan_prefix))
        else:
            start_key, start_ts, skip = scan_prefix, "", 0
            start = self.index.first_position(scan_prefix, lowest if match_type == "exact" else "")

        def kept_rows() -> Iterator[tuple[IndexRow, tuple[str, str, int]]]:
            for row, position in self._stream(start, scan_prefix, matches, lowest, highest):
                if skip and position[:2] == (start_key, start_ts) and position[2] < skip:
                    continue
                if all(f(row) for f in row_filters) and all(c(row) for c in collapsers):
                    yield row, position

        rows_out, next_key = self._page(kept_rows(), limit, offset, show_resume_key)
        return self._render(rows_out, fields, _one(params, "output").lower() == "json", next_key)

    def _page(self, stream: Iterator[tuple[IndexRow, tuple[str, str, int]]], limit: int, offset: int, show_resume_key: bool) -> tuple[list[IndexRow], str | None]:
        """`offset`, then `limit` rows (the last -N when negative), and the key of what comes next, if anything does."""
        for _ in range(offset):
            if next(stream, None) is None:
                break
        if limit < 0:
            return [row for row, _ in deque(stream, maxlen=min(-limit, MAX_ROWS_PER_QUERY))], None
        wanted = min(limit, MAX_ROWS_PER_QUERY) if limit > 0 else MAX_ROWS_PER_QUERY
        rows, last_position = [], None
        for row, position in stream:
            rows.append(row)
            last_position = position
            if len(rows) >= wanted:
                break
        if not show_resume_key or len(rows) < wanted:
            return rows, None
        upcoming = next((item for item in stream if item[1] != last_position), None)  # not a copy of the last row
        if upcoming is not None:
            return rows, _encode_resume_key(*upcoming[1])
        if self.quirks.resume_key_on_last_page:  # archive.org: a key just past the last row, then an empty page
            urlkey, timestamp, sent = last_position
            return rows, _encode_resume_key(urlkey, timestamp, sent + 1)
        return rows, None

    def _stream(self, start: int, scan_prefix: str, matches, lowest: str, highest: str) -> Iterator[tuple[IndexRow, tuple[str, str, int]]]:
        """Matching rows from index position `start`, quirks injected, each with its resume position.

        The position is (urlkey, timestamp, n): the n-th streamed row at that exact key (copies of a
        row count once), so a resumed query can skip exactly the rows already sent.
        """
        rows, quirks = self.index.rows, self.quirks
        run_key, run_count = None, 0
        for index_position in range(start, len(rows)):
            row = rows[index_position]
            if not row.urlkey.startswith(scan_prefix):
                break
            if not matches(row.urlkey) or not (lowest <= row.timestamp <= highest) or self.exclusion(row.urlkey):
                continue
            previous = rows[index_position - 1] if index_position else None
            first_of_url = previous is None or previous.urlkey != row.urlkey or previous.timestamp < lowest
            # Copies of one row share a position: like archive.org's key, resuming skips leftover copies.
            groups = [[row] * (1 + quirks.duplicate_rows)]
            if first_of_url and quirks.invalid_timestamp:
                groups.append([row._replace(timestamp=row.timestamp[:4] + "00" + row.timestamp[6:])])
            if first_of_url and quirks.junk_original:
                host = urlsplit(row.original).hostname or "example.com"
                groups.append([row._replace(original=f"http://mailto:webmaster@{host}/", mimetype="unk", statuscode="301", digest=EMPTY_DIGEST)])
            if (row.urlkey, row.timestamp) != run_key:
                run_key, run_count = (row.urlkey, row.timestamp), 0
            for group in groups:
                for variant in group:
                    yield (variant._replace(length="-") if quirks.dash_length else variant), (row.urlkey, row.timestamp, run_count)
                run_count += 1

    @staticmethod
    def _render(rows: list[IndexRow], fields: list[str], as_json: bool, resume_key: str | None) -> CdxAnswer:
        values = [[getattr(row, f) for f in fields] for row in rows]
        if as_json:
            if not values:
                return CdxAnswer("application/json", b"[]\n")
            lines = [fields] + values + ([[], [resume_key]] if resume_key else [])
            rendered = ",\n".join(json.dumps(v, separators=(",", ":")) for v in lines)
            return CdxAnswer("application/json", f"[{rendered}]\n".encode())
        text = "".join(" ".join(v) + "\n" for v in values)
        if resume_key:
            text += f"\n{resume_key}\n"
        return CdxAnswer("text/plain;charset=UTF-8", text.encode())


# --- Rate limits -------------------------------------------------------------------------------


class RateLimiter:
    """archive.org's limits per client IP: a sliding window per kind, a 429 beyond it, then a block.

    Every attempt counts in the window, refused ones too, so a client that keeps hammering stays at 429
    until it pauses. One that is refused for more than `block_after` seconds in a row is blocked for
    `block_for` seconds, doubling on each repeat. All durations are divided by `time_scale`.
    """

    def __init__(self, per_minute: dict[str, int | None], *, time_scale: float = 1.0, block_after: float = 60, block_for: float = 3600):
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.per_minute = per_minute
        self.window = 60.0 / time_scale
        self.block_after = block_after / time_scale
        self.block_for = block_for / time_scale
        self._attempts: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._refused_since: dict[tuple[str, str], float] = {}
        self._blocked_until: dict[str, float] = {}
        self._blocks: Counter[str] = Counter()
        self._lock = threading.Lock()

    def is_blocked(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._blocked_until.get(client, 0.0) > now

    def check(self, client: str, kind: str, now: float | None = None) -> str:
        """`ok`, `limited` (answer 429) or `blocked` (answer nothing)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._blocked_until.get(client, 0.0) > now:
                return "blocked"
            limit = self.per_minute.get(kind)
            if limit is None:
                return "ok"
            attempts = self._attempts[(client, kind)]
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            over = len(attempts) >= limit
            attempts.append(now)
            if not over:
                self._refused_since.pop((client, kind), None)
                return "ok"
            since = self._refused_since.setdefault((client, kind), now)
            if now - since > self.block_after:
                self._blocked_until[client] = now + self.block_for * 2 ** self._blocks[client]
                self._blocks[client] += 1
                self._refused_since.pop((client, kind), None)
                return "blocked"
            return "limited"


# --- The server --------------------------------------------------------------------------------


@dataclass
class LoggedRequest:
    time: float  # time.monotonic()
    client: str
    kind: str  # cdx, replay or other
    path: str  # path and query as requested
    status: int | None  # None: the connection was closed without an answer (blocked client)


_TOOLBAR = (
    "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n"
    '<div id="wm-ipp-base" style="display:block"><div id="wm-ipp">'
    "The Wayback Machine - {replay_url} | {count} captures | About this capture | "
    "This page was archived on {date}.</div></div>\n"
    "<!-- END WAYBACK TOOLBAR INSERT -->\n"
)
_ARCHIVE_COMMENT = (
    "\n<!--\n     FILE ARCHIVED ON {date} AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON {now}.\n"
    "     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.\n-->\n"
)
_NOT_ARCHIVED = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Wayback Machine</title></head><body>\n"
    "<p>Hrm.</p><p>The Wayback Machine has not archived that URL.</p>\n"
    "<p>Click here to search for all archived pages under <a href=\"/web/*/{url}*\">{url}</a>.</p>\n</body></html>\n"
)
_EXCLUDED = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Wayback Machine</title></head><body>\n"
    "<p>Sorry.</p><p>This URL has been excluded from the Wayback Machine.</p>\n<p>{url}</p>\n</body></html>\n"
)
_TOO_MANY = "<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>\n"


def _http_date(ts: str) -> str:
    return format_datetime(datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc), usegmt=True)


def _seconds(ts: str) -> float | None:
    try:
        return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def _request_kind(path: str) -> str:
    if path.startswith("/save/"):
        return "save"
    if path.startswith(("/cdx", "/web/timemap")):
        return "cdx"
    if path.startswith("/web/"):
        return "replay"
    return "other"


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up shutdown
    allow_reuse_address = True
    archive: "LocalArchive"

    def verify_request(self, request, client_address) -> bool:
        # A blocked client gets its connection closed before a byte is read, like a firewall drop.
        if self.archive.limiter is not None and self.archive.limiter.is_blocked(client_address[0]):
            self.archive._record(client_address[0], "other", "", None)
            return False
        return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers use it
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, 40 ms per answer
    server_version = "LocalArchive/1.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.archive._handle(self)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.archive.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class LocalArchive:
    """A Wayback Machine look-alike on 127.0.0.1: CDX at `/cdx/search/cdx`, replay at `/web/<ts><mod>/<url>`.

    `index` is an ArchiveIndex (or WARC paths). Limits count per client IP in a sliding window of
    60 s / `time_scale`; `cdx_per_minute`/`replay_per_minute` None lifts one, `limits=False` (or None)
    lifts all. Blocked clients get their connections closed with no response. `excluded` and
    `robots_excluded` are URL prefixes the archive refuses (CDX 403; replay an "excluded" page).
    The `quirk_*` flags inject real archive.org oddities (see CdxQuirks; `quirk_gzip_content_encoding`
    sends replayed bodies gzipped with both `content-encoding: ""` and `Content-Encoding: gzip`).
    Request log: `.requests` and `.counters` here, `GET /__archive__/log` over HTTP (never limited).
    """

    def __init__(
        self,
        index: ArchiveIndex | Iterable[str | os.PathLike],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: bool | None = True,
        cdx_per_minute: int | None = 30,
        replay_per_minute: int | None = 600,
        save_per_minute: int | None = 15,
        time_scale: float = 1.0,
        block_after: float = 60,
        block_for: float = 3600,
        excluded: Iterable[str] = (),
        robots_excluded: Iterable[str] = (),
        quirk_duplicate_rows: int = 0,
        quirk_dash_length: bool = False,
        quirk_invalid_timestamp: bool = False,
        quirk_junk_original: bool = False,
        quirk_resume_key_on_last_page: bool = False,
        quirk_gzip_content_encoding: bool = False,
        verbose: bool = False,
    ):
        self.index = index if isinstance(index, ArchiveIndex) else ArchiveIndex.from_warcs(index)
        quirks = CdxQuirks(quirk_duplicate_rows, quirk_dash_length, quirk_invalid_timestamp, quirk_junk_original, quirk_resume_key_on_last_page)
        self.cdx = CdxEngine(self.index, quirks, excluded, robots_excluded)
        self.gzip_content_encoding = quirk_gzip_content_encoding
        self.limiter = (
            RateLimiter({"cdx": cdx_per_minute, "replay": replay_per_minute, "save": save_per_minute}, time_scale=time_scale, block_after=block_after, block_for=block_for)
            if limits else None
        )
        self.saved: list[tuple[str, str]] = []  # Save Page Now requests: (timestamp, URL)
        self.verbose = verbose
        self._log: list[LoggedRequest] = []
        self._counters: Counter[str] = Counter()
        self._log_lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self._server.archive = self
        self._thread: threading.Thread | None = None

    # lifecycle

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "LocalArchive":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-archive", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serves in the calling thread until `stop()` (from another thread) or KeyboardInterrupt."""
        self._server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "LocalArchive":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # request log

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._log_lock:
            return list(self._log)

    @property
    def counters(self) -> dict[str, int]:
        """Requests per kind (`cdx`, `replay`, `other`), plus `rate_limited` (429s) and `blocked` (no answer)."""
        with self._log_lock:
            return dict(self._counters)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()
            self._counters.clear()

    def _record(self, client: str, kind: str, path: str, status: int | None) -> None:
        with self._log_lock:
            self._log.append(LoggedRequest(time.monotonic(), client, kind, path, status))
            self._counters[kind] += 1
            if status == 429:
                self._counters["rate_limited"] += 1
            if status is None:
                self._counters["blocked"] += 1

    # request handling

    def _handle(self, handler: _Handler) -> None:
        client, path = handler.client_address[0], handler.path
        kind = _request_kind(path)
        if path.startswith("/__archive__/"):  # the log itself: neither limited nor logged
            handler.log_kind = None
            if path.split("?")[0] == "/__archive__/log":
                self._serve_log(handler)
            else:
                self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
            return
        handler.log_kind = kind
        verdict = self.limiter.check(client, kind) if self.limiter is not None else "ok"
        if verdict == "blocked":
            handler.close_connection = True  # no status line at all: the client sees a dropped connection
            self._record(client, kind, path, None)
            return
        try:
            if verdict == "limited":
                self._send(handler, 429, _TOO_MANY.encode(), [("Content-Type", "text/html; charset=utf-8")], reason="Too Many Requests")
            elif kind == "cdx":
                self._serve_cdx(handler, path)
            elif kind == "replay":
                self._serve_replay(handler, path)
            elif kind == "save":
                self._serve_save(handler, path)
            else:
                self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
        except Exception as error:  # a bug here must show as a 500, not a hung client
            self._send(handler, 500, f"local archive error: {error!r}\n".encode(), [("Content-Type", "text/plain")])

    def _send(self, handler: _Handler, status: int, body: bytes, headers: list[tuple[str, str]], reason: str | None = None) -> int:
        # Logged before the first byte leaves, so a client that got its answer always finds it in the log.
        if handler.log_kind is not None:
            self._record(handler.client_address[0], handler.log_kind, handler.path, status)
        handler.send_response_only(status, reason)
        handler.send_header("Server", handler.server_version)
        handler.send_header("Date", handler.date_time_string())
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return status

    def _serve_save(self, handler: _Handler, path: str) -> int:
        """Save Page Now: this archive cannot reach the web, so it records what was asked for (`.saved`) and
        answers as archive.org does when a capture is made: the new memento in `Content-Location`."""
        url = path[len("/save/"):]
        now = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        with self._log_lock:
            self.saved.append((now, url))
        return self._send(handler, 200, b"<html><body>Saved.</body></html>",
                          [("Content-Type", "text/html; charset=utf-8"), ("Content-Location", f"/web/{now}/{url}")])

    def _serve_log(self, handler: _Handler) -> int:
        with self._log_lock:
            payload = {"requests": [asdict(r) for r in self._log], "counters": dict(self._counters)}
        return self._send(handler, 200, json.dumps(payload).encode(), [("Content-Type", "application/json")])

    def _serve_cdx(self, handler: _Handler, path: str) -> int:
        route, _, query = path.partition("?")
        try:
            if route in ("/cdx/search/cdx", "/cdx/search"):
                answer = self.cdx.query(query)
            elif route.startswith("/web/timemap/link/"):
                return self._serve_timemap(handler, route[len("/web/timemap/link/"):] + ("?" + query if query else ""))
            elif route in ("/web/timemap/json", "/web/timemap/cdx"):
                answer = self.cdx.query(query + ("&output=json" if route.endswith("json") else ""))
            else:
                return self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
        except CdxError as error:
            body = error.message if error.status == 403 else f"Error: {error.message}\n"
            return self._send(handler, error.status, body.encode(), [("Content-Type", "text/plain;charset=UTF-8")] + error.headers)
        return self._send(handler, 200, answer.body, [("Content-Type", answer.content_type)])

    def _serve_timemap(self, handler: _Handler, url: str) -> int:
        base = self._public_base(handler)
        lines = [f"<{url}>; rel=\"original\""]
        lines += [f"<{base}/web/{r.timestamp}/{r.original}>; rel=\"memento\"; datetime=\"{_http_date(r.timestamp)}\"" for r in self.index.captures(surt(url)) if _seconds(r.timestamp)]
        return self._send(handler, 200, (",\n".join(lines) + "\n").encode(), [("Content-Type", "application/link-format")])

    def _public_base(self, handler: _Handler) -> str:
        # Absolute Locations, like archive.org's, built on the host name the client used.
        host = handler.headers.get("Host")
        return f"http://{host}" if host else self.base_url

    def _serve_replay(self, handler: _Handler, path: str) -> int:
        match = _REPLAY_PATH.match(path)
        if match:
            requested_ts, modifier, url = match.group(1), match.group(2) or "", match.group(3)
        else:  # `/web/<url>` with no timestamp: the latest capture
            requested_ts, modifier, url = "99991231235959", "", path[len("/web/"):]
        # Clients send `http%3A//host/...` or, after path normalisation, `http:/host/...`.
        url = re.sub(r"^(https?)%3A", r"\1:", url, flags=re.IGNORECASE)
        url = re.sub(r"^(https?:)/+", r"\1//", url, flags=re.IGNORECASE)
        try:
            urlkey = surt(url)
        except ValueError:
            return self._not_archived(handler, url)
        if self.cdx.exclusion(urlkey):
            page = _EXCLUDED.format(url=html.escape(url)).encode()
            return self._send(handler, 200, page, [("Content-Type", "text/html; charset=utf-8")])
        captures = self.index.captures(urlkey)
        if not captures:
            return self._not_archived(handler, url)
        exact = [r for r in captures if r.timestamp == requested_ts]
        if not exact:
            nearest = _nearest(captures, requested_ts)
            location = f"{self._public_base(handler)}/web/{nearest.timestamp}{modifier}/{url}"
            return self._send(handler, 302, b"", [("Content-Type", "text/plain; charset=utf-8"), ("Location", location), ("X-Archive-Redirect-Reason", f"found capture at {nearest.timestamp}")], reason="FOUND")
        # Several captures in one second (http and https, say): prefer the URL as asked.
        row = next((r for r in exact if r.original == url), exact[0])
        if self._is_self_redirect(row):
            # Like archive.org, never answer a URL with a capture that redirects to that same URL (an
            # http -> https redirect shares its urlkey): send the client to the nearest other capture.
            others = [r for r in captures if r.timestamp != row.timestamp and not self._is_self_redirect(r)]
            if others:
                nearest = _nearest(others, requested_ts)
                location = f"{self._public_base(handler)}/web/{nearest.timestamp}{modifier}/{url}"
                return self._send(handler, 302, b"", [("Content-Type", "text/plain; charset=utf-8"), ("Location", location), ("X-Archive-Redirect-Reason", f"found capture at {nearest.timestamp}")], reason="FOUND")
        return self._send_memento(handler, row, url, modifier, len(captures))

    def _is_self_redirect(self, row: IndexRow) -> bool:
        if not (row.statuscode.startswith("3") or row.is_revisit):
            return False
        part = self._http_part(row)  # a revisit's status is its own record's, not the index's `-`
        if not 300 <= part.status < 400:
            return False
        location = next((v for k, v in part.headers if k.lower() == "location"), None)
        if not location:
            return False
        try:
            return surt(urljoin(row.original, location.strip())) == row.urlkey
        except ValueError:
            return False

    def _http_part(self, row: IndexRow) -> StoredResponse:
        """Status and headers of a capture; a revisit's own (a redirect revisited keeps its Location),
        with the payload of the response it stands for."""
        if not row.is_revisit:
            return self.index.read(row)
        payload_row = self.index.resolve_revisit(row)
        if payload_row is None:
            return StoredResponse(404, "Not Found", [], b"")
        payload = self.index.read(payload_row)
        own = self.index.read(row)
        if not own.headers:
            return payload
        return StoredResponse(own.status, own.reason, own.headers, payload.body)

    def _not_archived(self, handler: _Handler, url: str) -> int:
        page = _NOT_ARCHIVED.format(url=html.escape(url)).encode()
        return self._send(handler, 404, page, [("Content-Type", "text/html; charset=utf-8")], reason="NOT FOUND")

    def _send_memento(self, handler: _Handler, row: IndexRow, requested_url: str, modifier: str, capture_count: int) -> int:
        payload_row = self.index.resolve_revisit(row) if row.is_revisit else row
        if payload_row is None:  # a revisit whose original response is not in these WARCs
            return self._not_archived(handler, requested_url)
        stored = self._http_part(row)
        base = self._public_base(handler)
        headers: list[tuple[str, str]] = []
        content_encoding = None
        for name, value in stored.headers:
            lower = name.lower()
            if lower == "content-type":
                headers.append(("Content-Type", value))  # as captured, with or without charset
            elif lower == "location" and 300 <= stored.status < 400:
                target = urljoin(row.original, value.strip())
                headers.append(("Location", f"{base}/web/{row.timestamp}{modifier}/{target}"))
            elif lower == "content-encoding":
                content_encoding = value  # the stored bytes are still encoded: pass it on
            elif lower not in ("connection", "keep-alive", "proxy-connection"):
                headers.append((f"X-Archive-Orig-{name}", value))
        body = stored.body
        if modifier != "id_" and "html" in _content_type_of(stored.headers) and body:
            body = _with_toolbar(body, f"{base}/web/{row.timestamp}/{row.original}", row.timestamp, capture_count)
        if self.gzip_content_encoding and body:
            # archive.org bug: a gzipped original comes back with an empty content-encoding header next
            # to the real one, and some clients then leave the body compressed.
            if (content_encoding or "").strip().lower() != "gzip":
                body = gzip.compress(body)
            headers += [("content-encoding", ""), ("Content-Encoding", "gzip")]
        elif content_encoding:
            headers.append(("Content-Encoding", content_encoding))
        headers += [
            ("Memento-Datetime", _http_date(row.timestamp)),
            ("Link", f'<{row.original}>; rel="original", <{base}/web/timemap/link/{row.original}>; rel="timemap"; type="application/link-format", '
                     f'<{base}/web/{row.original}>; rel="timegate", <{base}/web/{row.timestamp}/{row.original}>; rel="memento"; datetime="{_http_date(row.timestamp)}"'),
            ("X-Archive-Src", os.path.basename(payload_row.source or "specs")),
        ]
        return self._send(handler, stored.status, body, headers, reason=stored.reason or None)


def _content_type_of(headers: list[tuple[str, str]]) -> str:
    return next((v.lower() for k, v in headers if k.lower() == "content-type"), "")


def _nearest(captures: list[IndexRow], requested_ts: str) -> IndexRow:
    """The capture closest in time to a (possibly partial) timestamp; ties go to the earlier one."""
    padded = requested_ts + "00000101000000"[len(requested_ts):]
    target = _seconds(padded)
    if target is None:  # an impossible date: compare the digits
        return min(captures, key=lambda r: abs(int(r.timestamp) - int(padded)) if r.timestamp.isdigit() else float("inf"))
    dated = [(r, _seconds(r.timestamp)) for r in captures]
    return min((pair for pair in dated if pair[1] is not None), key=lambda pair: abs(pair[1] - target), default=(captures[0], 0))[0]


def _with_toolbar(body: bytes, replay_url: str, timestamp: str, capture_count: int) -> bytes:
    """The rewritten (non-`id_`) page: toolbar right after <body>, archive comment at the end."""
    date = _http_date(timestamp)
    toolbar = _TOOLBAR.format(replay_url=html.escape(replay_url), count=capture_count, date=date).encode()
    match = _BODY_TAG.search(body)
    body = body[: match.end()] + toolbar + body[match.end():] if match else toolbar + body
    now = format_datetime(datetime.now(timezone.utc), usegmt=True)
    return body + _ARCHIVE_COMMENT.format(date=date, now=now).encode()


# --- Command line ------------------------------------------------------------------------------

_QUIRKS = ("duplicate_rows", "dash_length", "invalid_timestamp", "junk_original", "resume_key_on_last_page", "gzip_content_encoding")


def main(argv: list[str] | None = None) -> int:
    """`python -m crawler archive serve FILE.warc.gz [...]`: argv holds what follows `archive serve`."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler archive serve",
        description="Serve WARC files like web.archive.org: CDX API at /cdx/search/cdx, replay at /web/<timestamp>id_/<url>.",
        epilog=(
            "example:\n  python -m crawler archive serve crawl.warc.gz --port 8080\n"
            "  curl 'http://127.0.0.1:8080/cdx/search/cdx?url=example.com/privacy&output=json'\n"
            "  curl 'http://127.0.0.1:8080/web/20120512123106id_/https://example.com/privacy'"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("warcs", nargs="+", metavar="FILE.warc.gz", help="WARC files to serve (gzipped or not)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port, 0 for any free one (default: %(default)s)")
    parser.add_argument("--cdx-per-minute", type=int, default=30, help="CDX requests per minute per client (default: %(default)s)")
    parser.add_argument("--replay-per-minute", type=int, default=600, help="replay requests per minute per client (default: %(default)s)")
    parser.add_argument("--time-scale", type=float, default=1.0, help="divide every window and block duration by this (default: %(default)s)")
    parser.add_argument("--no-limits", action="store_true", help="no rate limits and no blocking")
    parser.add_argument("--exclude", action="append", default=[], metavar="URL_PREFIX", help="answer 403 Blocked Site Error for this URL prefix (repeatable)")
    parser.add_argument("--quirk", action="append", default=[], choices=_QUIRKS, help="inject a real archive.org quirk (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
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
            replay_per_minute=args.replay_per_minute, time_scale=args.time_scale, excluded=args.exclude,
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


if __name__ == "__main__":
    sys.exit(main())
