"""Appends WARC records to the store's files: one gzip member a record, files rotated at a size limit,
every batch flushed and fsynced before its offsets are handed back (so before the row that points at
it commits). Opening the store cuts off a truncated record at a file's end (a kill -9 mid-write)."""

from __future__ import annotations

import base64
import hashlib
import http
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.capturestore.reader import complete_end

FILE_NAME = re.compile(r"^captures-(\d{5,})\.warc\.gz$")


def payload_digest(body: bytes) -> str:
    """base32 of the SHA-1 of the payload: the CDX `digest` form, and WARC-Payload-Digest after `sha1:`."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(timestamp: str) -> str:
    ts = timestamp
    return f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"


def status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


@dataclass(frozen=True)
class WarcLocation:
    """Where a kept capture's record is: `file` is relative to the store's folder."""

    digest: str
    record_type: str  # "response" or "revisit"
    uri: str
    timestamp: str
    file: str
    offset: int
    length: int
    meta_offset: int
    meta_length: int


class CaptureWriter:
    """The store's folder of `captures-NNNNN.warc.gz` files; writes to the newest until it reaches
    `max_bytes`. `known_ends` (file name -> end of its last record the database knows) bounds the scan
    for a truncated tail when a file is opened again."""

    def __init__(self, folder: str | os.PathLike, max_bytes: int, known_ends: dict[str, int] | None = None):
        self.folder = Path(folder)
        self.max_bytes = max(int(max_bytes), 1)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.dropped_tails: list[tuple[str, int]] = []  # (file, bytes cut off)
        known_ends = known_ends or {}
        for path in self.files():
            self._drop_truncated_tail(path, known_ends.get(path.name, 0))
        self._out = None
        self._writer = None
        self._name = None

    def files(self) -> list[Path]:
        return sorted((p for p in self.folder.iterdir() if FILE_NAME.match(p.name)), key=lambda p: int(FILE_NAME.match(p.name)[1]))

    def _drop_truncated_tail(self, path: Path, known_end: int) -> None:
        size = path.stat().st_size
        if size <= known_end:
            return
        end = complete_end(path, known_end)
        if end < size:
            with open(path, "r+b") as stream:
                stream.truncate(end)
                stream.flush()
                os.fsync(stream.fileno())
            self.dropped_tails.append((path.name, size - end))

    def _open(self) -> None:
        files = self.files()
        if files and files[-1].stat().st_size < self.max_bytes:
            path = files[-1]
        else:
            number = int(FILE_NAME.match(files[-1].name)[1]) + 1 if files else 0
            path = self.folder / f"captures-{number:05d}.warc.gz"
        self._name = path.name
        self._out = open(path, "ab")
        self._out.seek(0, io.SEEK_END)
        self._writer = WARCWriter(self._out, gzip=True)
        if self._out.tell() == 0:
            info = self._writer.create_warcinfo_record(path.name, {"software": "policy-history crawler capture store",
                                                                   "format": "WARC File Format 1.0"})
            self._writer.write_record(info)
            self._sync()

    def _sync(self) -> None:
        self._out.flush()
        os.fsync(self._out.fileno())

    def _write(self, records) -> tuple[str, list[tuple[int, int]]]:
        if self._out is None:
            self._open()
        elif self._out.tell() >= self.max_bytes:
            self.close()
            self._open()
        positions = []
        for record in records:
            offset = self._out.tell()
            self._writer.write_record(record)
            positions.append((offset, self._out.tell() - offset))
        self._sync()
        return self._name, positions

    def _metadata(self, uri: str, timestamp: str, concurrent_to: str, fields: list[tuple[str, str]]):
        text = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8", "replace")
        return self._writer.create_warc_record(
            uri, "metadata", payload=io.BytesIO(text), length=len(text), warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": warc_date(timestamp), "WARC-Concurrent-To": concurrent_to},
        )

    def write_response(self, uri: str, timestamp: str, status: int, headers: list[tuple[str, str]], body: bytes,
                       archive_fields: list[tuple[str, str]], reason: str | None = None) -> WarcLocation:
        """A `response` record (status, the capture's own headers, the payload) dated at the capture's
        time, then its `metadata` record with what the archive said."""
        if self._out is None:
            self._open()
        http_headers = StatusAndHeaders(f"{status} {reason}" if reason else status_line(status), headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(uri, "response", payload=io.BytesIO(body), length=None,
                                                 http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date(timestamp)})
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        meta = self._metadata(uri, timestamp, record_id, archive_fields)
        name, [(offset, length), (meta_offset, meta_length)] = self._write([record, meta])
        return WarcLocation(payload_digest(body), "response", uri, timestamp, name, offset, length, meta_offset, meta_length)

    def write_revisit(self, uri: str, timestamp: str, status: int, headers: list[tuple[str, str]], digest: str,
                      refers_to_uri: str, refers_to_timestamp: str, archive_fields: list[tuple[str, str]],
                      reason: str | None = None) -> WarcLocation:
        """A `revisit` record (profile identical-payload-digest): this capture's own status and headers,
        the payload being the one already kept under `digest`."""
        if self._out is None:
            self._open()
        http_headers = StatusAndHeaders(f"{status} {reason}" if reason else status_line(status), headers, protocol="HTTP/1.1")
        record = self._writer.create_revisit_record(uri, "sha1:" + digest, refers_to_uri, warc_date(refers_to_timestamp),
                                                    http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date(timestamp)})
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        meta = self._metadata(uri, timestamp, record_id, archive_fields)
        name, [(offset, length), (meta_offset, meta_length)] = self._write([record, meta])
        return WarcLocation(digest, "revisit", uri, timestamp, name, offset, length, meta_offset, meta_length)

    def close(self) -> None:
        if self._out is not None:
            self._sync()
            self._out.close()
            self._out = self._writer = None
