"""The crawl's side of the capture store: keeps one replayed payload, and records where it is.

A digest not kept yet gets a `response` record (and its `metadata` record); a digest already kept gets
a `revisit` record naming the first capture of it, unless this very capture (URL, time, digest) is
already kept. The record is on disk (flushed, fsynced) before its `warc_records` row commits, and that
row before the capture's own row (the store extension writes it after this): after a kill -9 no row
points at a record that is not whole, and a capture whose row did not commit is fetched again.
An empty payload (a bodiless redirect) is always a response record: a revisit would be no smaller.
"""

from __future__ import annotations

from crawler.capturestore.headers import archive_headers_of, original_headers
from crawler.capturestore.writer import CaptureWriter, WarcLocation, payload_digest


class CaptureKeeper:
    def __init__(self, store, folder: str, max_bytes: int, run_id: int | None = None):
        self.store = store  # crawler.store.Store: the crawl's one connection
        self.folder = folder
        self.run_id = run_id
        ends = dict(store.db.execute(
            "select file, max(max(offset + length), max(meta_offset + meta_length)) from warc_records group by file"
        ).fetchall())
        self.writer = CaptureWriter(folder, max_bytes, ends)

    def first_of(self, digest: str) -> tuple[str, str] | None:
        row = self.store.db.execute(
            "select uri, timestamp from warc_records where digest = ? and record_type = 'response'", [digest]
        ).fetchone()
        return tuple(row) if row else None

    def kept(self, uri: str, timestamp: str, digest: str) -> bool:
        return bool(self.store.db.execute(
            "select 1 from warc_records where uri = ? and timestamp = ? and digest = ?", [uri, timestamp, digest]
        ).fetchone())

    def keep(self, uri: str, timestamp: str, status: int, headers: list[tuple[str, str]], body: bytes,
             archive: str = "", replay_url: str = "", original_location: str | None = None) -> str:
        """Keeps one payload as the capture of `uri` at `timestamp`; returns its digest."""
        digest = payload_digest(body)
        if self.kept(uri, timestamp, digest):
            return digest
        own = original_headers(headers, status, len(body), original_location)
        fields = [(k, v) for k, v in (("archive", archive), ("replayed-from", replay_url)) if v] + archive_headers_of(headers)
        first = self.first_of(digest) if body else None
        if first is None:
            location = self.writer.write_response(uri, timestamp, status, own, body, fields)
        else:
            location = self.writer.write_revisit(uri, timestamp, status, own, digest, first[0], first[1], fields)
        self._record(location, archive)
        return digest

    def keep_repeat(self, uri: str, timestamp: str, status: int, digest: str, archive: str = "") -> bool:
        """A capture not fetched because its payload is known (outcome `same_digest`): a `revisit` record
        naming the first capture of that payload, so the store replays every capture it lists. False
        when that payload is not kept yet (the pipeline tries again once it is)."""
        first = self.first_of(digest)
        if first is None:
            return False
        if self.kept(uri, timestamp, digest):
            return True
        fields = [("archive", archive)] if archive else []
        location = self.writer.write_revisit(uri, timestamp, status, [], digest, first[0], first[1], fields)
        self._record(location, archive)
        return True

    def _record(self, location: WarcLocation, archive: str) -> None:
        with self.store.db.atomic():
            self.store.db["warc_records"].insert({
                "digest": location.digest, "record_type": location.record_type, "uri": location.uri,
                "timestamp": location.timestamp, "file": location.file, "offset": location.offset,
                "length": location.length, "meta_offset": location.meta_offset, "meta_length": location.meta_length,
                "archive": archive, "run_id": self.run_id,
            })

    def close(self) -> None:
        self.writer.close()


def payload_location(db, digest: str) -> tuple[str, int, int] | None:
    """(file, offset, length) of the response record that holds a payload, or None."""
    row = db.execute(
        "select file, offset, length from warc_records where digest = ? and record_type = 'response'", [digest]
    ).fetchone()
    return tuple(row) if row else None
