"""Reading the store back: one record by file, offset and length, and the scan that tells where a
file's complete records end (anything after is a record cut short by a kill -9)."""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


@dataclass
class StoredPayload:
    uri: str
    timestamp: str
    record_type: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


def read_record(path: str | os.PathLike, offset: int, length: int | None = None) -> StoredPayload:
    """The record at `offset` (its status, the headers kept, the payload; a revisit has no payload)."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        data = stream.read(length) if length else None
    if data is not None:
        import io

        source = io.BytesIO(data)
    else:
        source = open(path, "rb")
        source.seek(offset)
    try:
        record = next(iter(ArchiveIterator(source)))
        status_line = record.http_headers.statusline if record.http_headers else "200 OK"
        code = int(status_line.split(" ", 1)[0])
        headers = list(record.http_headers.headers) if record.http_headers else []
        body = record.content_stream().read() if record.rec_type == "response" else b""
        date = record.rec_headers.get_header("WARC-Date") or ""
        return StoredPayload(record.rec_headers.get_header("WARC-Target-URI") or "", re.sub(r"\D", "", date)[:14],
                             record.rec_type, code, headers, body)
    finally:
        source.close()


def read_payload(folder: str | os.PathLike, file: str, offset: int, length: int) -> StoredPayload:
    return read_record(Path(folder) / file, offset, length)


def _whole_record(data: bytes) -> bool:
    if not data.startswith(b"WARC/"):
        return False
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    match = _CONTENT_LENGTH.search(data[: end + 2])
    return bool(match) and len(data) >= end + 4 + int(match[1]) + 4


def complete_end(path: str | os.PathLike, start: int = 0) -> int:
    """The offset where the file's complete records end, scanning gzip members from `start`: a member
    cut short, or one holding less than its record's Content-Length, ends the scan there."""
    end = start
    with open(path, "rb") as stream:
        stream.seek(start)
        pending = b""
        while True:
            inflater = zlib.decompressobj(31)
            record = bytearray()
            consumed = 0
            data, pending = pending, b""
            while True:
                if not data:
                    data = stream.read(1 << 20)
                    if not data:
                        return end  # the end of the file: clean, or a member cut short
                try:
                    record += inflater.decompress(data)
                except zlib.error:
                    return end
                if inflater.eof:
                    pending = inflater.unused_data
                    consumed += len(data) - len(pending)
                    break
                consumed += len(data)
                data = b""
            if not _whole_record(bytes(record)):
                return end
            end += consumed


def read_body(stream, offset: int, length: int) -> bytes:
    """The payload of one of the store's own response records, without warcio: one gzip member, WARC
    headers, HTTP headers, then the body whole (the store never writes it chunked or encoded). For
    bulk reads (the pll export); `stream` is an open file of the store."""
    stream.seek(offset)
    data = zlib.decompress(stream.read(length), 31)
    warc_end = data.index(b"\r\n\r\n") + 4
    block_length = int(_CONTENT_LENGTH.search(data[: warc_end]).group(1))
    block = data[warc_end: warc_end + block_length]
    http_end = block.find(b"\r\n\r\n")
    return block[http_end + 4:] if http_end >= 0 else b""
