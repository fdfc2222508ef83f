"""The index: CDX rows sorted by (urlkey, timestamp), read from WARC files or built from capture specs."""

from __future__ import annotations

import base64
import bisect
import gzip
import os
import re
import sys
from typing import Iterable, NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed

from crawler.localarchive.keys import urlkey
from crawler.localarchive.warc import EMPTY_DIGEST, CaptureSpec, body_bytes, payload_digest, plan_captures, status_line

REVISIT_MIMETYPE = "warc/revisit"


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
        for spec, digest, refers_to in plan_captures(specs, auto_revisit):
            key = sys.intern(urlkey(spec.url))
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
            return StoredResponse(status, status_line(status).split(" ", 1)[1], headers, body_bytes(body))
        with open(row.source, "rb") as stream:
            stream.seek(row.offset)
            record = next(iter(ArchiveIterator(stream)))
            line = record.http_headers.statusline if record.http_headers else "200 OK"
            code, _, reason = line.partition(" ")
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
                    sys.intern(urlkey(uri)), _warc_timestamp(record.rec_headers.get_header("WARC-Date") or ""),
                    sys.intern(uri), sys.intern(mimetype), sys.intern(status), digest or "-",
                    str(length), path, offset,
                )
            )
    return rows
